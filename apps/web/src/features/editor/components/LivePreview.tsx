import { RotateCcw, Send, Smartphone } from "lucide-react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { IconButton } from "../../../components/IconButton";
import { type SimulatorResult, useSimulator } from "../api/simulator";
import { useEditor } from "../hooks/editor-context";
import styles from "./editor.module.css";

type Bubble =
  | { id: number; from: "user"; text: string }
  | { id: number; from: "bot"; text: string; options: SimulatorResult["replies"][number]["options"]; style: string }
  | { id: number; from: "webhook"; url: string; mode: string; payload: string };

/** A fresh stand-in phone per conversation, so Restart really starts over. */
const newPhone = () => `+1999${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

/**
 * An emulated phone: the marketer chats with the draft chatbot through the runtime's simulator channel (the same
 * engine as real traffic, marked test) and sees every webhook payload the turn would send.
 */
export function LivePreview() {
  const { campaignId, channel } = useEditor();
  const simulate = useSimulator(campaignId);
  const [phone, setPhone] = useState(newPhone);
  const [bubbles, setBubbles] = useState<Bubble[]>([]);
  const [text, setText] = useState("");
  const nextId = useRef(1);
  const end = useRef<HTMLLIElement | null>(null);

  useEffect(() => {
    if (bubbles.length) end.current?.scrollIntoView?.({ block: "nearest" });
  }, [bubbles]);

  const send = async (message: string, replyId?: string) => {
    if (!message.trim()) return;
    setText("");
    setBubbles((b) => [...b, { id: nextId.current++, from: "user", text: message }]);
    try {
      const result = await simulate.mutateAsync({ phoneNumber: phone, text: message, ...(replyId ? { replyId } : {}) });
      const answers: Bubble[] = [
        ...result.replies.map((r) => ({
          id: nextId.current++,
          from: "bot" as const,
          text: r.text,
          options: r.options,
          style: r.style,
        })),
        ...result.webhooks.map((w) => ({
          id: nextId.current++,
          from: "webhook" as const,
          url: w.url,
          mode: w.mode,
          payload: w.payload,
        })),
      ];
      if (answers.length === 0)
        answers.push({ id: nextId.current++, from: "bot", text: "(no answer)", options: [], style: "text" });
      setBubbles((b) => [...b, ...answers]);
    } catch {
      // The error toast says why; the message stays in the transcript so the marketer can see what was tried.
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send(text);
  };

  return (
    <section className={`${styles.phone} card`} aria-label="Live preview">
      <header className={styles.phoneHeader}>
        <Smartphone size={16} aria-hidden />
        <span>
          Live preview{" "}
          <span className="muted small-inline">· draft · {channel === "whatsapp" ? "WhatsApp" : "SMS"}</span>
        </span>
        <IconButton
          label="Restart conversation"
          icon={RotateCcw}
          title="Restart conversation"
          onClick={() => {
            setPhone(newPhone());
            setBubbles([]);
          }}
        />
      </header>
      <ol className={styles.phoneScreen} aria-label="Preview conversation" aria-live="polite">
        {bubbles.length === 0 && (
          <li className="muted small">
            Send a trigger keyword (or anything, with Auto-Reply) to start the draft chatbot.
          </li>
        )}
        {bubbles.map((b) =>
          b.from === "webhook" ? (
            <li key={b.id} className={styles.webhookBubble}>
              <details>
                <summary>
                  Webhook ({b.mode}) → {b.url}
                </summary>
                <pre className="code">{b.payload}</pre>
              </details>
            </li>
          ) : (
            <li key={b.id} className={b.from === "user" ? "bubble inbound" : "bubble outbound"}>
              <p className={b.text ? undefined : "muted"}>{b.text || "(This node has no message yet.)"}</p>
              {b.from === "bot" && b.style !== "text" && b.options.length > 0 && (
                <div className={styles.replyOptions}>
                  {b.options.map((o) => (
                    <button key={o.id} type="button" className="button small" onClick={() => void send(o.title, o.id)}>
                      {o.title}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ),
        )}
        <li ref={end} aria-hidden className={styles.phoneEnd} />
      </ol>
      <form className={styles.phoneInput} onSubmit={onSubmit}>
        <input
          aria-label="Message to the chatbot"
          placeholder="Type a message"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <IconButton label="Send message" icon={Send} type="submit" disabled={simulate.isPending || !text.trim()} />
      </form>
    </section>
  );
}
