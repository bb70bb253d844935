import { channelLabels } from "@switchboard/domain/campaign";
import { ArrowLeft, LayoutTemplate } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useSenders } from "../../../api/senders";
import { FieldError } from "../../../components/FieldError";
import { ApiError } from "../../../lib/api-client";
import { messagesByField } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { useFromTemplate, useTemplates } from "../api/exchange";

/** A new chatbot that starts from a ready-made one (the streaming menu, a customer survey). */
export function TemplatePage() {
  const navigate = useNavigate();
  const templates = useTemplates();
  const senders = useSenders();
  const create = useFromTemplate();
  const [templateId, setTemplateId] = useState("");
  const [name, setName] = useState("");
  const [senderId, setSenderId] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const template = templates.data?.items.find((t) => t.id === templateId);
  const available = (senders.data?.items ?? []).filter((s) => !template || s.channel === template.channel);

  const onSubmit = async () => {
    const missing: Record<string, string> = {};
    if (!templateId) missing.templateId = "Choose a template.";
    if (!senderId) missing.senderId = "Choose the sender end users text.";
    setErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      const created = await create.mutateAsync({ templateId, senderId, name: name.trim() || undefined, mapping: {} });
      showToast({ kind: "success", message: `${created.name} (${created.id}) created from ${template?.name}.` });
      navigate(`/campaigns/${created.id}`);
    } catch (error) {
      if (error instanceof ApiError) setErrors(messagesByField(error) ?? {});
    }
  };

  return (
    <div className="page">
      <Link className="back-link" to="/campaigns">
        <ArrowLeft size={14} aria-hidden /> Campaigns
      </Link>
      <header className="page-header">
        <h1>New chatbot from template</h1>
      </header>
      <form
        className="card form-grid"
        aria-label="New chatbot from template"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit();
        }}
      >
        <fieldset className="field">
          <legend>Template</legend>
          {(templates.data?.items ?? []).map((t) => (
            <label key={t.id} className="row">
              <input
                type="radio"
                name="template"
                value={t.id}
                checked={templateId === t.id}
                onChange={() => setTemplateId(t.id)}
                aria-describedby="template-error"
              />
              <span>
                <strong>{t.name}</strong> · {channelLabels[t.channel]}
                <span className="hint">{t.description}</span>
              </span>
            </label>
          ))}
          <FieldError id="template-error" message={errors.templateId} />
        </fieldset>
        <div className="field">
          <label htmlFor="template-name">Name</label>
          <input
            id="template-name"
            value={name}
            placeholder={template?.name ?? ""}
            aria-describedby="template-name-error"
            onChange={(e) => setName(e.target.value)}
          />
          <FieldError id="template-name-error" message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor="template-sender">Sender</label>
          <select
            id="template-sender"
            value={senderId}
            aria-invalid={!!errors.senderId}
            aria-describedby="template-sender-error"
            onChange={(e) => setSenderId(e.target.value)}
          >
            <option value="">Choose…</option>
            {available.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.address})
              </option>
            ))}
          </select>
          <FieldError id="template-sender-error" message={errors.senderId} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            <LayoutTemplate size={16} aria-hidden /> Create chatbot
          </button>
        </div>
      </form>
    </div>
  );
}
