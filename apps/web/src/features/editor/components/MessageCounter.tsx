import type { Channel } from "@switchboard/domain/campaign";
import { messageStats } from "@switchboard/domain/channel-limits";
import { classNames } from "../../../lib/class-names";
import styles from "./editor.module.css";

/** The message's length in the channel's own terms: SMS segments and encoding, or WhatsApp's 1024 characters. */
export function MessageCounter({ id, channel, text }: { id: string; channel: Channel; text: string }) {
  const stats = messageStats(channel, text);
  const over = stats.characters > stats.limit;
  const detail =
    stats.segments === null
      ? `${stats.characters} / ${stats.limit} characters`
      : `${stats.characters} characters · ${stats.segments} SMS segment${stats.segments === 1 ? "" : "s"} (${stats.encoding})`;
  return (
    <span id={id} className={classNames(styles.counter, over && styles.over)} aria-live="polite">
      {detail}
      {over && ` — over the limit of ${stats.limit}`}
    </span>
  );
}
