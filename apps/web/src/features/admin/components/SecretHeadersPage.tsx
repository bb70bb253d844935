import { zodResolver } from "@hookform/resolvers/zod";
import { secretHeaderInput } from "@switchboard/contracts/secret-headers";
import { Eye, Globe, KeyRound, RotateCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useSecretHeaders } from "../../../api/secret-headers";
import { EmptyRow } from "../../../components/EmptyRow";
import { IconButton } from "../../../components/IconButton";
import { TableHead } from "../../../components/TableHead";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import {
  revealSecretHeader,
  useCreateSecretHeader,
  useDeleteSecretHeader,
  useSetSecretHeaderHosts,
} from "../api/admin";
import { ALLOWED_HOSTS_HINT, allowedHostsText, splitHosts } from "../model/allowed-hosts";
import { AllowedHostsEditor } from "./AllowedHostsEditor";
import { RotateSecretHeaderDialog } from "./RotateSecretHeaderDialog";

// The form holds Allowed hosts as text; it is sent as a list.
const formSchema = secretHeaderInput.extend({ allowedHosts: allowedHostsText({ required: true }) });
type Values = z.input<typeof formSchema>;
const empty: Values = { label: "", name: "", value: "", allowedHosts: "" };

/** Admin-made headers whose values marketers send without seeing them (API keys in webhooks). */
export function SecretHeadersPage() {
  const list = useSecretHeaders();
  const create = useCreateSecretHeader();
  const remove = useDeleteSecretHeader();
  const setHosts = useSetSecretHeaderHosts();
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [editingHosts, setEditingHosts] = useState<string | null>(null);
  const [rotating, setRotating] = useState<{ id: string; label: string } | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(formSchema), defaultValues: empty });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync({ ...values, allowedHosts: splitHosts(values.allowedHosts) });
      form.reset(empty);
      showToast({ kind: "success", message: `Secret header ${values.label} saved; its value is now hidden.` });
    } catch (error) {
      applyServerErrors(error, form.setError, ["label", "name", "value", "allowedHosts"]);
    }
  });

  return (
    <div className="page">
      <header className="page-header">
        <h1>Secret headers</h1>
        <p className="muted">
          Values are encrypted at rest and shown masked to everyone; marketers attach them to webhooks by label.
          Revealing one is recorded in the audit log. A value is sent only to its allowed hosts.
        </p>
      </header>
      <form className="card form-grid" onSubmit={onSubmit} aria-label="Add a secret header" noValidate>
        <TextField
          id="secret-label"
          label="Label"
          registration={form.register("label")}
          error={errors.label?.message}
          placeholder="CRM API key"
        />
        <TextField
          id="secret-name"
          label="Header name"
          registration={form.register("name")}
          error={errors.name?.message}
          placeholder="X-Api-Key"
        />
        <TextField
          id="secret-value"
          label="Value"
          registration={form.register("value")}
          error={errors.value?.message}
          type="password"
          autoComplete="off"
        />
        <TextField
          id="secret-hosts"
          label="Allowed hosts"
          registration={form.register("allowedHosts")}
          error={errors.allowedHosts?.message}
          hint={ALLOWED_HOSTS_HINT}
          placeholder="api.crm.example, *.crm.example"
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            <KeyRound size={16} aria-hidden /> Add secret header
          </button>
        </div>
      </form>
      <table className="table" aria-label="Secret headers">
        <TableHead columns={["Label", "Header", "Value", "Used by", "Allowed hosts", "Actions"]} />
        <tbody>
          {list.data?.items.map((s) => (
            <tr key={s.id}>
              <td>{s.label}</td>
              <td className="mono">{s.name}</td>
              <td className="mono">{revealed[s.id] ?? s.value}</td>
              <td>{s.usedBy === 1 ? "1 webhook" : `${s.usedBy} webhooks`}</td>
              <td className="mono">
                {editingHosts === s.id ? (
                  <AllowedHostsEditor
                    id={`secret-${s.id}`}
                    of={s.label}
                    hosts={s.allowedHosts}
                    onSave={(allowedHosts) => setHosts.mutateAsync({ id: s.id, allowedHosts })}
                    onDone={() => setEditingHosts(null)}
                  />
                ) : (
                  s.allowedHosts.join(", ") || <span className="muted">None: sent nowhere</span>
                )}
              </td>
              <td className="actions">
                <IconButton
                  label={`Change allowed hosts of ${s.label}`}
                  icon={Globe}
                  title="Change allowed hosts"
                  disabled={editingHosts === s.id}
                  onClick={() => setEditingHosts(s.id)}
                />
                <IconButton
                  label={`Reveal ${s.label}`}
                  icon={Eye}
                  title="Reveal (audited)"
                  onClick={async () => {
                    try {
                      const { value } = await revealSecretHeader(s.id);
                      setRevealed((r) => ({ ...r, [s.id]: value }));
                    } catch (error) {
                      showToast({
                        kind: "error",
                        message: error instanceof ApiError ? error.message : "Could not reveal.",
                      });
                    }
                  }}
                />
                <IconButton
                  label={`Rotate ${s.label}`}
                  icon={RotateCw}
                  title="Replace the value"
                  onClick={() => setRotating(s)}
                />
                <IconButton
                  label={`Delete ${s.label}`}
                  icon={Trash2}
                  disabled={s.usedBy > 0}
                  title={s.usedBy > 0 ? "Remove it from its webhooks first" : "Delete"}
                  onClick={() => remove.mutate(s.id)}
                />
              </td>
            </tr>
          ))}
          {list.data?.total === 0 && <EmptyRow columns={6}>No secret headers yet.</EmptyRow>}
        </tbody>
      </table>
      {rotating && <RotateSecretHeaderDialog header={rotating} onDone={() => setRotating(null)} />}
    </div>
  );
}
