import type { HandoffSettings } from "@switchboard/contracts/handoffs";
import { useState } from "react";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { HeadersTable } from "../../../components/HeadersTable";
import { ApiError } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";
import { useSaveHandoffSettings } from "../api/handoff-settings";
import { headerRows, webhookField, withWebhook } from "../model/webhook-values";

/**
 * The campaign's own webhook: POSTed once per completed entry or response, signed and retried like every webhook.
 * An empty URL means none.
 */
export function HandoffWebhookForm({ campaignId, settings }: { campaignId: number; settings: HandoffSettings }) {
  const save = useSaveHandoffSettings(campaignId);
  const stored = settings.webhook;
  const [url, setUrl] = useState(stored?.url ?? "");
  const [bodyText, setBodyText] = useState(
    stored && Object.keys(stored.body).length ? JSON.stringify(stored.body, null, 2) : "",
  );
  const [headers, setHeaders] = useState(headerRows(stored));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    let body: Record<string, unknown> = {};
    if (bodyText.trim()) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        setErrors({ body: 'Body is not valid JSON: write an object such as {"source": "raffle"}.' });
        return;
      }
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        setErrors({ body: 'Body must be a JSON object, such as {"source": "raffle"}.' });
        return;
      }
    }
    const webhook = url.trim()
      ? { url: url.trim(), body: body as never, headers: headers.map((h) => ({ name: h.name.trim(), value: h.value })) }
      : null;
    setErrors({});
    try {
      await save.mutateAsync(withWebhook(settings, webhook));
      showToast({ kind: "success", message: webhook ? "Webhook saved." : "Webhook removed." });
    } catch (error) {
      if (!(error instanceof ApiError)) return;
      const found: Record<string, string> = {};
      for (const p of error.problem.errors ?? []) {
        const field = webhookField(p.path);
        if (field) found[field] ??= p.message;
      }
      setErrors(Object.keys(found).length ? found : { root: error.message });
    }
  };

  return (
    <form className="card form-grid" onSubmit={onSubmit} aria-label="Webhook" noValidate>
      <h2 className="span-2">Webhook</h2>
      <p className="muted span-2">
        Called once per {settings.type === "raffle_giveaway" ? "raffle entry" : "completed response"}, signed and
        retried like every webhook. Leave the URL empty for none.
      </p>
      <div className="field span-2">
        <label htmlFor="handoff-webhook-url">URL</label>
        <input
          id="handoff-webhook-url"
          value={url}
          placeholder="https://example.com/hooks/raffle"
          aria-invalid={!!errors.url}
          aria-describedby="handoff-webhook-url-error"
          onChange={(e) => setUrl(e.target.value)}
        />
        <FieldError id="handoff-webhook-url-error" message={errors.url} />
      </div>
      <div className="field span-2">
        <label htmlFor="handoff-webhook-body">Body</label>
        <textarea
          id="handoff-webhook-body"
          rows={4}
          className="mono"
          value={bodyText}
          placeholder='{"source": "raffle"}'
          aria-invalid={!!errors.body}
          aria-describedby="handoff-webhook-body-hint handoff-webhook-body-error"
          onChange={(e) => setBodyText(e.target.value)}
        />
        <span id="handoff-webhook-body-hint" className="hint">
          Extra parameters merged at the top level of every payload, in the order typed.
        </span>
        <FieldError id="handoff-webhook-body-error" message={errors.body} />
      </div>
      <div className="span-2">
        <HeadersTable
          headers={headers}
          onChange={setHeaders}
          canWriteSecrets={false}
          errorFor={(i, field) => errors[`headers.${i}.${field}`]}
        />
      </div>
      <FormError message={errors.root} />
      <div className="form-actions span-2">
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save webhook
        </button>
      </div>
    </form>
  );
}
