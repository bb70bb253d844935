import { Copy } from "lucide-react";
import { showToast } from "../lib/toasts";
import styles from "./ShownOnce.module.css";

/** A secret or one-time link the server will never show again: said so, with a copy button. */
export function ShownOnce({
  label,
  value,
  onDone,
  hint = "copy it now; it is not shown again.",
}: {
  label: string;
  value: string;
  onDone: () => void;
  /** What follows the label; a revealed secret says it was recorded instead. */
  hint?: string | undefined;
}) {
  return (
    <div className={styles.once} role="status" aria-label={label}>
      <p>
        <strong>{label}</strong> — {hint}
      </p>
      <code className="mono">{value}</code>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            navigator.clipboard
              ?.writeText(value)
              .then(() => showToast({ kind: "success", message: "Copied." }))
              .catch(() => showToast({ kind: "error", message: "Could not copy; select the text instead." }))
          }
        >
          <Copy size={16} aria-hidden /> Copy
        </button>
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
