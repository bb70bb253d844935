import { zodResolver } from "@hookform/resolvers/zod";
import { secretHeaderInput } from "@switchboard/contracts/secret-headers";
import { RotateCw } from "lucide-react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Dialog } from "../../../components/Dialog";
import { TextField } from "../../../components/TextField";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { useRotateSecretHeader } from "../api/admin";

const schema = secretHeaderInput.pick({ value: true });
type Values = z.input<typeof schema>;

/** A secret header's new value, typed in a password field: every webhook that sends it sends the new one. */
export function RotateSecretHeaderDialog({
  header,
  onDone,
}: {
  header: { id: string; label: string };
  onDone: () => void;
}) {
  const rotate = useRotateSecretHeader();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { value: "" } });
  const onSubmit = form.handleSubmit(async ({ value }) => {
    try {
      await rotate.mutateAsync({ id: header.id, value });
      showToast({ kind: "success", message: `${header.label} rotated.` });
      onDone();
    } catch (error) {
      applyServerErrors(error, form.setError, ["value"]);
    }
  });
  return (
    <Dialog label={`New value for ${header.label}`} onClose={onDone}>
      <h2 className="h2">New value for {header.label}</h2>
      <form className="form-grid" onSubmit={onSubmit} noValidate>
        <TextField
          id="rotate-secret-value"
          label="New value"
          registration={form.register("value")}
          error={form.formState.errors.value?.message}
          type="password"
          autoComplete="off"
        />
        <div className="form-actions">
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={rotate.isPending}>
            <RotateCw size={16} aria-hidden /> Rotate
          </button>
        </div>
      </form>
    </Dialog>
  );
}
