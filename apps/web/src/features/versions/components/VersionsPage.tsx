import { ArrowLeft, History, RotateCcw } from "lucide-react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useCampaign } from "../../../api/campaigns";
import { useCan } from "../../../api/session";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { EmptyRow } from "../../../components/EmptyRow";
import { TableHead } from "../../../components/TableHead";
import { showToast } from "../../../lib/toasts";
import { useComparison, useRestore, useVersions } from "../api/versions";

const DRAFT = 0;
const versionName = (v: number) => (v === DRAFT ? "the current draft" : `version ${v}`);

/** Every publish of a chatbot (who, when, why), any two compared in words, and Restore as the draft. */
export function VersionsPage() {
  const campaignId = Number(useParams().campaignId);
  const campaign = useCampaign(campaignId);
  const versions = useVersions(campaignId);
  const restore = useRestore(campaignId);
  const canEdit = useCan("marketer");
  const items = versions.data?.items ?? [];
  const newest = items[0]?.version ?? DRAFT;
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number>(DRAFT);
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const comparison = useComparison(campaignId, pair);
  const name = campaign.data?.name ?? `Campaign ${campaignId}`;
  const fromValue = from ?? items[1]?.version ?? newest;

  const onRestore = async (version: number) => {
    setRestoring(null);
    try {
      await restore.mutateAsync(version);
      showToast({ kind: "success", message: `Version ${version} is the draft now: publish it to make it live.` });
    } catch {
      // The query client says why.
    }
  };

  return (
    <div className="page">
      <Link className="back-link" to={`/campaigns/${campaignId}`}>
        <ArrowLeft size={14} aria-hidden /> Editor
      </Link>
      <header className="page-header row">
        <div>
          <h1>
            <History size={20} aria-hidden /> Versions of {name}
          </h1>
          <p className="muted">Every publish is a version. Conversations already running stay on the one they began.</p>
        </div>
      </header>
      <table className="table" aria-label="Versions" aria-busy={versions.isFetching}>
        <TableHead columns={["Version", "Published", "By", "Note", "Actions"]} />
        <tbody>
          {items.map((v) => (
            <tr key={v.version} aria-label={`Version ${v.version}`}>
              <td>
                v{v.version} {v.live && <span className="badge badge-active">Live</span>}
              </td>
              <td>{new Date(v.publishedAt).toLocaleString()}</td>
              <td>{v.publishedBy ?? "—"}</td>
              <td>{v.note ?? ""}</td>
              <td>
                <button
                  type="button"
                  className="button small"
                  disabled={!canEdit || restore.isPending}
                  onClick={() => setRestoring(v.version)}
                  aria-label={`Restore version ${v.version}`}
                >
                  <RotateCcw size={14} aria-hidden /> Restore
                </button>
              </td>
            </tr>
          ))}
          {items.length === 0 && !versions.isLoading && (
            <EmptyRow columns={5}>Not published yet: the first Publish makes version 1.</EmptyRow>
          )}
        </tbody>
      </table>

      <form
        className="card form-grid"
        aria-label="Compare versions"
        onSubmit={(e) => {
          e.preventDefault();
          setPair({ from: fromValue, to });
        }}
      >
        <label className="field">
          From
          <select value={fromValue} onChange={(e) => setFrom(Number(e.target.value))}>
            <option value={DRAFT}>Current draft</option>
            {items.map((v) => (
              <option key={v.version} value={v.version}>
                Version {v.version}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          To
          <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
            <option value={DRAFT}>Current draft</option>
            {items.map((v) => (
              <option key={v.version} value={v.version}>
                Version {v.version}
              </option>
            ))}
          </select>
        </label>
        <div className="form-actions">
          <button type="submit" className="button primary">
            Compare
          </button>
        </div>
      </form>
      {pair && comparison.data && (
        <section aria-label="Changes" className="card">
          <h2 className="h2">
            From {versionName(pair.from)} to {versionName(pair.to)}
          </h2>
          {/* Why each side was published, in the publisher's words. */}
          {[pair.from, pair.to]
            .filter((v, i, all) => v !== DRAFT && all.indexOf(v) === i)
            .map((v) => {
              const note = items.find((i) => i.version === v)?.note;
              return note ? (
                <p key={v} className="muted">
                  Version {v} note: {note}
                </p>
              ) : null;
            })}
          {comparison.data.sentences.length === 0 ? (
            <p className="muted">No changes.</p>
          ) : (
            <ul>
              {comparison.data.sentences.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      {restoring !== null && (
        <ConfirmDialog
          label={`Restore version ${restoring}?`}
          question={`The draft becomes version ${restoring}; what the draft holds now is replaced (published versions stay). Publish afterwards to make it live.`}
          cancelLabel="Cancel"
          confirmLabel={`Restore version ${restoring}`}
          onCancel={() => setRestoring(null)}
          onConfirm={() => onRestore(restoring)}
        />
      )}
    </div>
  );
}
