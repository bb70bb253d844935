import { RotateCcw, Undo2, X } from "lucide-react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { useCan } from "../../../api/session";
import { EmptyRow } from "../../../components/EmptyRow";
import { IconButton } from "../../../components/IconButton";
import { showToast } from "../../../lib/toasts";
import { useDeliveries, useDelivery, useRecover, useResend } from "../api/deliveries";
import { DeliveryDetails } from "./DeliveryDetails";
import styles from "./deliveries.module.css";

const statuses = ["pending", "sending", "delivered", "failed", "cancelled"] as const;
const kinds = { webhook: "Webhooks", message: "Messages to end users" } as const;
type Kind = keyof typeof kinds;

/** Every webhook the platform sent or will send: where each stands, its attempts, and the controls to send again. */
export function DeliveriesPage() {
  // The editor links here for one webhook: ?campaignId=…&entryId=…, and for its failed deliveries &status=failed
  const [params] = useSearchParams();
  const [campaignId, setCampaignId] = useState(params.get("campaignId") ?? "");
  const [entryId, setEntryId] = useState(params.get("entryId") ?? "");
  const [status, setStatus] = useState(() => {
    const asked = params.get("status");
    return statuses.find((s) => s === asked) ?? "";
  });
  const [kind, setKind] = useState<Kind | "">("");
  const [test, setTest] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 24 * 3_600_000)));
  const deliveries = useDeliveries({
    campaignId: /^\d+$/.test(campaignId) ? campaignId : undefined,
    entryId: entryId || undefined,
    status: status || undefined,
    test,
    kind: kind || undefined,
  });
  const detail = useDelivery(selected);
  const canEdit = useCan("marketer");
  const resend = useResend();
  const recover = useRecover();

  const onResend = async (id: string) => {
    await resend.mutateAsync(id);
    showToast({ kind: "success", message: "Sent again: same webhook-id, new signature." });
  };
  const onRecover = async () => {
    const result = await recover.mutateAsync({
      since: new Date(since).toISOString(),
      ...(/^\d+$/.test(campaignId) ? { campaignId: Number(campaignId) } : {}),
    });
    showToast({
      kind: "success",
      message: `${result.recovered} failed deliveries will be sent again.${result.remaining ? ` ${result.remaining} more remain: recover again.` : ""}`,
    });
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Deliveries</h1>
        <p className="muted">
          Every webhook sent to your endpoints and every message sent to end users, their attempts, and what the
          receiver answered.
        </p>
      </header>
      <search className="filters" aria-label="Filter deliveries">
        <label className="field inline">
          <span>Campaign</span>
          <input
            value={campaignId}
            onChange={(e) => setCampaignId(e.target.value.trim())}
            placeholder="Id"
            inputMode="numeric"
            size={8}
          />
        </label>
        {entryId && (
          <span className="chip">
            One entry's webhook
            <IconButton label="Show every entry" icon={X} small iconSize={14} onClick={() => setEntryId("")} />
          </span>
        )}
        <label className="field inline">
          <span>Status</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value in kinds ? (e.target.value as Kind) : "")}>
            <option value="">All</option>
            {Object.entries(kinds).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field checkbox inline-check">
          <input type="checkbox" checked={test} onChange={(e) => setTest(e.target.checked)} />
          <span>Simulator and Send test</span>
        </label>
        <span className="grow" />
        <label className="field inline">
          <span>Failed since</span>
          <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <button type="button" className="button" onClick={onRecover} disabled={recover.isPending || !canEdit}>
          <Undo2 size={16} aria-hidden /> Recover failed
        </button>
      </search>
      <div className="split">
        <table className="table" aria-label="Deliveries" aria-busy={deliveries.isFetching}>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Campaign</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Progress</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.items.map((d) => (
              <tr key={d.id} className={d.id === selected ? "selected" : undefined}>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setSelected(d.id)}
                    aria-label={`Delivery ${d.id}`}
                  >
                    {new Date(d.createdAt).toLocaleString()}
                  </button>
                </td>
                <td className="mono">{d.campaignId}</td>
                <td className={`mono ${styles.truncate}`} title={d.url}>
                  {d.url}
                </td>
                <td>
                  <span className={`badge badge-${d.status}`}>{d.status}</span>{" "}
                  <span className="muted small-inline">{d.progress.split(": ")[1]}</span>
                  {d.lastError && <div className="error small-inline">{d.lastError}</div>}
                </td>
                <td>
                  {d.status !== "sending" && d.status !== "delivered" && (
                    <IconButton
                      label={`Resend delivery ${d.id}`}
                      icon={RotateCcw}
                      onClick={() => onResend(d.id)}
                      disabled={!canEdit}
                    />
                  )}
                </td>
              </tr>
            ))}
            {deliveries.data?.total === 0 && <EmptyRow columns={5}>No deliveries match.</EmptyRow>}
          </tbody>
        </table>
        <section className="card" aria-label="Delivery details">
          {!detail.data && <p className="muted">Choose a delivery to see its attempts.</p>}
          {detail.data && <DeliveryDetails delivery={detail.data} />}
        </section>
      </div>
    </div>
  );
}

/** A datetime-local input's value is local time without a zone: yyyy-mm-ddThh:mm. */
function localInputValue(date: Date): string {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
