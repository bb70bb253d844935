import type { Channel } from "@switchboard/domain/campaign";
import { channelLabels } from "@switchboard/domain/campaign";
import type { Question } from "@switchboard/domain/handoff/survey";
import type { PreviewMessage } from "../model/preview";

/** What the end user sees, as the form is edited: chat bubbles, or for a web poll the link and the public page. */
export function HandoffPreview({
  channel,
  messages,
  page,
}: {
  channel: Channel;
  messages: PreviewMessage[];
  /** A web poll's page: its title and questions. */
  page?: { title: string; questions: Question[] };
}) {
  return (
    <section className="card span-2" aria-label="Preview">
      <h2 className="h2">Preview</h2>
      <p className="muted">What the end user sees on {channelLabels[channel]}, as you type (not saved yet).</p>
      <ol className="plain" style={{ display: "flex", flexDirection: "column", gap: "var(--space-2)", padding: 0 }}>
        {messages.map((m) => (
          <li key={m.when} className="bubble outbound" aria-label={m.when} style={{ listStyle: "none" }}>
            <p className="muted">{m.when}</p>
            <p>{m.text}</p>
            {m.buttons.length > 0 && (
              <ul aria-label={m.shape === "buttons" ? "WhatsApp buttons" : "WhatsApp list"}>
                {m.buttons.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {page && (
        <article aria-label="Web page" className="card">
          <h3>{page.title}</h3>
          {page.questions.map((q, i) => (
            <fieldset key={`${q.key}-${i}`}>
              <legend>{q.text}</legend>
              {(q.type === "single_choice" || q.type === "multiple_choice") && (
                <ul>
                  {q.choices.map((c) => (
                    <li key={c}>
                      {q.type === "single_choice" ? "○" : "☐"} {c}
                    </li>
                  ))}
                </ul>
              )}
              {q.type === "rating" && <p>☆ ☆ ☆ ☆ ☆ (1 to 5)</p>}
              {q.type === "number" && <p className="muted">A number</p>}
              {q.type === "free_text" && <p className="muted">A text answer</p>}
            </fieldset>
          ))}
          <p>
            <span className="button primary">Send</span>
          </p>
        </article>
      )}
    </section>
  );
}
