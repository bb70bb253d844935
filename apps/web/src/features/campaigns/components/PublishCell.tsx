import { Rocket } from "lucide-react";
import { useState } from "react";
import { useCampaign } from "../../../api/campaigns";
import { useCan } from "../../../api/session";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { ApiError } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";
import { usePublication, usePublish } from "../api/publish";
import { useUpdateCampaign } from "../api/save-campaign";
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
  const update = useUpdateCampaign(campaignId);
  const [askActivate, setAskActivate] = useState(false);
  const data = publication.data;
  const live = campaign.data?.status === "active" && data?.publishedVersion != null;
  const status = !data
    ? "…"
    : data.publishedVersion === null
      ? "Draft · not published"
      : `${live ? "Live" : "Published"} v${data.publishedVersion}${data.hasUnpublishedChanges ? " · changes since publish" : ""}`;

  const onPublish = async () => {
    try {
      const result = await publish.mutateAsync();
      const warnings = result.warnings.length ? ` ${result.warnings.map((w) => w.message).join(" ")}` : "";
      showToast({ kind: "success", message: `${name} published as v${result.publishedVersion}.${warnings}` });
      onPublished?.();
      // Publishing a draft campaign changes nothing for end users until it is active: ask now, not later.
      if (campaign.data?.status === "draft") setAskActivate(true);
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) onRefused?.(error.problem.errors);
    }
  };
  const activate = async () => {
    setAskActivate(false);
    try {
      await update.mutateAsync({ status: "active", revision: campaign.data?.revision });
      showToast({
        kind: "success",
        message: `${name} is live: end users who text its keywords reach v${data?.publishedVersion ?? ""}.`,
      });
    } catch {
      // The query client tells why (a trigger keyword another active campaign holds, for instance).
    }
  };

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
      {askActivate && (
        <ConfirmDialog
          label={`Activate ${name}?`}
          question={`${name} is published, but the campaign is a Draft: end users do not reach it yet. Activate it now?`}
          cancelLabel="Keep as draft"
          confirmLabel="Activate now"
          onCancel={() => setAskActivate(false)}
          onConfirm={activate}
        />
      )}
    </span>
  );
}
