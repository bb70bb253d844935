import { type KeyboardEvent, type ReactNode, useLayoutEffect, useRef } from "react";
import { classNames } from "../lib/class-names";
import { dialogClosed, dialogOpened } from "../lib/open-dialogs";
import styles from "./Dialog.module.css";

export interface DialogProps {
  /** The dialog's accessible name. */
  label: string;
  /** Escape, or the browser's own request to close: the owner decides (unsaved changes may ask first). */
  onClose: () => void;
  /** `alertdialog` for a question that must be answered before anything else. */
  role?: "dialog" | "alertdialog";
  /** `panel` stands against the right edge, full height; a dialog is otherwise a card in the middle. */
  placement?: "centre" | "panel";
  /** Ids of the elements that say what the dialog is about (an alertdialog's question). */
  describedBy?: string;
  className?: string;
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog> (showModal): the page behind is inert, so focus stays inside; Tab wraps from
 * the last control to the first; Escape asks the owner to close it; focus goes back to what opened it.
 */
export function Dialog({
  label,
  onClose,
  role = "dialog",
  placement = "centre",
  describedBy,
  className,
  children,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialogOpened(dialog);
    return () => {
      dialogClosed(dialog);
      const focused = document.activeElement;
      const ours = !focused || focused === document.body || dialog.contains(focused);
      if (dialog.open) dialog.close();
      if (!ours || !opener) return;
      // The browser gives focus back when a dialog is closed, not when it is removed from the page (React removes it).
      // Given back once React has removed every dialog closing with this one: until then the page behind is inert.
      queueMicrotask(() => {
        const lost = !document.activeElement || document.activeElement === document.body;
        if (lost && opener.isConnected) opener.focus();
      });
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    const dialog = ref.current;
    // Keys pressed in a dialog opened over this one are that dialog's.
    if (!dialog || !(event.target instanceof Element) || event.target.closest("dialog") !== dialog) return;
    if (event.key === "Escape") {
      // Handled here, not by the browser's cancel: a second Escape would close the dialog whatever its owner says.
      event.preventDefault();
      onClose();
    } else if (event.key === "Tab") {
      const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (el) => !el.matches(":disabled") && el.closest("dialog") === dialog && el.checkVisibility?.() !== false,
      );
      const first = controls[0];
      const last = controls.at(-1);
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };

  return (
    <dialog
      ref={ref}
      role={role === "alertdialog" ? "alertdialog" : undefined}
      aria-label={label}
      aria-describedby={describedBy}
      className={classNames(placement === "panel" ? styles.panel : styles.dialog, className)}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {children}
    </dialog>
  );
}
