import { Copy } from "lucide-react";
import { useId } from "react";
import { IconButton } from "../../../components/IconButton";
import { showToast } from "../../../lib/toasts";

/** A value to paste in a provider's console, with a button that copies it. */
export function CopyValue({ label, value }: { label: string; value: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="row-actions">
        <input id={id} className="mono grow" value={value} readOnly onFocus={(e) => e.target.select()} />
        <IconButton
          label={`Copy ${label.toLowerCase()}`}
          icon={Copy}
          small
          iconSize={14}
          onClick={() =>
            navigator.clipboard
              ?.writeText(value)
              .then(() => showToast({ kind: "success", message: "Copied." }))
              .catch(() => showToast({ kind: "error", message: "Could not copy; select the text instead." }))
          }
        />
      </span>
    </div>
  );
}
