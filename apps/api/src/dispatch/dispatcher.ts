import { insideServiceWindow, outsideWindowReason } from "@switchboard/domain/messaging/window";
import type pg from "pg";
import { isDatabaseUnavailable } from "../db/errors";
import { DatabaseOutage } from "../db/outage";
import type { Logger } from "../logger";
import { type SentHeader, shownAttemptHeaders } from "../secrets/attempt-headers";
import type { AddressPolicy } from "./address-policy";
import { AttemptLog, type AttemptLogOptions } from "./attempt-log";
import { Claims, type EndpointNow } from "./claims";
import type { ClaimedDelivery, CommittedDelivery } from "./delivery-rows";
import { type AttemptOutcome, defaultLimits, type ErrorClass, type SendLimits, sendWebhook } from "./http-sender";
import { HostNotAllowed, type SendTimeSecrets } from "./send-time-secrets";
import { type Caps, originOf, Slots } from "./slots";

export interface DispatcherOptions extends Partial<Omit<Caps, "perHost">> {
  pool: pg.Pool;
  policy: AddressPolicy;
  logger: Logger;
  limits?: SendLimits;
  now?: () => Date;
  random?: () => number;
  /** Twice perEndpoint when absent (see Caps). */
  perHost?: number | undefined;
  /** How often to look for due deliveries when nobody pokes. */
  pollMs?: number;
  send?: typeof sendWebhook;
  /**
   * false in scale-out mode: the queue says what to deliver (`deliver`), and this dispatcher never looks for due rows
   * itself; the sweeper re-enqueues what the queue lost.
   */
  polling?: boolean;
  /** Opens sealed header values and signing secrets at send time (and only then). */
  secrets: SendTimeSecrets;
  /** Told when an attempt failed and another is due later (scale-out mode enqueues a delayed job for it). */
  onRetry?: AttemptLogOptions["onRetry"];
  /** Told of every attempt, for /metrics. */
  onAttempt?: AttemptLogOptions["onAttempt"];
  /** Whether attempts are counted in the reports (REPORT_EVENTS). */
  reportEvents?: boolean;
  /**
   * Told when claimed deliveries leave this dispatcher's hands: their attempt written (or its write failed: the lease
   * covers them then), or handed back to the outbox. The dispatcher thread's owner releases the rest if it dies.
   */
  onSettled?: (ids: readonly string[]) => void;
}

/** What became of a delivery the queue asked for. */
export type DeliverResult =
  | { kind: "sent" }
  /** Not due yet (a retry), or another sender holds its lease: try again at `at`. */
  | { kind: "later"; attempts: number; at: Date }
  /**
   * Due, but its endpoint (`endpoint`, its URL) or that endpoint's host is at its cap here, this dispatcher is full
   * (`endpoint` null), or another sender is claiming it: try again shortly (see waitForSlot).
   */
  | { kind: "busy"; endpoint: string | null }
  /** Delivered, failed for good, cancelled, or gone. */
  | { kind: "finished" }
  | { kind: "error"; message: string };

/** While the database is away, how often the dispatcher tries it again. */
const OUTAGE_RETRY_MS = 1_000;

/**
 * Delivers the outbox: the loop that ties the claims (which rows are ours), the slots (how many may be in flight, and
 * what waits for one) and the attempt log (what became of each). Deliveries come in three ways — claimed at insert
 * and handed over whole (deliverClaimed), asked for by id (deliver), or found by polling (tick) — and each is sent
 * with its secrets opened just before, then recorded.
 */
export class Dispatcher {
  private readonly o: Required<Omit<DispatcherOptions, "pool" | "policy" | "logger" | "secrets">> &
    Pick<DispatcherOptions, "pool" | "policy" | "logger" | "secrets">;
  private readonly claims: Claims;
  private readonly slots: Slots;
  private readonly log: AttemptLog;
  /** The database is away: claims pause (one log line), finished attempts wait in memory to be written. */
  private readonly outage: DatabaseOutage;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking = false;
  private again = false;
  /**
   * Whether the outbox may hold more than the last claim took. Embedded mode hands most deliveries over at insert, so
   * a freed slot claims again only when something may be waiting; otherwise every slot freed would search the table.
   */
  private backlog = true;
  private readonly pending = new Set<Promise<void>>();

  constructor(options: DispatcherOptions) {
    this.o = {
      limits: defaultLimits,
      now: () => new Date(),
      random: Math.random,
      maxInFlight: 128,
      perEndpoint: 32,
      leaseMs: 60_000,
      pollMs: 500,
      reportEvents: true,
      send: sendWebhook,
      onAttempt: () => {},
      polling: true,
      onRetry: () => {},
      onSettled: () => {},
      ...options,
      perHost: options.perHost ?? 2 * (options.perEndpoint ?? 32),
    };
    this.outage = new DatabaseOutage(this.o.logger, "deliveries");
    this.claims = new Claims(this.o.pool, this.o.leaseMs);
    this.slots = new Slots(this.o, (row, host) => this.launch(row, host));
    this.log = new AttemptLog({
      ...this.o,
      outage: this.outage,
      running: () => this.running,
      onRetry: (id, attempts, at) => {
        this.wakeAt(at);
        this.o.onRetry(id, attempts, at);
      },
    });
  }

  start(): void {
    this.running = true;
    if (this.o.polling) this.schedule(0);
  }

  /** Stops claiming; resolves when the attempts under way have been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.slots.stopWaiting();
    if (this.timer) clearTimeout(this.timer);
    await this.taking;
    await this.unpark(true).catch(() => {
      // Their lease runs out and polling claims them then.
    });
    await Promise.allSettled([...this.pending]);
  }

  /** Whether the database is away (claims paused); its start and end are logged once each. */
  get paused(): boolean {
    return this.outage.active;
  }

  /** Resolves when every attempt under way has been recorded. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** New deliveries were committed: look now rather than at the next poll. */
  poke(): void {
    // While the database is away, the loop tries it again at its own pace.
    if (!this.running || !this.o.polling || this.outage.active) return;
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  /** One pass: claim what is due and free to send, and send it. Exposed for tests that drive time themselves. */
  async tick(): Promise<number> {
    this.ticking = true;
    try {
      const free = this.slots.free;
      if (free <= 0) return 0;
      const saturated = this.slots.saturated();
      const rows = await this.claims.due(this.o.now(), free, saturated);
      this.outage.over();
      const back = this.startUnderCaps(rows);
      // Rows left behind for a saturated endpoint or host, or more than this claim could take: claim again as slots
      // free.
      this.backlog =
        rows.length >= free || saturated.endpoints.length > 0 || saturated.hostUrls.length > 0 || back.length > 0;
      if (back.length) await this.handBack(back);
      return rows.length - back.length;
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Starts the claimed deliveries that fit under the caps (`onSent` told of each once its attempt is recorded), and
   * returns the ids of those claimed beyond an endpoint's or a host's cap within this batch, to hand back untried.
   */
  private startUnderCaps(rows: readonly ClaimedDelivery[], onSent?: (id: string) => void): string[] {
    const back: string[] = [];
    for (const row of rows) {
      const host = originOf(row.url);
      if (!this.slots.hasSlot(row.url, host)) back.push(row.id);
      else this.launch(row, host, onSent && (() => onSent(row.id)));
    }
    return back;
  }

  /** Claimed here but not sent: back to the outbox, untried, for the next claim (polling takes them). */
  private async handBack(ids: readonly string[]): Promise<void> {
    try {
      await this.claims.handBack(ids);
    } finally {
      this.o.onSettled(ids);
    }
  }

  /** Parked deliveries that waited too long (all of them at stop) go back to the outbox. */
  private async unpark(all = false): Promise<void> {
    const back = this.slots.unpark(all);
    if (back.length) await this.handBack(back);
  }

  /** Deliveries turns inserted already claimed, taken together a moment later. */
  private arrived: CommittedDelivery[] = [];
  private taking: Promise<void> | null = null;

  /**
   * Deliveries a turn just committed, already claimed for this dispatcher, handed over whole — sent without a claim
   * statement. What does not fit under the caps now waits in memory for a slot (bounded, see Slots.park), then goes
   * back to the outbox for polling, as does what waits for a disabled endpoint; if this process dies first, their
   * lease runs out and they are claimed again.
   */
  deliverClaimed(rows: readonly CommittedDelivery[]): void {
    if (!this.running) return;
    this.arrived.push(...rows);
    this.taking ??= new Promise((r) => setTimeout(r, 1)).then(() => this.takeArrived());
  }

  private async takeArrived(): Promise<void> {
    const rows = this.arrived;
    this.arrived = [];
    this.taking = null;
    try {
      // The endpoint's signing secrets are read now, as a claim reads them: a rotation signs every later attempt.
      // Messages have no webhook endpoint (their entryId is the sender's): a batch of them alone reads nothing, which
      // on the embedded database's one connection would wait behind the turns for an empty answer.
      const webhookEntries = new Set(rows.flatMap((r) => (r.kind === "message" ? [] : [r.entryId])));
      const endpoints = webhookEntries.size
        ? await this.claims.endpoints([...webhookEntries])
        : new Map<string, EndpointNow>();
      const back: string[] = [];
      const now = Date.now();
      for (const row of rows) {
        const endpoint = endpoints.get(row.entryId);
        const claimed = {
          ...row,
          currentSecret: endpoint?.currentSecret ?? null,
          previousSecret: endpoint?.previousSecret ?? null,
        };
        const host = originOf(row.url);
        if (!this.running || endpoint?.disabled) back.push(row.id);
        else if (!this.slots.hasParked(row.url) && this.slots.hasSlot(row.url, host)) this.launch(claimed, host);
        // No slot now, but one frees within milliseconds while the endpoint is healthy: wait here, in order.
        else if (!this.slots.park(claimed, now)) back.push(row.id);
      }
      if (back.length) {
        await this.handBack(back);
        this.poke();
      }
    } catch (error) {
      if (!this.outage.noticed(error))
        this.o.logger.warn(
          { error: (error as Error).message, deliveries: rows.length },
          "could not start claimed deliveries; they go back to the outbox",
        );
      await this.handBack(rows.map((r) => r.id)).catch(() => {
        // Their lease runs out and polling claims them then.
      });
      this.poke();
    }
  }

  /** Deliveries asked for by id, claimed together a moment later: one claim statement serves many jobs. */
  private wanted = new Map<string, ((result: DeliverResult) => void)[]>();
  private claiming: Promise<void> | null = null;

  /**
   * Deliver this one delivery now if it is due and free (claimed with a lease, as in polling mode): the scale-out
   * worker's jobs, and deliveries made due by id. Resolves once its attempt is recorded, or at once with why it was
   * not sent.
   */
  deliver(id: string): Promise<DeliverResult> {
    return new Promise((resolve) => {
      this.wanted.set(id, [...(this.wanted.get(id) ?? []), resolve]);
      if (!this.claiming) this.claiming = new Promise((r) => setTimeout(r, 1)).then(() => this.claimWanted());
    });
  }

  private async claimWanted(): Promise<void> {
    const wanted = this.wanted;
    this.wanted = new Map();
    this.claiming = null;
    const answer = (id: string, result: DeliverResult) => {
      for (const resolve of wanted.get(id) ?? []) resolve(result);
    };
    // Never more in flight than the cap: what does not fit now is answered busy (the queue retries it shortly; in
    // embedded mode the next poll takes it). The claim's LIMIT counts only what may go: jobs for an endpoint at its
    // cap, however many, take no slot from the others.
    const free = Math.max(0, this.slots.free);
    const ids = [...wanted.keys()];
    if (free === 0) {
      for (const id of ids) answer(id, { kind: "busy", endpoint: null });
      return;
    }
    try {
      const now = this.o.now();
      const rows = await this.claims.byId(ids, now, free, this.slots.saturated());
      this.outage.over();
      const back = this.startUnderCaps(rows, (id) => answer(id, { kind: "sent" }));
      const claimed = new Set(rows.map((row) => row.id));
      for (const id of back) claimed.delete(id);
      if (back.length) await this.handBack(back);
      // The rest say where they stand: later (a retry not yet due, or another sender's lease), busy, or finished.
      const others = ids.filter((id) => !claimed.has(id));
      if (others.length === 0) return;
      const byId = new Map((await this.claims.states(others)).map((r) => [r.id, r]));
      // The claim took as many as were free: a due delivery left behind whose endpoint had a slot waits for any slot.
      const full = rows.length >= free;
      for (const id of others) {
        const state = byId.get(id);
        if (!state) answer(id, { kind: "finished" });
        else if (state.status === "pending" && state.nextAttemptAt > now)
          answer(id, { kind: "later", attempts: state.attempts, at: state.nextAttemptAt });
        else if (state.status === "sending" && state.leaseUntil && state.leaseUntil >= now)
          answer(id, { kind: "later", attempts: state.attempts, at: state.leaseUntil });
        else if (state.status === "pending" || state.status === "sending")
          answer(id, {
            kind: "busy",
            endpoint: full && !this.slots.atCap(state.url, originOf(state.url)) ? null : state.url,
          });
        else answer(id, { kind: "finished" });
      }
    } catch (error) {
      this.outage.noticed(error);
      for (const id of ids) answer(id, { kind: "error", message: (error as Error).message });
    }
  }

  /** Scale-out mode: a job whose endpoint (or its host) is at its cap waits for a slot (see Slots.waitFor). */
  waitForSlot(endpoint: string | null, ms: number): Promise<boolean> {
    if (!this.running) return Promise.resolve(false);
    return this.slots.waitFor(endpoint, ms);
  }

  /** Starts an attempt; `host` is originOf(row.url), which the caller has at hand. */
  private launch(row: ClaimedDelivery, host: string, done?: () => void): void {
    this.slots.take(row.url, host);
    const work = this.attempt(row)
      .catch((error) =>
        this.o.logger.error(
          { delivery: row.id, error: (error as Error).message },
          "recording a delivery attempt failed",
        ),
      )
      .finally(() => {
        this.pending.delete(work);
        this.slots.release(row.url, host);
        done?.();
        // The next message of this conversation may go now that this one left the outbox (or is due later).
        if (row.kind === "message") this.backlog = true;
        // Slots freed up: claim again once a quarter of them are free (or all are), so that one claim query serves
        // many deliveries rather than one each.
        if (this.backlog && (this.slots.inUse === 0 || this.slots.free >= Math.max(1, this.o.maxInFlight / 4)))
          this.poke();
      });
    this.pending.add(work);
  }

  /** Sends one claimed delivery, its secrets opened just before, and records the attempt. */
  private async attempt(row: ClaimedDelivery): Promise<void> {
    const startedAt = this.o.now();
    let outcome: AttemptOutcome;
    let sent: readonly SentHeader[] = [];
    const window = row.serviceWindow;
    if (window && !insideServiceWindow(window.lastInboundAt, startedAt)) {
      // Not sent, and never retried: only a template may reach the user now, and we send none yet.
      outcome = refusal("outside_window", outsideWindowReason(window.lastInboundAt));
      await this.log.record(row, startedAt, outcome, {});
      return;
    }
    try {
      const endpoint = await this.o.secrets.resolve(row);
      sent = endpoint.headers;
      outcome = await this.o.send(
        {
          id: row.id,
          url: endpoint.url,
          body: row.payload,
          headers: endpoint.headers,
          secrets: endpoint.secrets,
          test: row.test,
          plain: row.kind === "message",
        },
        this.o.policy,
        this.o.limits,
        this.o.now,
      );
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        // Its secrets could not be read: nothing was sent. The delivery stays claimed until its lease runs out, then
        // is claimed again, rather than count a failed attempt that the receiver never saw.
        this.o.onSettled([row.id]);
        return;
      }
      // A secret that cannot be opened (lost key, tampered row) fails this attempt, visibly, and is retried later; one
      // refused to this URL's host fails the delivery for good (see AttemptLog.record).
      outcome = refusal(error instanceof HostNotAllowed ? "host_not_allowed" : "secret", (error as Error).message);
    }
    await this.log.record(row, startedAt, outcome, shownAttemptHeaders(outcome.requestHeaders, sent));
  }

  private wakeAt(at: Date): void {
    if (!this.o.polling) return;
    const ms = at.getTime() - this.o.now().getTime();
    if (ms < this.o.pollMs) this.schedule(Math.max(0, ms));
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), ms);
  }

  private async loop(): Promise<void> {
    try {
      await this.unpark();
      do {
        this.again = false;
        await this.tick();
      } while (this.again && this.running);
    } catch (error) {
      if (!this.outage.noticed(error))
        this.o.logger.warn({ error: (error as Error).message }, "the dispatcher could not claim deliveries; retrying");
    }
    this.schedule(this.outage.active ? Math.max(this.o.pollMs, OUTAGE_RETRY_MS) : this.o.pollMs);
  }
}

/** An attempt that ended before anything was sent. */
const refusal = (errorClass: ErrorClass, errorMessage: string): AttemptOutcome => ({
  ok: false,
  status: null,
  durationMs: 0,
  responseExcerpt: "",
  responseHeaders: {},
  errorClass,
  errorMessage,
  retryAfterMs: null,
  requestHeaders: {},
});
