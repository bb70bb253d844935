import { ArrowLeft } from "lucide-react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyRow } from "../../../components/EmptyRow";
import { useOutboundMessages, useSessions, useTranscript } from "../api/conversations";
import { outboundStateBadge, outboundStateLabels } from "../model/outbound-state";
import styles from "./conversations.module.css";

const statusLabels: Record<string, string> = {
  active: "Active",
  ended: "Ended",
  handed_off: "Handed off",
  live_chat: "Live chat",
};

/** A chatbot's conversations, and the transcript of the one selected. */
export function ConversationsPage() {
  const campaignId = Number(useParams().campaignId);
  const [test, setTest] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const sessions = useSessions(campaignId, test);
  const transcript = useTranscript(selected);
  const outbound = useOutboundMessages(selected);

  return (
    <div className="page">
      <header className="page-header row">
        <div>
          <Link to="/campaigns" className="back-link">
            <ArrowLeft size={14} aria-hidden /> Campaigns
          </Link>
          <h1>Conversations of campaign {campaignId}</h1>
        </div>
        <label className="field checkbox inline-check">
          <input type="checkbox" checked={test} onChange={(e) => setTest(e.target.checked)} />
          <span>Show simulator conversations</span>
        </label>
      </header>
      <div className="split">
        <table className="table" aria-label="Conversations">
          <thead>
            <tr>
              <th scope="col">Phone number</th>
              <th scope="col">Status</th>
              <th scope="col">Version</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {sessions.data?.items.map((s) => (
              <tr key={s.id} aria-selected={s.id === selected} className={s.id === selected ? "selected" : undefined}>
                <td>
                  <button type="button" className="link-button mono" onClick={() => setSelected(s.id)}>
                    {s.phoneNumber}
                  </button>
                </td>
                <td>{statusLabels[s.status] ?? s.status}</td>
                <td>v{s.flowVersion}</td>
                <td>{new Date(s.lastActivityAt).toLocaleString()}</td>
              </tr>
            ))}
            {sessions.data?.total === 0 && <EmptyRow columns={4}>No conversations yet.</EmptyRow>}
          </tbody>
        </table>
        <section className={`card ${styles.transcript}`} aria-label="Transcript">
          {!selected && <p className="muted">Choose a conversation to read it.</p>}
          {transcript.data?.messages.map((m) => (
            <div key={m.id} className={`bubble ${m.direction}`}>
              <p>{m.text}</p>
              <time dateTime={m.createdAt}>{new Date(m.createdAt).toLocaleTimeString()}</time>
            </div>
          ))}
          {!!outbound.data?.items.length && (
            <>
              <h2 className={styles.heading}>Sent through the provider</h2>
              <ul className={styles.outbound} aria-label="Outbound messages">
                {outbound.data.items.map((m) => (
                  <li key={m.id}>
                    <span className={`badge ${outboundStateBadge[m.state]}`}>{outboundStateLabels[m.state]}</span>{" "}
                    <span>{m.text}</span>
                    {m.reason && <div className="error small-inline">{m.reason}</div>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
