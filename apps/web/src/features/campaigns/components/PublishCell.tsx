import { Rocket } from "lucide-react";
import { useCan } from "../../../api/session";
import { showToast } from "../../../lib/toasts";
import { usePublication, usePublish } from "../api/publish";
import styles from "./campaigns.module.css";

/** Draft vs published for one chatbot, and the Publish action. */
export function PublishCell({ campaignId, name }: { campaignId: number; name: string }) {
  const canPublish = useCan("marketer");
  const publication = usePublication(campaignId, true);
  const publish = usePublish(campaignId);
  const data = publication.data;
  const status = !data
    ? "…"
    : data.publishedVersion === null
      ? "Not published"
      : data.hasUnpublishedChanges
        ? `v${data.publishedVersion} · unpublished changes`
        : `Published v${data.publishedVersion}`;
  const onPublish = async () => {
    const result = await publish.mutateAsync();
    const warnings = result.warnings.length ? ` ${result.warnings.map((w) => w.message).join(" ")}` : "";
    showToast({ kind: "success", message: `${name} published as v${result.publishedVersion}.${warnings}` });
  };
  return (
    <span className={styles.publishCell}>
      <span className={data?.hasUnpublishedChanges ? "muted" : undefined}>{status}</span>
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
    </span>
  );
}
