import { X } from "lucide-react";
import { useSyncExternalStore } from "react";

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

export function Toaster() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toasts,
  );
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
          <span>{t.message}</span>
          {t.action && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                t.action?.onClick();
                dismissToast(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notification"
            onClick={() => dismissToast(t.id)}
          >
            <X size={16} aria-hidden />
          </button>
        </div>
      ))}
    </section>
  );
}
