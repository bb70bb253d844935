import { ArrowLeft, Download } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";
import { useSenders } from "../../../api/senders";
import { EmptyRow } from "../../../components/EmptyRow";
import { optOutsCsvUrl, useOptOuts } from "../api/opt-outs";

/** The numbers that sent STOP (or another opt-out keyword), per sender: nothing is sent to them until START. */
export function OptOutsPage() {
  const senders = useSenders();
  const [senderId, setSenderId] = useState("");
  const optOuts = useOptOuts(senderId);

  return (
    <div className="page">
      <header className="page-header">
        <Link to="/senders" className="back-link">
          <ArrowLeft size={14} aria-hidden /> Senders
        </Link>
        <h1>Opt-outs</h1>
        <p className="muted">Numbers that opted out of a sender. Nothing is sent to them until they send START.</p>
      </header>
      <search className="filters" aria-label="Filter opt-outs">
        <label className="field inline">
          <span>Sender</span>
          <select value={senderId} onChange={(e) => setSenderId(e.target.value)}>
            <option value="">All</option>
            {senders.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <span className="grow" />
        <a className="button" href={optOutsCsvUrl} download>
          <Download size={16} aria-hidden /> Export CSV
        </a>
      </search>
      <table className="table" aria-label="Opt-outs" aria-busy={optOuts.isFetching}>
        <thead>
          <tr>
            <th scope="col">Phone number</th>
            <th scope="col">Sender</th>
            <th scope="col">Keyword</th>
            <th scope="col">Opted out</th>
          </tr>
        </thead>
        <tbody>
          {optOuts.data?.items.map((o) => (
            <tr key={`${o.senderId}-${o.phoneNumber}`}>
              <td className="mono">{o.phoneNumber}</td>
              <td>{o.senderName}</td>
              <td className="mono">{o.keyword}</td>
              <td>{new Date(o.optedOutAt).toLocaleString()}</td>
            </tr>
          ))}
          {optOuts.data?.total === 0 && <EmptyRow columns={4}>No number has opted out.</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
