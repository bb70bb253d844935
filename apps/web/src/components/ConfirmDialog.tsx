import { useId } from "react";
import { Dialog } from "./Dialog";

export interface ConfirmDialogProps {
  label: string;
  question: string;
  /** The safe answer, first: where focus starts, and what Escape means. */
  cancelLabel: string;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
}

/** A question that must be answered before going on, such as leaving unsaved changes. */
export function ConfirmDialog({ label, question, cancelLabel, confirmLabel, onCancel, onConfirm }: ConfirmDialogProps) {
  const id = useId();
  return (
    <Dialog label={label} role="alertdialog" describedBy={id} onClose={onCancel}>
      <p id={id}>{question}</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className="button danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
