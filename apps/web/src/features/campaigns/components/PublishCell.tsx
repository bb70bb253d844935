import { Rocket } from "lucide-react";
import { useId, useState } from "react";
import { useCampaign } from "../../../api/campaigns";
import { useCan } from "../../../api/session";
import { Dialog } from "../../../components/Dialog";
import { ApiError } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";
import { usePublication, usePublish } from "../api/publish";
import styles from "./campaigns.module.css";

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
  const questionId = useId();
  const data = publication.data;
  const live = (data?.campaignStatus ?? campaign.data?.status) === "active" && data?.publishedVersion != null;
  const status = !data
    ? "…"
    : data.publishedVersion === null
      ? "Not published"
      : `${live ? "Live" : "Published"} v${data.publishedVersion}${data.hasUnpublishedChanges ? " · changes since publish" : ""}`;

  const send = async (activate: boolean) => {
    setAsking(false);
    try {
      const result = await publish.mutateAsync({ activate });
      const warnings = result.warnings.length ? ` ${result.warnings.map((w) => w.message).join(" ")}` : "";
      const went = result.activated ? " It is live: end users who text its keywords reach it now." : "";
      showToast({ kind: "success", message: `${name} published as v${result.publishedVersion}.${went}${warnings}` });
      onPublished?.();
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) onRefused?.(error.problem.errors);
    }
  };
  // Publishing a Draft campaign changes nothing for end users until it is active: asked in the same step.
  const onPublish = () => ((data?.campaignStatus ?? campaign.data?.status) === "draft" ? setAsking(true) : send(false));

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
        <Dialog label={`Publish ${name}`} role="alertdialog" describedBy={questionId} onClose={() => setAsking(false)}>
          <p id={questionId}>
            {name} is a Draft campaign: end users do not reach it until it is active. Activate it now, with this
            version?
          </p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
            <button type="button" className="button" onClick={() => send(false)}>
              Publish only
            </button>
            <button type="button" className="button primary" onClick={() => send(true)}>
              Publish and activate
            </button>
          </div>
        </Dialog>
      )}
    </span>
  );
}
