import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { useSession } from "../../../api/session";
import { EmptyRow } from "../../../components/EmptyRow";
import { TableHead } from "../../../components/TableHead";
import { type InboxView, useInbox, useInboxEvents } from "../api/inbox";
import { formatWait, inboxTitle } from "../model/inbox-model";
import { ConversationView } from "./ConversationView";
import styles from "./live-chat.module.css";

const views: { view: InboxView; label: string }[] = [
  { view: "waiting", label: "Waiting" },
  { view: "mine", label: "Mine" },
  { view: "closed", label: "Closed" },
];

const streamLabels = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" } as const;

/** The agents' inbox: the conversations Live Chat entries handed over, and the one being worked on. */
export function InboxPage() {
  const [params, setParams] = useSearchParams();
  const view = (params.get("view") as InboxView | null) ?? "waiting";
  const selected = params.get("conversation");
  const stream = useInboxEvents();
  const list = useInbox(view);
  const mine = useInbox("mine");
  const waiting = useInbox("waiting");
  const me = useSession().data;
  const unread = (mine.data?.items ?? []).reduce((n, c) => n + c.unread, 0);

  useEffect(() => {
    const before = document.title;
    document.title = inboxTitle(unread);
    return () => {
      document.title = before;
    };
  }, [unread]);

  const open = (id: string | null, nextView: InboxView = view) => {
    const next = new URLSearchParams({ view: nextView });
    if (id) next.set("conversation", id);
    setParams(next);
  };
  const [announce, setAnnounce] = useState("");

  return (
    <div className="page">
      <header className="page-header row">
        <h1>Inbox</h1>
        <span
          className={`badge ${stream === "live" ? "badge-active" : "badge-pending"}`}
          role="status"
          aria-label="Live updates"
        >
          {streamLabels[stream]}
        </span>
      </header>
      <div role="tablist" aria-label="Conversations" className={styles.tabs}>
        {views.map((v) => {
          const count = v.view === "waiting" ? waiting.data?.total : v.view === "mine" ? mine.data?.total : undefined;
          return (
            <button
              key={v.view}
              type="button"
              role="tab"
              aria-selected={view === v.view}
              className={view === v.view ? styles.activeTab : undefined}
              onClick={() => open(null, v.view)}
            >
              {v.label}
              {count !== undefined ? ` (${count})` : ""}
            </button>
          );
        })}
      </div>
      <div className={styles.split}>
        <table className="table" aria-label={`${views.find((v) => v.view === view)?.label} conversations`}>
          <TableHead
            columns={["Phone number", "Campaign", "Last message", view === "closed" ? "Waited" : "Waiting", "Unread"]}
          />
          <tbody>
            {list.data?.items.map((c) => (
              <tr key={c.id} aria-selected={c.id === selected} className={c.id === selected ? "selected" : undefined}>
                <th scope="row">
                  <button type="button" className="link-button mono" onClick={() => open(c.id)}>
                    {c.contactName ? `${c.contactName} (${c.phoneNumber})` : c.phoneNumber}
                  </button>
                </th>
                <td>{c.campaign.name}</td>
                <td className={styles.lastMessage}>{c.lastMessage ?? "—"}</td>
                <td>{formatWait(c.waitSeconds)}</td>
                <td>{c.unread > 0 ? <span className="badge">{c.unread} unread</span> : "—"}</td>
              </tr>
            ))}
            {list.data?.items.length === 0 && (
              <EmptyRow columns={5}>
                {view === "waiting"
                  ? "Nobody is waiting."
                  : view === "mine"
                    ? "You have no conversation; take one from Waiting."
                    : "No conversation was closed yet."}
              </EmptyRow>
            )}
          </tbody>
        </table>
        {selected && me ? (
          <ConversationView
            key={selected}
            id={selected}
            me={{ userId: me.id, name: me.name }}
            onTaken={() => {
              setAnnounce("You took the conversation.");
              open(selected, "mine");
            }}
            onClosed={() => open(null, "mine")}
          />
        ) : (
          <p className="muted">Pick a conversation to see its transcript.</p>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {announce}
      </p>
    </div>
  );
}
