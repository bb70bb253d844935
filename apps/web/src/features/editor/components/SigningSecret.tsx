import { useState } from "react";
import { useParams } from "react-router";
import { ShownOnce } from "../../../components/ShownOnce";
import { ApiError, api } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";
import { verifyWebhookSnippets } from "../model/verify-webhook";

type Shown = { label: string; value: string; hint?: string };

/**
 * Admins only: this endpoint's signing secret, revealed (the API records it in the audit log), or a new one shown
 * once; the previous one keeps signing for 24 hours so the receiver can switch without losing a delivery. Beside it,
 * the lines that verify a webhook with it.
 */
export function SigningSecret({ nodeId, entryId }: { nodeId: string; entryId: string }) {
  const { campaignId } = useParams();
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/v1/campaigns/${campaignId}/nodes/${nodeId}/entries/${entryId}/webhook/signing-secret`;
  const call = async (url: string, body: unknown, shownAs: Omit<Shown, "value">) => {
    setBusy(true);
    try {
      const r = await api<{ secret: string }>("POST", url, body);
      setShown({ ...shownAs, value: r.secret });
    } catch (error) {
      showToast({ kind: "error", message: error instanceof ApiError ? error.message : "Could not get the secret." });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field">
      <span>Signing secret</span>
      {shown ? (
        <ShownOnce label={shown.label} value={shown.value} hint={shown.hint} onDone={() => setShown(null)} />
      ) : (
        <div className="form-actions">
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() =>
              call(`${path}/reveal`, undefined, {
                label: "Signing secret",
                hint: "revealed, and recorded in the audit log.",
              })
            }
          >
            Reveal signing secret
          </button>
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() =>
              call(path, { overlapHours: 24 }, { label: "New signing secret (the old one signs too for 24 hours)" })
            }
          >
            New signing secret
          </button>
        </div>
      )}
      <details>
        <summary>Verify a webhook with the standardwebhooks package</summary>
        {verifyWebhookSnippets.map((s) => (
          <figure key={s.language}>
            <figcaption>{s.language}</figcaption>
            <pre className="mono">{s.code}</pre>
          </figure>
        ))}
      </details>
    </div>
  );
}
