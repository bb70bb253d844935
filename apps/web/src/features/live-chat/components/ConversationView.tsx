import { useEffect, useRef, useState } from "react";
import { useTeams } from "../../../api/teams";
import { FieldError } from "../../../components/FieldError";
import { ApiError } from "../../../lib/api-client";
import { type Conversation, useAgents, useConversation, useConversationActions } from "../api/inbox";
import { deliveryStateLabels, sendsOnKey, transcriptKindLabels } from "../model/inbox-model";
import styles from "./live-chat.module.css";

const problemOf = (error: unknown) => (error instanceof ApiError ? error.message : undefined);

/** One conversation: its whole transcript, the contact, and what the agent can do with it. */
export function ConversationView({
  id,
  me,
  onTaken,
  onClosed,
}: {
  id: string;
  me: { userId: string; name: string };
  onTaken: () => void;
  onClosed: () => void;
}) {
  const conversation = useConversation(id);
  const actions = useConversationActions(id);
  const c = conversation.data;
  const mine = c?.state === "assigned" && c.agent?.userId === me.userId;
  const unread = c?.unread ?? 0;
  const read = actions.read.mutate;
  // What the agent has on screen is read.
  useEffect(() => {
    if (mine && unread > 0) read();
  }, [mine, unread, read]);

  if (conversation.isPending) return <p className="muted">Loading the conversation…</p>;
  if (!c) return <p role="alert">{problemOf(conversation.error) ?? "This conversation cannot be shown."}</p>;

  return (
    <section className={`card ${styles.conversation}`} aria-labelledby="conversation-title">
      <header>
        <h2 id="conversation-title">
          {c.contactName ? `${c.contactName} · ` : ""}
          <span className="mono">{c.phoneNumber}</span>
        </h2>
        <p className="muted">
          {c.campaign.name} · {c.team ? `Team ${c.team.name}` : "Any agent"} ·{" "}
          {c.state === "waiting" ? "Waiting" : c.state === "closed" ? "Closed" : `With ${c.agent?.name ?? "an agent"}`}
        </p>
      </header>
      {c.whatsappWindow && (
        <p className={c.whatsappWindow.open ? "muted" : styles.notice} role="note">
          {c.whatsappWindow.open && c.whatsappWindow.closesAt
            ? `WhatsApp's 24-hour window is open until ${new Date(c.whatsappWindow.closesAt).toLocaleString()}.`
            : "WhatsApp's 24-hour window is closed: the user must write again before an agent can reply."}
        </p>
      )}
      {c.optedOut && (
        <p className={styles.notice} role="note">
          This number opted out (STOP): nothing can be sent to it.
        </p>
      )}
      <Transcript conversation={c} />
      {Object.keys(c.attributes).length > 0 && (
        <dl className={styles.attributes} aria-label="Contact attributes">
          {Object.entries(c.attributes).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {(c.state === "waiting" || (c.state === "assigned" && !c.agent)) && <TakeButton id={id} onTaken={onTaken} />}
      {mine && (
        <>
          <ReplyBox id={id} conversation={c} />
          <div className={styles.toolbar}>
            <TransferControl id={id} me={me} />
            <CloseControl id={id} onClosed={onClosed} />
          </div>
        </>
      )}
      {c.state === "assigned" && !mine && (
        <p className="muted">{c.agent?.name ?? "Another agent"} has this conversation.</p>
      )}
    </section>
  );
}

function Transcript({ conversation }: { conversation: Conversation }) {
  const end = useRef<HTMLLIElement>(null);
  const count = conversation.transcript.length;
  useEffect(() => {
    if (count > 0) end.current?.scrollIntoView?.({ block: "nearest" });
  }, [count]);
  return (
    <ol className={styles.transcript} aria-label="Transcript" aria-live="polite">
      {conversation.transcript.map((t, i) => (
        <li key={t.id} className={styles[t.kind]} ref={i === count - 1 ? end : undefined}>
          <span className={styles.kind}>
            {t.kind === "agent" && t.agent ? t.agent.name : transcriptKindLabels[t.kind]}
          </span>
          <p>{t.text}</p>
          <time dateTime={t.at}>{new Date(t.at).toLocaleTimeString()}</time>
          {t.delivery && (
            <span className="badge" title={t.delivery.reason ?? undefined}>
              {deliveryStateLabels[t.delivery.state] ?? t.delivery.state}
              {t.delivery.reason ? `: ${t.delivery.reason}` : ""}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

function TakeButton({ id, onTaken }: { id: string; onTaken: () => void }) {
  const { take } = useConversationActions(id);
  return (
    <div className={styles.toolbar}>
      <button
        type="button"
        className="button primary"
        disabled={take.isPending}
        onClick={() => take.mutate(undefined, { onSuccess: onTaken })}
      >
        Take
      </button>
      {take.error && (
        <p role="alert" className="field-error">
          {problemOf(take.error)}
        </p>
      )}
    </div>
  );
}

function ReplyBox({ id, conversation }: { id: string; conversation: Conversation }) {
  const { reply } = useConversationActions(id);
  const [text, setText] = useState("");
  const blocked = conversation.optedOut
    ? "This number opted out: replies are not possible."
    : conversation.whatsappWindow && !conversation.whatsappWindow.open
      ? "Outside WhatsApp's 24-hour window: wait for the user to write again."
      : null;
  const tooLong = text.length > conversation.replyMax;
  const send = () => {
    if (!text.trim() || tooLong || blocked || reply.isPending) return;
    reply.mutate(text, { onSuccess: () => setText("") });
  };
  const error = blocked ?? (tooLong ? `At most ${conversation.replyMax} characters on this channel.` : undefined);
  return (
    <form
      className={styles.reply}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label className="field">
        <span>Reply</span>
        <textarea
          value={text}
          rows={3}
          disabled={!!blocked}
          aria-describedby="reply-error reply-count"
          aria-invalid={tooLong || !!reply.error}
          onChange={(e) => {
            setText(e.target.value);
            if (reply.error) reply.reset();
          }}
          onKeyDown={(e) => {
            if (sendsOnKey({ key: e.key, shiftKey: e.shiftKey, isComposing: e.nativeEvent.isComposing })) {
              e.preventDefault();
              send();
            }
          }}
        />
      </label>
      <span id="reply-count" className="muted">
        {text.length} / {conversation.replyMax}
      </span>
      <FieldError id="reply-error" message={error ?? problemOf(reply.error)} />
      <button type="submit" className="button primary" disabled={!!blocked || tooLong || reply.isPending}>
        Send
      </button>
    </form>
  );
}

function TransferControl({ id, me }: { id: string; me: { userId: string } }) {
  const { transfer } = useConversationActions(id);
  const agents = useAgents();
  const teams = useTeams();
  const [to, setTo] = useState("");
  return (
    <form
      className={styles.inline}
      onSubmit={(e) => {
        e.preventDefault();
        const [kind, target] = to.split(":");
        if (!target) return;
        transfer.mutate(kind === "team" ? { teamId: target } : { userId: target }, { onSuccess: () => setTo("") });
      }}
    >
      <label className="field">
        <span>Transfer to</span>
        <select value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">Choose an agent or a team</option>
          <optgroup label="Agents">
            {agents.data?.items
              .filter((a) => a.userId !== me.userId)
              .map((a) => (
                <option key={a.userId} value={`user:${a.userId}`}>
                  {a.name}
                </option>
              ))}
          </optgroup>
          <optgroup label="Teams (back to their queue)">
            {teams.data?.items.map((t) => (
              <option key={t.id} value={`team:${t.id}`}>
                {t.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <button type="submit" className="button" disabled={!to || transfer.isPending}>
        Transfer
      </button>
      {transfer.error && (
        <p role="alert" className="field-error">
          {problemOf(transfer.error)}
        </p>
      )}
    </form>
  );
}

function CloseControl({ id, onClosed }: { id: string; onClosed: () => void }) {
  const { close } = useConversationActions(id);
  const [message, setMessage] = useState("");
  return (
    <form
      className={styles.inline}
      onSubmit={(e) => {
        e.preventDefault();
        close.mutate(message, { onSuccess: onClosed });
      }}
    >
      <label className="field">
        <span>Closing message (optional)</span>
        <input value={message} onChange={(e) => setMessage(e.target.value)} />
      </label>
      <button type="submit" className="button danger" disabled={close.isPending}>
        Close conversation
      </button>
      {close.error && (
        <p role="alert" className="field-error">
          {problemOf(close.error)}
        </p>
      )}
    </form>
  );
}
