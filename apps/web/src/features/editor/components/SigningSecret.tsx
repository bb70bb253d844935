import { useState } from "react";
import { useParams } from "react-router";
import { ShownOnce } from "../../../components/ShownOnce";
import { ApiError, api } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";

/**
 * Admins only: a new signing secret for this endpoint, shown once. The previous one keeps signing for 24 hours so the
 * receiver can switch without losing a delivery.
 */
export function SigningSecret({ nodeId, entryId }: { nodeId: string; entryId: string }) {
  const { campaignId } = useParams();
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    try {
      const r = await api<{ secret: string }>(
        "POST",
        `/api/v1/campaigns/${campaignId}/nodes/${nodeId}/entries/${entryId}/webhook/signing-secret`,
        { overlapHours: 24 },
      );
      setSecret(r.secret);
    } catch (error) {
      showToast({ kind: "error", message: error instanceof ApiError ? error.message : "Could not create a secret." });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field">
      <span>Signing secret</span>
      {secret ? (
        <ShownOnce
          label="New signing secret (the old one signs too for 24 hours)"
          value={secret}
          onDone={() => setSecret(null)}
        />
      ) : (
        <button type="button" className="button small" onClick={create} disabled={busy}>
          New signing secret
        </button>
      )}
    </div>
  );
}
