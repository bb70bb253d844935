import { type TokenScope, tokenScopes } from "@switchboard/domain/role";
import { Ticket } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FieldError } from "../../../components/FieldError";
import { ShownOnce } from "../../../components/ShownOnce";
import { TableHead } from "../../../components/TableHead";
import { TextField } from "../../../components/TextField";
import { applyServerErrors } from "../../../lib/server-errors";
import { useCreateToken, useRevokeToken, useTokens } from "../api/admin";

const scopeHelp: Record<TokenScope, string> = {
  inbound: "post end users' messages (a channel provider)",
  read: "read, as a viewer",
  write: "build campaigns, as a marketer",
  metrics: "scrape /metrics",
  signing: "rotate signing secrets of webhooks and integrations, as an admin may",
};

export function TokensPage() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm<{ name: string; scopes: TokenScope[] }>({ defaultValues: { name: "", scopes: ["inbound"] } });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(values);
      setSecret(created.secret);
      form.reset({ name: "", scopes: ["inbound"] });
    } catch (error) {
      applyServerErrors(error, form.setError, ["name", "scopes"]);
    }
  });
  return (
    <div className="page">
      <header className="page-header">
        <h1>API tokens</h1>
        <p className="muted">For machines: send as Authorization: Bearer &lt;token&gt;. Stored hashed; shown once.</p>
      </header>
      <form className="card form-grid" onSubmit={onSubmit} aria-label="Create an API token" noValidate>
        <TextField id="token-name" label="Name" registration={form.register("name")} error={errors.name?.message} />
        <fieldset className="plain">
          <legend>Scopes</legend>
          {tokenScopes.map((s) => (
            <label key={s} className="checkbox">
              <input type="checkbox" value={s} {...form.register("scopes")} /> {s}: {scopeHelp[s]}
            </label>
          ))}
          <FieldError id="token-scopes-error" message={errors.scopes?.message} />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            <Ticket size={16} aria-hidden /> Create token
          </button>
        </div>
      </form>
      {secret && <ShownOnce label="New API token" value={secret} onDone={() => setSecret(null)} />}
      <table className="table" aria-label="API tokens">
        <TableHead columns={["Name", "Token", "Scopes", "Last used", "Actions"]} />
        <tbody>
          {tokens.data?.items.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td className="mono">{t.prefix}…</td>
              <td>{t.scopes.join(", ")}</td>
              <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "Never"}</td>
              <td>
                {t.revokedAt ? (
                  "Revoked"
                ) : (
                  <button type="button" className="button" onClick={() => revoke.mutate(t.id)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
