import { zodResolver } from "@hookform/resolvers/zod";
import type { FlowNode, MenuEntry, MenuEntryPatch } from "@switchboard/contracts/flow";
import { hostOfUrl } from "@switchboard/domain/allowed-hosts";
import { KEYWORD_MAX, MENU_TEXT_MAX } from "@switchboard/domain/menu-entry";
import { webhookMode } from "@switchboard/domain/payload";
import { redirectTypeLabels } from "@switchboard/domain/redirect-type";
import { X } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { type FieldErrors, useForm } from "react-hook-form";
import { useBlocker } from "react-router";
import { useSecretHeaders } from "../../../api/secret-headers";
import { useCan } from "../../../api/session";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { Dialog } from "../../../components/Dialog";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { HeadersTable } from "../../../components/HeadersTable";
import { IconButton } from "../../../components/IconButton";
import { LabelOptions } from "../../../components/LabelOptions";
import { ShownOnce } from "../../../components/ShownOnce";
import { TextField } from "../../../components/TextField";
import { ApiError, api } from "../../../lib/api-client";
import { type EntryIntent, useEditor } from "../hooks/editor-context";
import {
  type EntryForm,
  entryFormSchema,
  formHasWebhook,
  formPath,
  parsedBody,
  toForm,
  toPatch,
} from "../model/entry-form";
import { availability } from "../model/entry-rules";
import { redirectToChoices } from "../model/redirect-choices";
import { previewPayload } from "../model/sample-payload";
import { DisabledWebhookNotice } from "./DisabledWebhookNotice";
import styles from "./editor.module.css";
import { LiveChatFields } from "./LiveChatFields";
import { SigningSecret } from "./SigningSecret";
import { WebhookActivity } from "./WebhookActivity";

export interface EntryPanelProps {
  node: FlowNode;
  entry: MenuEntry;
  allowHttp: boolean;
  /** Opened from the link icon, the toggle or Redirect Type Webhook: start at the webhook. */
  focus?: "webhook";
  /** What opened the panel asked for: e.g. the toggle on, or Redirect Type Webhook, applied once the URL is given. */
  intent?: EntryIntent;
  onSave: (patch: MenuEntryPatch) => Promise<MenuEntry>;
  onClose: () => void;
}

const URL_PLACEHOLDER = "POST https://<Your_Domain>/<Your_Path>";

function messageAt(errors: FieldErrors<EntryForm>, path: string): string | undefined {
  let at: unknown = errors;
  for (const key of path.split(".")) at = (at as Record<string, unknown> | undefined)?.[key];
  return (at as { message?: string } | undefined)?.message;
}

/** Everything about one menu entry, and its webhook: URL, Body, Headers, a payload preview and Send test. */
export function EntryPanel({ node, entry, allowHttp, focus, intent, onSave, onClose }: EntryPanelProps) {
  const editor = useEditor();
  const isAdmin = useCan("admin");
  const [createdSecret, setCreatedSecret] = useState<string | null>(null);
  const secretHeaders = useSecretHeaders();
  const schema = useMemo(
    () => entryFormSchema({ nodeId: node.id, targets: editor.targets, allowHttp }),
    [node.id, editor.targets, allowHttp],
  );
  const initial = useMemo(() => toForm(entry), [entry]);
  const form = useForm<EntryForm>({
    resolver: zodResolver(schema),
    mode: "onChange",
    defaultValues: initial,
  });
  const { errors, isDirty, isSubmitting } = form.formState;
  const [confirmingClose, setConfirmingClose] = useState(false);

  useEffect(() => {
    if (intent?.redirectType) {
      form.setValue("redirectType", intent.redirectType, { shouldDirty: true });
      form.setValue("menuText", "", { shouldDirty: true });
      form.setValue("redirectTo", "", { shouldDirty: true });
    }
    if (intent?.webhookEnabled) form.setValue("webhookEnabled", true, { shouldDirty: true });
    form.setFocus(focus === "webhook" ? "url" : "keyword");
  }, [focus, intent, form]);

  const values = form.watch();
  const rules = availability({
    redirectType: values.redirectType || null,
    redirectTo: values.redirectTo || null,
    webhookEnabled: values.webhookEnabled,
  });
  const choices = redirectToChoices(values.redirectType || null, editor.targets, node.id);
  const showWebhook = formHasWebhook(values) || focus === "webhook";
  const mode = webhookMode(values.redirectType || null);
  const preview = previewPayload(
    {
      mode,
      campaignId: editor.campaignId,
      label: node.label,
      option: values.menuText || values.keyword,
      keyword: values.keyword,
    },
    parsedBody(values),
    new Date(),
  );

  // Leaving the page with unsaved changes asks first; so does closing the panel.
  const blocker = useBlocker(isDirty && !isSubmitting);
  useEffect(() => {
    if (!isDirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [isDirty]);

  const requestClose = () => (isDirty ? setConfirmingClose(true) : onClose());

  // A secret an admin typed stays with its host: moving the webhook elsewhere takes the value typed again.
  const savedHost = entry.webhook ? hostOfUrl(entry.webhook.url) : null;
  const newHost = hostOfUrl(values.url);
  const movesHost = savedHost !== null && newHost !== null && savedHost !== newHost;

  /** Problems the server named by field: each beside its field in the panel. */
  const showServerErrors = (problems: { path: string; message: string }[]) => {
    for (const e of problems) {
      form.setError(formPath(e.path.split(".")) as keyof EntryForm, { type: "server", message: e.message });
    }
  };

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      const saved = await onSave(toPatch(v));
      form.reset(toForm(saved));
      // The save that created the webhook brings its signing secret, for an admin, this once: shown before closing.
      const created = (saved.webhook as { signingSecret?: string } | null)?.signingSecret;
      if (created) setCreatedSecret(created);
      else onClose();
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) {
        showServerErrors(error.problem.errors);
      } else if (error instanceof ApiError) {
        form.setError("root", { message: error.message });
      }
    }
  });

  const typeValue = values.redirectType;
  const title = `Entry ${entry.keyword} of ${node.label}`;
  return (
    <Dialog label={`Edit ${title}`} placement="panel" onClose={requestClose}>
      <header className={styles.panelHeader}>
        <h2 className="h2">{title}</h2>
        <IconButton label="Close panel" icon={X} iconSize={18} onClick={requestClose} />
      </header>
      <form onSubmit={onSubmit} noValidate className={styles.panelBody}>
        {createdSecret && <ShownOnce label="Signing secret of this webhook" value={createdSecret} onDone={onClose} />}
        <div className={`form-grid ${styles.two}`}>
          {typeValue === "webhook" ? (
            // A Webhook entry asks a question: any answer is taken, so there is no keyword to type.
            <p className="field muted">Keyword: any answer</p>
          ) : (
            <TextField
              id="panel-keyword"
              label="Keyword"
              registration={form.register("keyword")}
              error={errors.keyword?.message}
              maxLength={KEYWORD_MAX}
            />
          )}
          <TextField
            id="panel-menutext"
            label="Menu Text"
            registration={form.register("menuText")}
            error={errors.menuText?.message}
            hint={rules.menuText ?? undefined}
            maxLength={MENU_TEXT_MAX}
            disabled={!!rules.menuText}
            placeholder={rules.menuText ? "Not available" : ""}
          />
          <div className="field">
            <label htmlFor="panel-type">Redirect Type</label>
            <select
              id="panel-type"
              {...form.register("redirectType", {
                onChange: (e) => {
                  const type = e.target.value;
                  if (type === "webhook") {
                    form.setValue("menuText", "");
                    form.setValue("webhookEnabled", false);
                  }
                  form.setValue("redirectTo", "");
                  if (type !== "campaign") form.setValue("continueAt", "");
                  if (type !== "attribute") form.setValue("attribute", "");
                },
              })}
            >
              <option value="">Choose…</option>
              <LabelOptions labels={redirectTypeLabels} />
            </select>
          </div>
          <div className="field">
            <label htmlFor="panel-redirect">Redirect To</label>
            <select
              id="panel-redirect"
              disabled={!!rules.redirectTo}
              {...form.register("redirectTo", {
                onChange: (e) => !e.target.value && form.setValue("webhookEnabled", false),
              })}
              aria-invalid={!!errors.redirectTo}
              aria-describedby="panel-redirect-why panel-redirect-error"
            >
              <option value="">{rules.redirectTo ? "Not available" : "Choose…"}</option>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
            <span id="panel-redirect-why" className="hint">
              {rules.redirectTo ??
                (typeValue === "integration" && choices.length === 0
                  ? "No saved integrations yet: an admin adds them."
                  : "")}
            </span>
            <FieldError id="panel-redirect-error" message={errors.redirectTo?.message} />
          </div>
          {typeValue === "campaign" && (
            <div className="field">
              <label htmlFor="panel-continue-at">When finished, continue at</label>
              <select
                id="panel-continue-at"
                {...form.register("continueAt")}
                aria-invalid={!!errors.continueAt}
                aria-describedby="panel-continue-at-hint panel-continue-at-error"
              >
                <option value="">End of the conversation</option>
                {editor.targets.nodes.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
              <span id="panel-continue-at-hint" className="hint">
                Where the conversation goes when the campaign has finished.
              </span>
              <FieldError id="panel-continue-at-error" message={errors.continueAt?.message} />
            </div>
          )}
          {typeValue === "attribute" && (
            <>
              <TextField
                id="panel-attribute"
                label="Attribute"
                registration={form.register("attribute")}
                error={errors.attribute?.message}
                list="panel-attribute-names"
                placeholder="e.g. first_name"
              />
              <datalist id="panel-attribute-names">
                {editor.attributes.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </>
          )}
          <label className="field checkbox">
            <input
              type="checkbox"
              role="switch"
              aria-checked={typeValue === "webhook" || values.webhookEnabled}
              aria-label="Webhook"
              disabled={!!rules.webhookToggle && !values.webhookEnabled}
              checked={typeValue === "webhook" || values.webhookEnabled}
              aria-describedby="panel-toggle-why"
              onChange={(e) =>
                typeValue !== "webhook" &&
                form.setValue("webhookEnabled", e.target.checked, { shouldDirty: true, shouldValidate: true })
              }
            />
            <span>Webhook: send a webhook when this option is chosen</span>
            <span id="panel-toggle-why" className="hint">
              {rules.webhookToggle}
            </span>
          </label>
        </div>

        {typeValue === "live_chat" && <LiveChatFields form={form} nodes={editor.targets.nodes} />}

        {showWebhook && (
          <section className={styles.webhookSection} aria-label="Webhook">
            {entry.webhook?.disabledAt && (
              <DisabledWebhookNotice
                nodeId={node.id}
                entryId={entry.id}
                reason={entry.webhook.disabledReason}
                at={entry.webhook.disabledAt}
              />
            )}
            <TextField
              id="panel-url"
              label="URL"
              registration={form.register("url")}
              error={errors.url?.message}
              type="url"
              inputMode="url"
              placeholder={URL_PLACEHOLDER}
            />
            <div className="field">
              <label htmlFor="panel-body">Body</label>
              <textarea
                id="panel-body"
                className="mono"
                rows={4}
                spellCheck={false}
                placeholder={'{ "source": "chatbot" }'}
                {...form.register("bodyText")}
                aria-invalid={!!errors.bodyText}
                aria-describedby="panel-body-hint panel-body-error"
              />
              <span id="panel-body-hint" className="hint">
                Extra parameters, sent after the standard fields. campaignId, label, phoneNumber, date, response, option
                and keyword are the platform's.
              </span>
              <FieldError id="panel-body-error" message={errors.bodyText?.message} />
            </div>
            <HeadersTable
              headers={values.headers}
              onChange={(headers) => form.setValue("headers", headers, { shouldDirty: true, shouldValidate: true })}
              errorFor={(index, field) => messageAt(errors, `headers.${index}.${field}`)}
              canWriteSecrets={isAdmin}
              canRetypeSecrets={movesHost}
              library={secretHeaders.data?.items ?? []}
              onReveal={
                isAdmin
                  ? async (id) => (await api<{ value: string }>("POST", `/api/v1/webhook-headers/${id}/reveal`)).value
                  : undefined
              }
            />
            <figure className={`field ${styles.preview}`}>
              <figcaption>
                Payload preview (
                {mode === "response" ? "the user's answer, as response" : "the option chosen, with keyword"})
              </figcaption>
              <pre className="code" data-testid="payload-preview">
                {preview}
              </pre>
            </figure>
            {entry.webhook && isAdmin && <SigningSecret nodeId={node.id} entryId={entry.id} />}
            {entry.webhook && (
              <WebhookActivity nodeId={node.id} entryId={entry.id} dirty={isDirty} onRefused={showServerErrors} />
            )}
          </section>
        )}

        <FormError message={errors.root?.message} />
        <div className="form-actions">
          <button type="button" className="button" onClick={requestClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={isSubmitting}>
            Save entry
          </button>
        </div>
      </form>
      {confirmingClose && (
        <ConfirmDialog
          label="Unsaved changes"
          question="Discard your unsaved changes?"
          cancelLabel="Keep editing"
          confirmLabel="Discard"
          onCancel={() => setConfirmingClose(false)}
          onConfirm={onClose}
        />
      )}
      {blocker.state === "blocked" && (
        <ConfirmDialog
          label="Unsaved changes"
          question="This entry has unsaved changes. Leave anyway?"
          cancelLabel="Stay"
          confirmLabel="Leave"
          onCancel={() => blocker.reset()}
          onConfirm={() => blocker.proceed()}
        />
      )}
    </Dialog>
  );
}
