import { VERSION_NOTE_MAX as NOTE_MAX } from "@switchboard/contracts/messages";
import { Rocket } from "lucide-react";
import { useId, useState } from "react";
import { useCampaign } from "../../../api/campaigns";
import { useCan } from "../../../api/session";
import { Dialog } from "../../../components/Dialog";
import { ApiError } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";
import { usePublication, usePublish } from "../api/publish";
import styles from "./campaigns.module.css";

/** "1 change since publish", "3 changes since publish". */
const changesText = (count: number | null) =>
  count === null ? "changes since publish" : `${count} ${count === 1 ? "change" : "changes"} since publish`;

export interface PublishCellProps {
  campaignId: number;
  name: string;
  /** The fields a refused publish names (the editor marks them and lists them). */
  onRefused?: (fields: readonly { path: string; message: string }[]) => void;
  onPublished?: () => void;
}

/** Live, draft or changes since publish for one chatbot, and the Publish action (which offers to go live). */
export function PublishCell({ campaignId, name, onRefused, onPublished }: PublishCellProps) {
  const canPublish = useCan("marketer");
  const publication = usePublication(campaignId, true);
  const campaign = useCampaign(campaignId);
  const publish = usePublish(campaignId);
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState("");
  const questionId = useId();
  const noteId = useId();
  const data = publication.data;
  const live = (data?.campaignStatus ?? campaign.data?.status) === "active" && data?.publishedVersion != null;
  const status = !data
    ? "…"
    : data.publishedVersion === null
      ? "Not published"
      : `${live ? "Live" : "Published"} v${data.publishedVersion}${data.hasUnpublishedChanges ? ` · ${changesText(data.changesSincePublish)}` : ""}`;

  const draft = (data?.campaignStatus ?? campaign.data?.status) === "draft";
  const noteTooLong = note.trim().length > NOTE_MAX;

  const send = async (activate: boolean) => {
    if (noteTooLong) return;
    setAsking(false);
    try {
      const result = await publish.mutateAsync({ activate, note: note.trim() || null });
      setNote("");
      const warnings = result.warnings.length ? ` ${result.warnings.map((w) => w.message).join(" ")}` : "";
      const went = result.activated ? " It is live: end users who text its keywords reach it now." : "";
      showToast({ kind: "success", message: `${name} published as v${result.publishedVersion}.${went}${warnings}` });
      onPublished?.();
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) onRefused?.(error.problem.errors);
    }
  };
  // Every Publish opens the dialog, for the version's optional note; a Draft campaign is also asked whether to go live
  // in the same step (publishing it changes nothing for end users until it is active).
  const onPublish = () => setAsking(true);

  return (
    <span className={styles.publishCell}>
      <span className={live && !data?.hasUnpublishedChanges ? undefined : "muted"}>{status}</span>
      {data && (data.publishedVersion === null || data.hasUnpublishedChanges) && (
        <button
          type="button"
          className="button small"
          onClick={onPublish}
          disabled={publish.isPending || !canPublish}
          aria-label={`Publish ${name}`}
        >
          <Rocket size={14} aria-hidden /> Publish
        </button>
      )}
      {asking && (
        <Dialog
          label={`Publish ${name}`}
          role={draft ? "alertdialog" : "dialog"}
          describedBy={draft ? questionId : undefined}
          onClose={() => setAsking(false)}
        >
          {draft && (
            <p id={questionId}>
              {name} is a Draft campaign: end users do not reach it until it is active. Activate it now, with this
              version?
            </p>
          )}
          <label className="field" htmlFor={noteId}>
            Version note (optional)
            <textarea
              id={noteId}
              rows={2}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-invalid={noteTooLong || undefined}
              aria-describedby={`${noteId}-hint`}
            />
          </label>
          <p id={`${noteId}-hint`} className={noteTooLong ? "error" : "muted"}>
            {noteTooLong
              ? `The note is at most ${NOTE_MAX} characters (this one has ${note.trim().length}).`
              : "Why this version: shown in the version history and when versions are compared."}
          </p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
            {draft ? (
              <>
                <button type="button" className="button" onClick={() => send(false)}>
                  Publish only
                </button>
                <button type="button" className="button primary" onClick={() => send(true)}>
                  Publish and activate
                </button>
              </>
            ) : (
              <button type="button" className="button primary" onClick={() => send(false)}>
                Publish
              </button>
            )}
          </div>
        </Dialog>
      )}
    </span>
  );
}
