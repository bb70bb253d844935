import type { Channel } from "@switchboard/domain/campaign";
import { messageStats } from "@switchboard/domain/channel-limits";

/** The message's length in the channel's own terms: SMS segments and encoding, or WhatsApp's 1024 characters. */
export function MessageCounter({ id, channel, text }: { id: string; channel: Channel; text: string }) {
  const stats = messageStats(channel, text);
  const over = stats.characters > stats.limit;
  const detail =
    stats.segments === null
      ? `${stats.characters} / ${stats.limit} characters`
      : `${stats.characters} characters · ${stats.segments} SMS segment${stats.segments === 1 ? "" : "s"} (${stats.encoding})`;
  return (
    <span id={id} className={over ? "counter over" : "counter"} aria-live="polite">
      {detail}
      {over && ` — over the limit of ${stats.limit}`}
    </span>
  );
}
