import type { Sender } from "@switchboard/contracts/senders";
import { providerLabels } from "@switchboard/domain/messaging/provider";
import { Eye, X } from "lucide-react";
import { useCan } from "../../../api/session";
import { Dialog } from "../../../components/Dialog";
import { IconButton } from "../../../components/IconButton";
import { useRevealCredentials } from "../api/add-sender";
import { CopyValue } from "./CopyValue";
import { SenderForm } from "./SenderForm";
import styles from "./senders.module.css";

const credentialLabels: Record<string, string> = {
  authToken: "Auth token",
  accessToken: "Access token",
  appSecret: "App secret",
  outboundHeaders: "Outbound headers",
};

/**
 * One sender: what to paste in the provider's console (inbound URL, verify token), its stored credentials by name,
 * and for admins the reveal (audited) and the form to change it.
 */
export function SenderDialog({ sender, onClose }: { sender: Sender; onClose: () => void }) {
  const isAdmin = useCan("admin");
  const reveal = useRevealCredentials(sender.id);
  const revealed = reveal.data;

  return (
    <Dialog label={`Sender ${sender.name}`} onClose={onClose} placement="panel">
      <div className={styles.panelBody}>
        <header className="page-header row">
          <h2>
            {sender.name} <span className="badge">{providerLabels[sender.provider]}</span>
          </h2>
          <IconButton label="Close" icon={X} onClick={onClose} />
        </header>
        {sender.inboundUrl ? (
          <section aria-label="Provider console">
            <p className="muted">
              Paste these in {sender.provider === "whatsapp_cloud" ? "Meta's WhatsApp" : "Twilio's"} console so the
              provider sends this number's messages here.
            </p>
            <CopyValue label="Inbound URL" value={sender.inboundUrl} />
            {sender.settings.verifyToken && <CopyValue label="Verify token" value={sender.settings.verifyToken} />}
            {sender.statusUrl && <CopyValue label="Status callback URL" value={sender.statusUrl} />}
          </section>
        ) : (
          <p className="muted">
            HTTP sender: your gateway posts end users' messages to POST /api/v1/messages/inbound
            {sender.settings.outboundUrl ? `, and replies are posted to ${sender.settings.outboundUrl}` : ""}.
          </p>
        )}
        {sender.channel === "whatsapp" && (
          <p className="hint">
            WhatsApp templates are not supported yet: a free-form message outside WhatsApp's 24-hour customer-service
            window is refused, with the reason on the message.
          </p>
        )}
        <section aria-label="Credentials">
          <p>
            Credentials stored:{" "}
            {sender.credentialsSet.length
              ? sender.credentialsSet.map((c) => credentialLabels[c] ?? c).join(", ")
              : "none"}
            . They are never shown back.
          </p>
          {isAdmin && sender.credentialsSet.length > 0 && !revealed && (
            <button type="button" className="button" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
              <Eye size={16} aria-hidden /> Reveal credentials
            </button>
          )}
          {revealed && (
            <div role="status" aria-label="Revealed credentials">
              <p className="muted">Revealed to you; the reveal is recorded in the audit log.</p>
              {(["authToken", "accessToken", "appSecret"] as const).map(
                (key) =>
                  revealed[key] && <CopyValue key={key} label={credentialLabels[key] ?? key} value={revealed[key]} />,
              )}
              {revealed.outboundHeaders?.map((h) => (
                <CopyValue key={h.name} label={`Header ${h.name}`} value={h.value} />
              ))}
            </div>
          )}
        </section>
        {isAdmin && <SenderForm key={sender.updatedAt} sender={sender} onSaved={onClose} />}
      </div>
    </Dialog>
  );
}
