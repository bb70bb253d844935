export interface Toast {
  id: number;
  kind: "error" | "success";
  message: string;
  /** One button beside the message, such as Undo; pressing it dismisses the toast. */
  action?: { label: string; onClick: () => void };
  durationMs?: number;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function showToast(t: Omit<Toast, "id">): number {
  const toast = { ...t, id: nextId++ };
  toasts = [...toasts, toast].slice(-4);
  emit();
  setTimeout(() => dismissToast(toast.id), t.durationMs ?? (t.kind === "error" ? 8000 : 4000));
  return toast.id;
}

export function dismissToast(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** For `useSyncExternalStore`: the toasts shown now, and a way to hear of changes. */
export function subscribeToToasts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
export const currentToasts = (): readonly Toast[] => toasts;
