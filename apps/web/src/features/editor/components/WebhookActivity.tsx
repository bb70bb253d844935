import type { Problem } from "@switchboard/contracts/common";
import { Send } from "lucide-react";
import { Link } from "react-router";
import { ApiError } from "../../../lib/api-client";
import { classNames } from "../../../lib/class-names";
import { useRecentDeliveries, useSendTest, useWebhookStats } from "../api/webhooks";
import { useEditor } from "../hooks/editor-context";
import styles from "./editor.module.css";
import { WebhookHealth } from "./WebhookHealth";

/** Send test through the production sender, the receiver's answer, and this webhook's latest deliveries. */
export function WebhookActivity({
  nodeId,
  entryId,
  dirty,
  onRefused,
}: {
  nodeId: string;
  entryId: string;
  dirty: boolean;
  /** Send test was refused for a field of the saved webhook (a host a secret may not reach): shown beside it. */
  onRefused: (errors: NonNullable<Problem["errors"]>) => void;
}) {
  const { campaignId } = useEditor();
  const test = useSendTest(campaignId, nodeId, entryId);
  const recent = useRecentDeliveries(campaignId, entryId);
  const stats = useWebhookStats(campaignId).data?.items.find((s) => s.entryId === entryId);
  const result = test.data;

  return (
    <div className={styles.webhookActivity}>
      <div className="row-actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            test.mutate(undefined, {
              onError: (error) => {
                if (error instanceof ApiError && error.problem.errors?.length) onRefused(error.problem.errors);
              },
            })
          }
          disabled={dirty || test.isPending}
          aria-describedby="send-test-hint"
        >
          <Send size={14} aria-hidden /> {test.isPending ? "Sending…" : "Send test"}
        </button>
        <span id="send-test-hint" className="hint">
          {dirty
            ? "Save first: Send test uses the saved webhook."
            : "Sample values, signed and sent like a real event."}
        </span>
      </div>
      {result && (
        <output
          className={classNames(styles.testResult, result.ok ? styles.ok : styles.failed)}
          aria-label="Send test result"
        >
          <strong>
            {result.status === null ? (result.errorClass ?? "No answer") : `HTTP ${result.status}`}
            {result.ok ? " — delivered" : " — failed"}
          </strong>{" "}
          in {result.durationMs} ms{result.errorMessage ? `: ${result.errorMessage}` : ""}
          {result.responseExcerpt && <pre className="code">{result.responseExcerpt}</pre>}
        </output>
      )}
      <WebhookHealth stats={stats} campaignId={campaignId} />
      <h3 className="h3">Recent deliveries</h3>
      {recent.data?.items.length ? (
        <ul className={styles.recentDeliveries} aria-label="Recent deliveries">
          {recent.data.items.map((d) => (
            <li key={d.id}>
              <span className={`badge badge-${d.status}`}>{d.status}</span>
              {d.test && <span className="badge">test</span>}
              <span className="muted small-inline">{new Date(d.createdAt).toLocaleString()}</span>
              <span className="small-inline">{d.progress}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">Nothing sent yet.</p>
      )}
      <Link className="small" to={`/deliveries?campaignId=${campaignId}&entryId=${entryId}`}>
        All deliveries of this webhook
      </Link>
    </div>
  );
}
