import type { InboxEventRow } from "./live-chat-store";

/** How far behind its cursor a poll looks again: an event id taken before a neighbour's but committed after it. */
const LATE_WINDOW = 256n;
const PAGE = 500;

export interface StreamClient {
  /** Whether this person may see an event (their teams, their own, everyone's). */
  sees(e: InboxEventRow): boolean;
  send(e: InboxEventRow): void;
  /** Ends the browser's stream (the process is stopping: it reconnects to another). */
  end(): void;
}

interface Subscriber {
  client: StreamClient;
  /** The last event id sent (or known to the browser: its Last-Event-ID). */
  cursor: bigint;
  /** Ids sent within the late window, so a re-read never sends one twice. */
  sent: Set<bigint>;
  fresh: boolean;
}

/**
 * The inbox's live feed (decision 0035): one poller per process reads inbox_event after the lowest cursor and fans
 * each event out to the browsers that may see it. Reading the table (not an in-process bus) makes every API process
 * see every process's changes, and makes a reconnect's replay the same code as the live feed: a subscriber starts
 * at its Last-Event-ID. A local change kicks the poller at once; otherwise it polls every `everyMs`.
 */
export class InboxStream {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly store: {
      eventsAfter(afterId: string, limit?: number): Promise<InboxEventRow[]>;
      lastEventId(): Promise<string>;
    },
    private readonly everyMs = 250,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Starts a subscriber at `lastEventId` (a reconnect replays from there) or at the newest event. */
  async subscribe(client: StreamClient, lastEventId: string | null): Promise<() => void> {
    const start = lastEventId && /^\d{1,19}$/.test(lastEventId) ? lastEventId : await this.store.lastEventId();
    const s: Subscriber = { client, cursor: BigInt(start), sent: new Set(), fresh: true };
    this.subscribers.add(s);
    this.timer ??= setInterval(() => this.kick(), this.everyMs);
    this.kick();
    return () => {
      this.subscribers.delete(s);
      if (this.subscribers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Reads now (a change committed here); calls during a read make one more read after it. */
  kick(): void {
    if (this.subscribers.size === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.poll()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once the reads under way (and the one they asked for) are done: for tests and a clean shutdown. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of this.subscribers) s.client.end();
    this.subscribers.clear();
  }

  private async poll(): Promise<void> {
    if (this.subscribers.size === 0) return;
    let from = [...this.subscribers].reduce((m, s) => (s.cursor < m ? s.cursor : m), BigInt(Number.MAX_SAFE_INTEGER));
    from = from > LATE_WINDOW ? from - LATE_WINDOW : 0n;
    for (;;) {
      const rows = await this.store.eventsAfter(from.toString(), PAGE);
      for (const row of rows) {
        const id = BigInt(row.id);
        for (const s of this.subscribers) {
          if (s.sent.has(id)) continue;
          // A new subscriber's window holds what it already has (up to its Last-Event-ID): marked, never sent.
          if (id <= s.cursor && s.fresh) {
            s.sent.add(id);
            continue;
          }
          s.sent.add(id);
          if (id > s.cursor) s.cursor = id;
          if (s.client.sees(row)) s.client.send(row);
        }
      }
      if (rows.length < PAGE) break;
      from = BigInt((rows.at(-1) as InboxEventRow).id);
    }
    for (const s of this.subscribers) {
      s.fresh = false;
      for (const id of s.sent) if (id + LATE_WINDOW < s.cursor) s.sent.delete(id);
    }
  }
}
