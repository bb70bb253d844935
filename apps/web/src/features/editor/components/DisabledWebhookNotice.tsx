import { AlertTriangle } from "lucide-react";
import { useEnableWebhook } from "../api/webhooks";
import { useEditor } from "../hooks/editor-context";
import styles from "./editor.module.css";

/** The endpoint of this webhook was disabled (by its failures or by hand): said so, with the way to re-enable it. */
export function DisabledWebhookNotice(props: { nodeId: string; entryId: string; reason: string | null; at: string }) {
  const { campaignId } = useEditor();
  const enable = useEnableWebhook(campaignId, props.nodeId, props.entryId);
  return (
    <div className={styles.notice} role="alert">
      <AlertTriangle size={16} aria-hidden /> This endpoint was disabled on {new Date(props.at).toLocaleString()}
      {props.reason ? ` (${props.reason})` : ""}. Nothing is sent to it until it is re-enabled.
      <button type="button" className="button small" onClick={() => enable.mutate()} disabled={enable.isPending}>
        Re-enable
      </button>
    </div>
  );
}
