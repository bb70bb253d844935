import { useState } from "react";
import { EmptyRow } from "../../../components/EmptyRow";
import { TableHead } from "../../../components/TableHead";
import { useAudit } from "../api/admin";

/** Who created, changed, published, deleted or revealed what, newest first. */
export function AuditPage() {
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const query = new URLSearchParams({ ...(actor ? { actor } : {}), ...(action ? { action } : {}), limit: "100" });
  const audit = useAudit(query.toString());
  return (
    <div className="page">
      <header className="page-header">
        <h1>Audit log</h1>
      </header>
      <search className="card form-grid" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-actor">Who</label>
          <input
            id="audit-actor"
            value={actor}
            onChange={(e) => setActor(e.target.value)}
            placeholder="email or token"
          />
        </div>
        <div className="field">
          <label htmlFor="audit-action">What</label>
          <input
            id="audit-action"
            value={action}
            onChange={(e) => setAction(e.target.value)}
            placeholder="Publish, Reveal, Delete…"
          />
        </div>
      </search>
      <table className="table" aria-label="Audit log">
        <TableHead columns={["When", "Who", "What", "On"]} />
        <tbody>
          {audit.data?.items.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>
                {e.targetType}
                {e.targetId ? <span className="mono"> {e.targetId}</span> : null}
              </td>
            </tr>
          ))}
          {audit.data?.total === 0 && <EmptyRow columns={4}>Nothing recorded yet.</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
