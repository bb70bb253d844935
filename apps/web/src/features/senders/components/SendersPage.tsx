import { channelLabels } from "@switchboard/domain/campaign";
import { providerLabels } from "@switchboard/domain/messaging/provider";
import { useState } from "react";
import { Link } from "react-router";
import { useSenders } from "../../../api/senders";
import { useCan } from "../../../api/session";
import { EmptyRow } from "../../../components/EmptyRow";
import { SenderDialog } from "./SenderDialog";
import { SenderForm } from "./SenderForm";

export function SendersPage() {
  const senders = useSenders();
  const isAdmin = useCan("admin");
  const [openId, setOpenId] = useState<string | null>(null);
  const open = senders.data?.items.find((s) => s.id === openId);

  return (
    <div className="page">
      <header className="page-header row">
        <div>
          <h1>Senders</h1>
          <p className="muted">The phone numbers and WhatsApp accounts your campaigns send from.</p>
        </div>
        {isAdmin && <Link to="/senders/opt-outs">Opt-outs</Link>}
      </header>
      {isAdmin && <SenderForm />}
      <table className="table" aria-label="Senders">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Provider</th>
            <th scope="col">Channel</th>
            <th scope="col">Address</th>
          </tr>
        </thead>
        <tbody>
          {senders.data?.items.map((s) => (
            <tr key={s.id}>
              <td>
                <button type="button" className="link-button" onClick={() => setOpenId(s.id)}>
                  {s.name}
                </button>
              </td>
              <td>{providerLabels[s.provider]}</td>
              <td>{channelLabels[s.channel]}</td>
              <td className="mono">{s.address}</td>
            </tr>
          ))}
          {senders.data?.total === 0 && (
            <EmptyRow columns={4}>No senders yet. Add the number your campaigns will send from.</EmptyRow>
          )}
        </tbody>
      </table>
      {open && <SenderDialog sender={open} onClose={() => setOpenId(null)} />}
    </div>
  );
}
