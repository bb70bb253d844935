import { Eye, Globe, PlugZap, Plus, RotateCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { EmptyRow } from "../../../components/EmptyRow";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { IconButton } from "../../../components/IconButton";
import { ShownOnce } from "../../../components/ShownOnce";
import { TableHead } from "../../../components/TableHead";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import {
  revealIntegrationSecret,
  rotateIntegrationSecret,
  useCreateIntegration,
  useDeleteIntegration,
  useIntegrations,
  useSetIntegrationHosts,
} from "../api/admin";
import { ALLOWED_HOSTS_HINT, allowedHostsText, splitHosts } from "../model/allowed-hosts";
import { AllowedHostsEditor } from "./AllowedHostsEditor";

type Values = {
  alias: string;
  url: string;
  headers: { name: string; value: string; secret: boolean }[];
  /** Hosts as text; left empty, the server allows the URL's host. */
  allowedHosts: string;
};
const empty: Values = { alias: "", url: "", headers: [], allowedHosts: "" };
const hostsText = allowedHostsText({ required: false });

/** Reusable endpoints that Integration entries call as webhooks; marketers pick them by alias. */
export function IntegrationsPage() {
  const list = useIntegrations();
  const create = useCreateIntegration();
  const remove = useDeleteIntegration();
  const setHosts = useSetIntegrationHosts();
  const [secret, setSecret] = useState<{ label: string; value: string; hint?: string } | null>(null);
  const [editingHosts, setEditingHosts] = useState<string | null>(null);
  const form = useForm<Values>({ defaultValues: empty });
  const headers = useFieldArray({ control: form.control, name: "headers" });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const hosts = splitHosts(values.allowedHosts);
      const created = await create.mutateAsync({ ...values, allowedHosts: hosts.length ? hosts : undefined });
      form.reset(empty);
      setSecret({ label: `Signing secret of ${created.alias}`, value: created.signingSecret });
      showToast({ kind: "success", message: `Integration ${values.alias} saved.` });
    } catch (error) {
      if (
        !applyServerErrors(error, form.setError, ["alias", "url", "headers", "allowedHosts"]) &&
        error instanceof ApiError
      ) {
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
        <TextField
          id="integration-hosts"
          label="Allowed hosts"
          registration={form.register("allowedHosts", {
            validate: (text) => {
              const checked = hostsText.safeParse(text);
              return checked.success || checked.error.issues[0]?.message;
            },
          })}
          error={errors.allowedHosts?.message}
          hint={`Where its URL may point; left empty, the URL's host. ${ALLOWED_HOSTS_HINT}`}
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
              <IconButton label={`Delete header ${i + 1}`} icon={Trash2} onClick={() => headers.remove(i)} />
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
      {secret && (
        <ShownOnce label={secret.label} value={secret.value} hint={secret.hint} onDone={() => setSecret(null)} />
      )}
      <table className="table" aria-label="Integrations">
        <TableHead columns={["Alias", "URL", "Headers", "Used by", "Allowed hosts", "Actions"]} />
        <tbody>
          {list.data?.items.map((i) => (
            <tr key={i.id}>
              <td>{i.alias}</td>
              <td className="mono">{i.url}</td>
              <td className="mono">{i.headers.map((h) => `${h.name}: ${h.value}`).join(", ") || "—"}</td>
              <td>{i.usedBy}</td>
              <td className="mono">
                {editingHosts === i.id ? (
                  <AllowedHostsEditor
                    id={`integration-${i.id}`}
                    of={i.alias}
                    hosts={i.allowedHosts}
                    onSave={(allowedHosts) => setHosts.mutateAsync({ id: i.id, allowedHosts })}
                    onDone={() => setEditingHosts(null)}
                  />
                ) : (
                  i.allowedHosts.join(", ") || <span className="muted">None: sent nowhere</span>
                )}
              </td>
              <td className="actions">
                <IconButton
                  label={`Change allowed hosts of ${i.alias}`}
                  icon={Globe}
                  title="Change allowed hosts"
                  disabled={editingHosts === i.id}
                  onClick={() => setEditingHosts(i.id)}
                />
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
                  className="button"
                  onClick={async () => {
                    try {
                      const r = await revealIntegrationSecret(i.id);
                      setSecret({
                        label: `Signing secret of ${i.alias}`,
                        value: r.secret,
                        hint: "revealed, and recorded in the audit log.",
                      });
                    } catch (error) {
                      const message = error instanceof ApiError ? error.message : "Could not reveal the secret.";
                      showToast({ kind: "error", message });
                    }
                  }}
                >
                  <Eye size={16} aria-hidden /> Reveal signing secret
                </button>
                <IconButton
                  label={`Delete ${i.alias}`}
                  icon={Trash2}
                  disabled={i.usedBy > 0}
                  onClick={() => remove.mutate(i.id)}
                />
              </td>
            </tr>
          ))}
          {list.data?.total === 0 && <EmptyRow columns={6}>No integrations yet.</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
