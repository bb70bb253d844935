import type { ImportInput } from "@switchboard/contracts/chatbot-documents";
import { channelLabels } from "@switchboard/domain/campaign";
import { ArrowLeft, Upload } from "lucide-react";
import { useId, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useCampaigns } from "../../../api/campaigns";
import { useIntegrationChoices } from "../../../api/integration-choices";
import { useSecretHeaders } from "../../../api/secret-headers";
import { useSenders } from "../../../api/senders";
import { useTeams } from "../../../api/teams";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { ApiError } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";
import { type ChatbotDocument, useImport, useImportPlan } from "../api/exchange";
import { answer, answered, emptyMapping, type Need } from "../model/mapping";

const needLabels: Record<Need["kind"], string> = {
  sender: "Sender",
  campaign: "Campaign",
  integration: "Integration",
  secret_header: "Secret header",
  secret_value: "Secret value",
  team: "Team",
};

/** A chatbot file imported as a new campaign: what it points at is mapped to this installation first. */
export function ImportPage() {
  const navigate = useNavigate();
  const fileId = useId();
  const [document, setDocument] = useState<ChatbotDocument | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [senderId, setSenderId] = useState("");
  const [mapping, setMapping] = useState(emptyMapping);
  const senders = useSenders();
  const campaigns = useCampaigns({ limit: 200 });
  const integrations = useIntegrationChoices();
  const secretHeaders = useSecretHeaders();
  const teams = useTeams();
  const importing = useImport();

  const input: ImportInput | null = document
    ? { document, name: name.trim() || undefined, senderId: senderId || undefined, mapping }
    : null;
  const plan = useImportPlan(input);
  const problems = plan.data?.problems ?? (plan.error instanceof ApiError ? (plan.error.problem.errors ?? []) : []);
  const planMessage = plan.error instanceof ApiError && !plan.error.problem.errors?.length ? plan.error.message : null;

  const onFile = async (file: File | undefined) => {
    setDocument(null);
    setFileError(null);
    if (!file) return;
    try {
      const parsed = JSON.parse(await file.text()) as ChatbotDocument;
      setDocument(parsed);
      setName(typeof parsed.name === "string" ? parsed.name : "");
    } catch {
      setFileError("This file is not JSON: choose a file exported from Switchboard.");
    }
  };

  const choicesFor = (need: Need) => {
    switch (need.kind) {
      case "campaign":
        return (campaigns.data?.items ?? []).map((c) => ({ value: String(c.id), label: `${c.name} (${c.id})` }));
      case "integration":
        return (integrations.data?.items ?? []).map((i) => ({ value: i.id, label: i.alias }));
      case "team":
        return (teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }));
      default:
        return (secretHeaders.data?.items ?? []).map((h) => ({ value: h.id, label: `${h.label} (${h.name})` }));
    }
  };

  const onImport = async () => {
    if (!input) return;
    try {
      const created = await importing.mutateAsync(input);
      showToast({ kind: "success", message: `${created.name} (${created.id}) imported as a Draft.` });
      navigate(`/campaigns/${created.id}`);
    } catch {
      // The plan below shows each problem with its path; a toast tells the rest.
      void plan.refetch();
    }
  };

  const availableSenders = (senders.data?.items ?? []).filter((s) => !document || s.channel === document.channel);
  return (
    <div className="page">
      <Link className="back-link" to="/campaigns">
        <ArrowLeft size={14} aria-hidden /> Campaigns
      </Link>
      <header className="page-header">
        <h1>Import a chatbot</h1>
        <p className="muted">
          A file exported from Switchboard becomes a new Draft campaign, here or in another installation.
        </p>
      </header>
      <form
        className="card form-grid"
        aria-label="Import a chatbot"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onImport();
        }}
      >
        <div className="field">
          <label htmlFor={fileId}>Chatbot file</label>
          <input
            id={fileId}
            type="file"
            accept="application/json,.json"
            aria-describedby={`${fileId}-error`}
            aria-invalid={!!fileError}
            onChange={(e) => void onFile(e.target.files?.[0])}
          />
          <FieldError id={`${fileId}-error`} message={fileError ?? undefined} />
        </div>
        {document && (
          <>
            <p className="muted">
              {document.nodes?.length ?? 0} nodes · {channelLabels[document.channel] ?? document.channel}
            </p>
            <div className="field">
              <label htmlFor="import-name">Name</label>
              <input id="import-name" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="import-sender">Sender</label>
              <select id="import-sender" value={senderId} onChange={(e) => setSenderId(e.target.value)}>
                <option value="">
                  {document.sender ? `The file's: ${document.sender.name} (${document.sender.address})` : "Choose…"}
                </option>
                {availableSenders.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.address})
                  </option>
                ))}
              </select>
            </div>
            {(plan.data?.needs ?? [])
              .filter((need) => need.kind !== "sender")
              .map((need) => {
                const id = `need-${need.kind}-${need.key}`;
                return (
                  <div className="field" key={id}>
                    <label htmlFor={id}>
                      {needLabels[need.kind]} {need.label}
                    </label>
                    <select
                      id={id}
                      value={answered(mapping, need)}
                      aria-describedby={`${id}-where`}
                      onChange={(e) => setMapping((m) => answer(m, need, e.target.value))}
                    >
                      <option value="">{need.suggestion ? `Suggested: ${need.suggestion}` : "Leave it out"}</option>
                      {choicesFor(need).map((c) => (
                        <option key={c.value} value={c.value}>
                          {c.label}
                        </option>
                      ))}
                    </select>
                    <span id={`${id}-where`} className="hint">
                      Used at {need.paths.join(", ")}
                    </span>
                  </div>
                );
              })}
            {problems.length > 0 && (
              <section aria-label="Import problems" className="card">
                <ul>
                  {problems.map((p) => (
                    <li key={`${p.path}-${p.message}`}>
                      <code>{p.path}</code>: {p.message}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            <FormError message={planMessage ?? undefined} />
            <div className="form-actions">
              <button type="submit" className="button primary" disabled={importing.isPending || !plan.data?.valid}>
                <Upload size={16} aria-hidden /> Import as a new campaign
              </button>
            </div>
          </>
        )}
      </form>
    </div>
  );
}
