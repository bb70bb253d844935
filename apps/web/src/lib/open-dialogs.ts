import { useSyncExternalStore } from "react";

/**
 * The modal dialogs open now, innermost last. A modal dialog makes the rest of the page inert, so what must stay
 * visible and usable meanwhile (the toasts) is shown inside the innermost one.
 */
let open: readonly HTMLDialogElement[] = [];
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function dialogOpened(dialog: HTMLDialogElement): void {
  open = [...open.filter((d) => d !== dialog), dialog];
  emit();
}

export function dialogClosed(dialog: HTMLDialogElement): void {
  open = open.filter((d) => d !== dialog);
  emit();
}

/** The innermost open modal dialog, or null. */
export function useInnermostDialog(): HTMLDialogElement | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => open.at(-1) ?? null,
  );
}
