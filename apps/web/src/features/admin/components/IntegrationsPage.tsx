import { PlugZap, Plus, RotateCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { showToast } from "../../../app/toasts";
import { EmptyRow } from "../../../components/empty-row";
import { FieldError } from "../../../components/field-error";
import { FormError } from "../../../components/form-error";
import { TableHead } from "../../../components/table-head";
import { TextField } from "../../../components/text-field";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { rotateIntegrationSecret, useCreateIntegration, useDeleteIntegration, useIntegrations } from "../api/admin";
import { ShownOnce } from "./ShownOnce";

type Values = { alias: string; url: string; headers: { name: string; value: string; secret: boolean }[] };

/** Reusable endpoints that Integration entries call as webhooks; marketers pick them by alias. */
export function IntegrationsPage() {
  const list = useIntegrations();
  const create = useCreateIntegration();
  const remove = useDeleteIntegration();
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const form = useForm<Values>({ defaultValues: { alias: "", url: "", headers: [] } });
  const headers = useFieldArray({ control: form.control, name: "headers" });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync(values);
      form.reset({ alias: "", url: "", headers: [] });
      showToast({ kind: "success", message: `Integration ${values.alias} saved.` });
    } catch (error) {
      if (!applyServerErrors(error, form.setError, ["alias", "url", "headers"]) && error instanceof ApiError) {
        form.setError("root", { message: error.message });
      }
    }
  });

  return (
    <div className="page">
      <header className="page-header">
        <h1>Integrations</h1>
        <p className="muted">Endpoints marketers attach by name with the Integration redirect type.</p>
      </header>
      <form className="card form-grid" onSubmit={onSubmit} aria-label="Add an integration" noValidate>
        <TextField
          id="integration-alias"
          label="Alias"
          registration={form.register("alias", { required: "Alias is required." })}
          error={errors.alias?.message}
        />
        <TextField
          id="integration-url"
          label="URL"
          registration={form.register("url")}
          error={errors.url?.message}
          placeholder="POST https://<Your_Domain>/<Your_Path>"
        />
        <fieldset className="plain">
          <legend>Headers</legend>
          {headers.fields.map((f, i) => (
            <div key={f.id} className="form-grid">
              <input aria-label={`Header ${i + 1} name`} {...form.register(`headers.${i}.name`)} />
              <input
                aria-label={`Header ${i + 1} value`}
                type={form.watch(`headers.${i}.secret`) ? "password" : "text"}
                {...form.register(`headers.${i}.value`)}
              />
              <label>
                <input type="checkbox" {...form.register(`headers.${i}.secret`)} /> Secret
              </label>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete header ${i + 1}`}
                onClick={() => headers.remove(i)}
              >
                <Trash2 size={16} aria-hidden />
              </button>
            </div>
          ))}
          <FieldError
            id="integration-headers-error"
            message={errors.headers?.message ?? errors.headers?.root?.message}
          />
          <button
            type="button"
            className="button"
            onClick={() => headers.append({ name: "", value: "", secret: false })}
          >
            <Plus size={16} aria-hidden /> Add header
          </button>
        </fieldset>
        <FormError message={errors.root?.message} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            <PlugZap size={16} aria-hidden /> Add integration
          </button>
        </div>
      </form>
      {secret && <ShownOnce label={secret.label} value={secret.value} onDone={() => setSecret(null)} />}
      <table className="table" aria-label="Integrations">
        <TableHead columns={["Alias", "URL", "Headers", "Used by", "Actions"]} />
        <tbody>
          {list.data?.items.map((i) => (
            <tr key={i.id}>
              <td>{i.alias}</td>
              <td className="mono">{i.url}</td>
              <td className="mono">{i.headers.map((h) => `${h.name}: ${h.value}`).join(", ") || "—"}</td>
              <td>{i.usedBy}</td>
              <td className="actions">
                <button
                  type="button"
                  className="button"
                  onClick={async () => {
                    const r = await rotateIntegrationSecret(i.id);
                    setSecret({
                      label: `New signing secret for ${i.alias} (the old one signs too for 24 hours)`,
                      value: r.secret,
                    });
                  }}
                >
                  <RotateCw size={16} aria-hidden /> New signing secret
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Delete ${i.alias}`}
                  disabled={i.usedBy > 0}
                  onClick={() => remove.mutate(i.id)}
                >
                  <Trash2 size={16} aria-hidden />
                </button>
              </td>
            </tr>
          ))}
          {list.data?.total === 0 && <EmptyRow columns={5}>No integrations yet.</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
