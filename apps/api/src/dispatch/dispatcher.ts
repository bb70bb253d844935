import { randomUUID } from "node:crypto";
import { type FailureKind, nextRetryDelay } from "@switchboard/domain/delivery/retry-schedule";
import { maskSecret } from "@switchboard/domain/webhook";
import type pg from "pg";
import { isDatabaseUnavailable } from "../db/errors";
import { DatabaseOutage } from "../db/outage";
import type { Logger } from "../logger";
import type { AddressPolicy } from "./address-policy";
import type { ClaimedDelivery, CommittedDelivery } from "./delivery-rows";
import { type AttemptOutcome, defaultLimits, type ErrorClass, type SendLimits, sendWebhook } from "./http-sender";
import { HostNotAllowed, type SendTimeSecrets } from "./send-time-secrets";

export interface DispatcherOptions {
  pool: pg.Pool;
  policy: AddressPolicy;
  logger: Logger;
  limits?: SendLimits;
  now?: () => Date;
  random?: () => number;
  /** Deliveries in flight at once, all endpoints together. */
  maxInFlight?: number;
  /** Deliveries in flight at once to one endpoint (a webhook URL): a slow or dead one cannot take every slot. */
  perEndpoint?: number;
  /**
   * Deliveries in flight at once to one host (scheme, host and port), its endpoints together: politeness to a receiver
   * that serves many URLs. Larger than `perEndpoint` (twice it by default), so that an endpoint that hangs leaves its
   * neighbours on the same host slots of their own.
   */
  perHost?: number;
  /** How long a claimed delivery is ours; past it, another sender may take it (this one died mid-attempt). */
  leaseMs?: number;
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
  onRetry?: (id: string, attempts: number, at: Date) => void;
  /** Told of every attempt, for /metrics. */
  onAttempt?: (
    outcome: "delivered" | "retrying" | "failed",
    errorClass: string | null,
    host: string,
    seconds: number,
  ) => void;
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

/** A claim's condition leaving out the rows of the hosts at their cap (parameter `param`); see originOf. */
const notOnHosts = (param: number) =>
  `AND NOT (split_part(url, '/', 1) || '//' || split_part(url, '/', 3) = ANY($${param}::text[]))`;

/** Claimed deliveries that may wait in memory for a slot, per slot of the dispatcher. */
const PARKED_PER_SLOT = 8;
/** How long a claimed delivery may wait in memory for a slot before it goes back to the outbox. */
const PARKED_MAX_MS = 2_000;

/** While the database is away, how often the dispatcher tries it again (and retries writing finished attempts). */
const OUTAGE_RETRY_MS = 1_000;

/** The error class of an attempt refused before sending: a secret it carries may not go to its URL's host. */
const HOST_NOT_ALLOWED: ErrorClass = "host_not_allowed";

/** Five days of nothing but failures disables an endpoint. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;

interface Recorded {
  row: Claimed;
  startedAt: Date;
  outcome: AttemptOutcome;
  shownHeaders: Record<string, string>;
  status: "delivered" | "pending" | "failed";
  nextAttemptAt: Date | null;
  now: Date;
  error: string | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

// The endpoint's signing secrets are read now, not when the event happened: a rotation signs every later attempt, with
// both secrets during its overlap. Named as ClaimedDelivery names them.
const CLAIMED_COLUMNS = `d.id, d.entry_id AS "entryId", d.url, d.headers, d.payload, d.test, d.signing_secret AS "signingSecret",
  d.attempts, d.integration_id AS "integrationId",
  (SELECT w.signing_secret FROM webhook w WHERE w.entry_id = d.entry_id::uuid) AS "currentSecret",
  (SELECT w.previous_signing_secret FROM webhook w
    WHERE w.entry_id = d.entry_id::uuid AND w.previous_signing_secret_until > now()) AS "previousSecret"`;

type Claimed = ClaimedDelivery;

/**
 * Delivers the outbox. The database row is the truth: a delivery is claimed with a lease (FOR UPDATE SKIP LOCKED, so
 * many dispatchers can share one database), sent, and its attempt recorded together with its next state. A row whose
 * lease ran out (its sender died) is claimed again: nothing stays stuck in "sending".
 */
export class Dispatcher {
  private readonly o: Required<Omit<DispatcherOptions, "pool" | "policy" | "logger" | "secrets">> &
    Pick<DispatcherOptions, "pool" | "policy" | "logger" | "secrets">;
  /** Attempts in flight per endpoint (key: its URL) and per host (key: originOf its URL). */
  private readonly inFlight = new Map<string, number>();
  private readonly hostsInFlight = new Map<string, number>();
  private total = 0;
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
  /** The database is away: claims pause (one log line), finished attempts wait in memory to be written. */
  private readonly outage: DatabaseOutage;

  constructor(options: DispatcherOptions) {
    this.o = {
      limits: defaultLimits,
      now: () => new Date(),
      random: Math.random,
      maxInFlight: 128,
      perEndpoint: 32,
      leaseMs: 60_000,
      pollMs: 500,
      send: sendWebhook,
      onAttempt: () => {},
      polling: true,
      onRetry: () => {},
      onSettled: () => {},
      ...options,
      perHost: options.perHost ?? 2 * (options.perEndpoint ?? 32),
    };
    this.outage = new DatabaseOutage(this.o.logger, "deliveries");
  }

  start(): void {
    this.running = true;
    if (this.o.polling) this.schedule(0);
  }

  /** Stops claiming; resolves when the attempts under way have been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    for (const waiting of this.waiters.values()) for (const settle of [...waiting]) settle(false);
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
      const free = this.o.maxInFlight - this.total;
      if (free <= 0) return 0;
      const saturated = this.saturated();
      const now = this.o.now();
      const { rows } = await this.o.pool.query<Claimed>(
        `WITH cancelled AS (
           -- A disabled endpoint gets no more attempts: what waits for it is cancelled.
           UPDATE delivery SET status = 'cancelled', lease_until = NULL, last_error = 'The endpoint is disabled.'
            WHERE status = 'pending' AND next_attempt_at <= $1
              AND EXISTS (SELECT 1 FROM webhook w WHERE w.entry_id = delivery.entry_id::uuid AND w.disabled_at IS NOT NULL))
         UPDATE delivery d SET status = 'sending', attempts = d.attempts + 1, lease_until = $2
          WHERE d.id IN (
            SELECT id FROM delivery
             WHERE ((status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until < $1))
               AND NOT (url = ANY($3::text[])) ${saturated.hosts.length ? notOnHosts(5) : ""}
               AND NOT EXISTS (SELECT 1 FROM webhook w WHERE w.entry_id = delivery.entry_id::uuid AND w.disabled_at IS NOT NULL)
             ORDER BY next_attempt_at
             LIMIT $4
             FOR UPDATE SKIP LOCKED)
          RETURNING ${CLAIMED_COLUMNS}`,
        [now, new Date(now.getTime() + this.o.leaseMs), saturated.endpoints, free, ...saturated.params],
      );
      this.outage.over();
      // Claimed beyond an endpoint's or a host's cap within this batch: hand back at once, untried.
      const handBack: string[] = [];
      let taken = 0;
      for (const row of rows) {
        const host = originOf(row.url);
        if (!this.hasSlot(row.url, host)) handBack.push(row.id);
        else {
          this.launch(row, host);
          taken++;
        }
      }
      // Rows left behind for a saturated endpoint or host, or more than this claim could take: claim again as slots
      // free.
      this.backlog =
        rows.length >= free || saturated.endpoints.length > 0 || saturated.hosts.length > 0 || handBack.length > 0;
      if (handBack.length) {
        await this.handBack(handBack);
      }
      return taken;
    } finally {
      this.ticking = false;
    }
  }

  /** Claimed here but not sent: back to the outbox, untried, for the next claim (polling takes them). */
  private async handBack(ids: readonly string[]): Promise<void> {
    try {
      await handBackDeliveries(this.o.pool, ids);
    } finally {
      this.o.onSettled(ids);
    }
  }

  /**
   * The endpoints and hosts at their cap here, for a claim to leave their rows in the outbox. A host's is compared
   * only when one is at its cap: the claim then computes each row's host, which it otherwise need not.
   */
  private saturated(): { endpoints: string[]; hosts: string[]; params: [string[]] | [] } {
    const endpoints: string[] = [];
    const hosts: string[] = [];
    for (const [url, n] of this.inFlight) if (n >= this.o.perEndpoint) endpoints.push(url);
    for (const [host, n] of this.hostsInFlight) if (n >= this.o.perHost) hosts.push(host);
    return { endpoints, hosts, params: hosts.length ? [hosts] : [] };
  }

  /** Claimed deliveries waiting in memory for a slot of their endpoint and its host (key: the URL), oldest first. */
  private readonly parked = new Map<string, { row: Claimed; since: number }[]>();
  private parkedCount = 0;

  /** Whether a delivery to `url` (on `host`, its originOf) may start now: under every cap. */
  private hasSlot(url: string, host: string): boolean {
    return this.total < this.o.maxInFlight && !this.atCap(url, host);
  }

  /** Whether the endpoint `url` or its host is at its cap here. */
  private atCap(url: string, host: string): boolean {
    return (this.inFlight.get(url) ?? 0) >= this.o.perEndpoint || (this.hostsInFlight.get(host) ?? 0) >= this.o.perHost;
  }

  /** A slot freed: start the oldest parked delivery of that endpoint, or of another that has a slot. */
  private launchParked(url: string): void {
    if (this.parkedCount === 0) return;
    for (const key of [url, ...this.parked.keys()]) {
      const queue = this.parked.get(key);
      if (!queue) continue;
      const host = originOf(key);
      if (!this.hasSlot(key, host)) continue;
      const next = queue.shift();
      if (queue.length === 0) this.parked.delete(key);
      if (!next) continue;
      this.parkedCount--;
      this.launch(next.row, host);
      return;
    }
  }

  /**
   * Parked deliveries older than PARKED_MAX_MS go back to the outbox: their lease must not run out in memory, and
   * their signing secrets were read when they arrived (a rotation reaches them within that time). `all` at stop.
   */
  private async unpark(all = false): Promise<void> {
    const before = Date.now() - Math.min(PARKED_MAX_MS, this.o.leaseMs / 3);
    const back: string[] = [];
    for (const [url, queue] of this.parked) {
      while (queue.length && (all || (queue[0]?.since ?? 0) < before))
        back.push((queue.shift() as { row: Claimed }).row.id);
      if (queue.length === 0) this.parked.delete(url);
    }
    if (back.length === 0) return;
    this.parkedCount -= back.length;
    await this.handBack(back);
  }

  /** Deliveries turns inserted already claimed, taken together a moment later. */
  private arrived: CommittedDelivery[] = [];
  private taking: Promise<void> | null = null;

  /**
   * Embedded mode: deliveries a turn just committed, already claimed for this dispatcher, handed over whole — sent
   * without a claim statement. What does not fit under the caps now waits in memory for a slot (bounded, see unpark),
   * then goes back to the outbox for polling, as does what waits for a disabled endpoint; if this process dies first,
   * their lease runs out and they are claimed again.
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
      const { rows: hooks } = await this.o.pool.query<{
        entry_id: string;
        current_secret: string | null;
        previous_secret: string | null;
        disabled: boolean;
      }>(
        `SELECT entry_id::text AS entry_id, signing_secret AS current_secret,
                CASE WHEN previous_signing_secret_until > now() THEN previous_signing_secret END AS previous_secret,
                disabled_at IS NOT NULL AS disabled
           FROM webhook WHERE entry_id = ANY($1::uuid[])`,
        [[...new Set(rows.map((r) => r.entryId))]],
      );
      const byEntry = new Map(hooks.map((h) => [h.entry_id, h]));
      const back: string[] = [];
      const now = Date.now();
      for (const row of rows) {
        const hook = byEntry.get(row.entryId);
        const claimed = {
          ...row,
          currentSecret: hook?.current_secret ?? null,
          previousSecret: hook?.previous_secret ?? null,
        };
        const host = originOf(row.url);
        const queue = this.parked.get(row.url);
        if (!this.running || hook?.disabled) back.push(row.id);
        else if (!queue && this.hasSlot(row.url, host)) this.launch(claimed, host);
        else if (
          this.parkedCount < this.o.maxInFlight * PARKED_PER_SLOT &&
          // An endpoint parks no more than its share: one that hangs leaves room for its neighbours' deliveries.
          (queue?.length ?? 0) < this.o.perEndpoint * PARKED_PER_SLOT
        ) {
          // No slot now, but one frees within milliseconds while the endpoint is healthy: wait here, in order.
          if (queue) queue.push({ row: claimed, since: now });
          else this.parked.set(row.url, [{ row: claimed, since: now }]);
          this.parkedCount++;
        } else back.push(row.id);
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

  /** Deliveries the queue asked for, claimed together a moment later: one claim statement serves many jobs. */
  private wanted = new Map<string, ((result: DeliverResult) => void)[]>();
  private claiming: Promise<void> | null = null;

  /**
   * Scale-out mode: deliver this one delivery now if it is due and free (claimed with a lease, as in polling mode).
   * Resolves once its attempt is recorded, or at once with why it was not sent.
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
    const free = Math.max(0, this.o.maxInFlight - this.total);
    const ids = [...wanted.keys()];
    if (free === 0) {
      for (const id of ids) answer(id, { kind: "busy", endpoint: null });
      return;
    }
    try {
      const now = this.o.now();
      const saturated = this.saturated();
      const { rows } = await this.o.pool.query<Claimed>(
        `UPDATE delivery d SET status = 'sending', attempts = d.attempts + 1, lease_until = $2
          WHERE d.id IN (
            SELECT id FROM delivery
             WHERE id = ANY($4::uuid[])
               -- Compared as text so that only the primary key finds these rows: the status index also holds an entry
               -- for every row that passed through 'sending' until vacuum, and scanning those cost more than the claim.
               AND ((status::text = 'pending' AND next_attempt_at <= $1) OR (status::text = 'sending' AND lease_until < $1))
               AND NOT (url = ANY($3::text[])) ${saturated.hosts.length ? notOnHosts(6) : ""}
               AND NOT EXISTS (SELECT 1 FROM webhook w WHERE w.entry_id = delivery.entry_id::uuid AND w.disabled_at IS NOT NULL)
             LIMIT $5
             FOR UPDATE SKIP LOCKED)
          RETURNING ${CLAIMED_COLUMNS}`,
        [now, new Date(now.getTime() + this.o.leaseMs), saturated.endpoints, ids, free, ...saturated.params],
      );
      this.outage.over();
      const handBack: string[] = [];
      const claimed = new Set<string>();
      for (const row of rows) {
        const host = originOf(row.url);
        if (!this.hasSlot(row.url, host)) {
          handBack.push(row.id);
          continue;
        }
        claimed.add(row.id);
        this.launch(row, host, () => answer(row.id, { kind: "sent" }));
      }
      if (handBack.length) {
        await this.handBack(handBack);
      }
      // The rest say where they stand: later (a retry not yet due, or another sender's lease), busy, or finished.
      const others = ids.filter((id) => !claimed.has(id));
      if (others.length === 0) return;
      const { rows: states } = await this.o.pool.query<{
        id: string;
        status: string;
        attempts: number;
        next_attempt_at: Date;
        lease_until: Date | null;
        url: string;
      }>(
        "SELECT id, status::text AS status, attempts, next_attempt_at, lease_until, url FROM delivery WHERE id = ANY($1::uuid[])",
        [others],
      );
      const byId = new Map(states.map((r) => [r.id, r]));
      // The claim took as many as were free: a due delivery left behind whose endpoint had a slot waits for any slot.
      const full = rows.length >= free;
      for (const id of others) {
        const state = byId.get(id);
        if (!state) answer(id, { kind: "finished" });
        else if (state.status === "pending" && state.next_attempt_at > now)
          answer(id, { kind: "later", attempts: state.attempts, at: state.next_attempt_at });
        else if (state.status === "sending" && state.lease_until && state.lease_until >= now)
          answer(id, { kind: "later", attempts: state.attempts, at: state.lease_until });
        else if (state.status === "pending" || state.status === "sending")
          answer(id, {
            kind: "busy",
            endpoint: full && !this.atCap(state.url, originOf(state.url)) ? null : state.url,
          });
        else answer(id, { kind: "finished" });
      }
    } catch (error) {
      this.outage.noticed(error);
      for (const id of ids) answer(id, { kind: "error", message: (error as Error).message });
    }
  }

  /** Jobs waiting here for a slot of their endpoint (key: its URL) or of any endpoint (key: ""). */
  private readonly waiters = new Map<string, Set<(freed: boolean) => void>>();
  /** How many of those wait for an endpoint of each host (key: originOf the URL). */
  private readonly hostWaiters = new Map<string, number>();

  /**
   * Scale-out mode: a job whose endpoint (or its host) was at its cap waits here, up to `ms`, for a slot it may use to
   * free (or any slot, for `null`), rather than travelling through Redis and back. Resolves true when one freed (the
   * job then asks again: another may have taken it), false at the deadline, or at once when as many jobs already wait
   * for that endpoint (or host) as the other endpoints (or hosts) have slots: a stuck endpoint holds at most half the
   * worker's jobs (the worker takes twice as many jobs as it sends at once).
   */
  waitForSlot(endpoint: string | null, ms: number): Promise<boolean> {
    const key = endpoint ?? "";
    const host = endpoint === null ? null : originOf(endpoint);
    const waiting = this.waiters.get(key) ?? new Set();
    const { maxInFlight, perEndpoint, perHost } = this.o;
    const full =
      host === null
        ? waiting.size >= maxInFlight
        : waiting.size >= Math.max(perEndpoint, maxInFlight - perEndpoint) ||
          (this.hostWaiters.get(host) ?? 0) >= Math.max(perHost, maxInFlight - perHost);
    if (full || !this.running) return Promise.resolve(false);
    this.waiters.set(key, waiting);
    if (host !== null) this.hostWaiters.set(host, (this.hostWaiters.get(host) ?? 0) + 1);
    return new Promise((resolve) => {
      const settle = (freed: boolean) => {
        clearTimeout(timer);
        waiting.delete(settle);
        if (waiting.size === 0 && this.waiters.get(key) === waiting) this.waiters.delete(key);
        if (host !== null) {
          const left = (this.hostWaiters.get(host) ?? 1) - 1;
          if (left > 0) this.hostWaiters.set(host, left);
          else this.hostWaiters.delete(host);
        }
        resolve(freed);
      };
      const timer = setTimeout(() => settle(false), ms);
      waiting.add(settle);
    });
  }

  /**
   * A slot of this endpoint and its host freed: wake the longest waiting job for that endpoint, else one for another
   * endpoint of the host (it waited for the host's cap), else one waiting for any slot.
   */
  private wakeOne(url: string, host: string): void {
    if (this.waiters.size === 0) return;
    let next = this.waiters.get(url)?.values().next().value;
    if (!next && this.hostWaiters.has(host))
      for (const [key, waiting] of this.waiters)
        if (key !== "" && originOf(key) === host && (this.inFlight.get(key) ?? 0) < this.o.perEndpoint) {
          next = waiting.values().next().value;
          break;
        }
    next ??= this.waiters.get("")?.values().next().value;
    next?.(true);
  }

  /** Starts an attempt; `host` is originOf(row.url), which the caller has at hand. */
  private launch(row: Claimed, host: string, done?: () => void): void {
    const url = row.url;
    this.inFlight.set(url, (this.inFlight.get(url) ?? 0) + 1);
    this.hostsInFlight.set(host, (this.hostsInFlight.get(host) ?? 0) + 1);
    this.total++;
    const work = this.attempt(row)
      .catch((error) =>
        this.o.logger.error(
          { delivery: row.id, error: (error as Error).message },
          "recording a delivery attempt failed",
        ),
      )
      .finally(() => {
        this.total--;
        const left = (this.inFlight.get(url) ?? 1) - 1;
        if (left > 0) this.inFlight.set(url, left);
        else this.inFlight.delete(url);
        const onHost = (this.hostsInFlight.get(host) ?? 1) - 1;
        if (onHost > 0) this.hostsInFlight.set(host, onHost);
        else this.hostsInFlight.delete(host);
        this.pending.delete(work);
        this.launchParked(url);
        this.wakeOne(url, host);
        done?.();
        // Slots freed up: claim again once a quarter of them are free (or all are), so that one claim query serves
        // many deliveries rather than one each.
        if (
          this.backlog &&
          (this.total === 0 || this.o.maxInFlight - this.total >= Math.max(1, this.o.maxInFlight / 4))
        )
          this.poke();
      });
    this.pending.add(work);
  }

  private async attempt(row: Claimed): Promise<void> {
    const startedAt = this.o.now();
    let outcome: AttemptOutcome;
    try {
      const endpoint = await this.o.secrets.resolve(row);
      outcome = await this.o.send(
        {
          id: row.id,
          url: endpoint.url,
          body: row.payload,
          headers: endpoint.headers,
          secrets: endpoint.secrets,
          test: row.test,
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
      // refused to this URL's host fails the delivery for good (see record).
      outcome = {
        ok: false,
        status: null,
        durationMs: 0,
        responseExcerpt: "",
        responseHeaders: {},
        errorClass: error instanceof HostNotAllowed ? HOST_NOT_ALLOWED : "secret",
        errorMessage: (error as Error).message,
        retryAfterMs: null,
        requestHeaders: {},
      };
    }
    await this.record(row, startedAt, outcome);
  }

  /** Finished attempts waiting to be written; flushed together, a few milliseconds apart at most. */
  private batch: Recorded[] = [];
  private flushing: Promise<void> | null = null;

  private record(row: Claimed, startedAt: Date, outcome: AttemptOutcome): Promise<void> {
    const secretNames = new Set(
      row.headers.filter((h) => h.secret || h.secretHeaderId).map((h) => h.name.toLowerCase()),
    );
    const shownHeaders = Object.fromEntries(
      Object.entries(outcome.requestHeaders).map(([k, v]) => [k, secretNames.has(k.toLowerCase()) ? maskSecret(v) : v]),
    );
    const now = this.o.now();
    let status: "delivered" | "pending" | "failed";
    let nextAttemptAt: Date | null = null;
    if (outcome.ok) status = "delivered";
    else if (outcome.status === 410) status = "failed";
    // Retrying cannot help until an admin allows the host; then Resend or Recover sends it (decision 0021).
    else if (outcome.errorClass === HOST_NOT_ALLOWED) status = "failed";
    else {
      const failure: FailureKind =
        outcome.errorClass === "timeout" ? "timeout" : outcome.status === 429 ? "rate_limited" : "other";
      const delay = nextRetryDelay({
        attempts: row.attempts,
        failure,
        retryAfterMs: outcome.retryAfterMs,
        random: this.o.random(),
      });
      if (delay === null) status = "failed";
      else {
        status = "pending";
        nextAttemptAt = new Date(now.getTime() + delay);
      }
    }
    this.o.onAttempt(
      status === "delivered" ? "delivered" : status === "pending" ? "retrying" : "failed",
      outcome.errorClass,
      new URL(row.url).host,
      outcome.durationMs / 1000,
    );
    const error = outcome.ok
      ? null
      : outcome.status === 410
        ? "The receiver answered 410 Gone: no more attempts."
        : outcome.errorMessage;
    const done = new Promise<void>((resolve, reject) => {
      this.batch.push({ row, startedAt, outcome, shownHeaders, status, nextAttemptAt, now, error, resolve, reject });
    });
    // Attempts finishing within 2 ms share one write.
    if (!this.flushing) this.flushing = new Promise((r) => setTimeout(r, 2)).then(() => this.flush());
    if (status === "pending" && nextAttemptAt) {
      this.wakeAt(nextAttemptAt);
      this.o.onRetry(row.id, row.attempts, nextAttemptAt);
    }
    return done;
  }

  /**
   * Writes a batch of attempts and the deliveries' next states in one statement. A delivery whose lease was lost
   * meanwhile (another sender took it) keeps the other sender's state; its attempt is still logged.
   */
  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.flushing = null;
    if (batch.length === 0) return;
    const col = <T>(f: (r: Recorded) => T) => batch.map(f);
    try {
      // Unnamed on purpose: a prepared statement's generic plan joins the arrays far worse than a custom plan.
      const { rows: failing } = await this.o.pool.query(
        `WITH data AS (
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::int[], $6::jsonb[], $7::int[], $8::text[],
                                $9::text[], $10::text[], $11::"DeliveryStatus"[], $12::timestamptz[], $13::timestamptz[], $14::text[])
             AS t(attempt_id, delivery_id, number, started_at, duration_ms, request_headers, status, response_excerpt,
                  error_class, error_message, next_status, next_attempt_at, now, last_error)
         ), attempts AS (
           INSERT INTO delivery_attempt (id, delivery_id, number, started_at, duration_ms, request_headers, status, response_excerpt, error_class, error_message)
           SELECT attempt_id, delivery_id, number, started_at, duration_ms, request_headers, status, response_excerpt, error_class, error_message FROM data
         ), updated AS (
           UPDATE delivery d SET status = data.next_status, next_attempt_at = COALESCE(data.next_attempt_at, d.next_attempt_at),
                  lease_until = NULL,
                  delivered_at = CASE WHEN data.next_status = 'delivered' THEN data.now ELSE d.delivered_at END,
                  last_status = data.status, last_error = data.last_error
             FROM data
            WHERE d.id = data.delivery_id AND d.status = 'sending' AND d.attempts = data.number)
         -- The batch's endpoints that have a failing streak: a success must clear it.
         SELECT 1 FROM webhook WHERE entry_id = ANY($15::uuid[]) AND failing_since IS NOT NULL LIMIT 1`,
        [
          col(() => randomUUID()),
          col((r) => r.row.id),
          col((r) => r.row.attempts),
          col((r) => r.startedAt),
          col((r) => r.outcome.durationMs),
          col((r) => JSON.stringify(r.shownHeaders)),
          col((r) => r.outcome.status),
          col((r) => r.outcome.responseExcerpt),
          col((r) => r.outcome.errorClass),
          col((r) => r.outcome.errorMessage),
          col((r) => r.status),
          col((r) => r.nextAttemptAt),
          col((r) => r.now),
          col((r) => r.error),
          [...new Set(col((r) => r.row.entryId))],
        ],
      );
      // Successes on endpoints without a failing streak change no endpoint's state: the usual batch skips the update.
      if (failing.length > 0 || batch.some((r) => !r.outcome.ok)) await this.updateEndpointHealth(batch);
      this.outage.over();
      for (const r of batch) r.resolve();
    } catch (error) {
      if (this.running && this.outage.noticed(error)) {
        // The attempts were made: write them once the database is back rather than send them again after their
        // lease. Their slots stay taken meanwhile, so nothing new is sent. (At stop, they are given up to their lease.)
        this.batch = [...batch, ...this.batch];
        this.flushing ??= new Promise((r) => setTimeout(r, OUTAGE_RETRY_MS)).then(() => this.flush());
        return;
      }
      for (const r of batch) r.reject(error);
    }
    this.o.onSettled(batch.map((r) => r.row.id));
  }

  /**
   * An endpoint that answered clears its failing streak; one that failed starts or keeps it. 410 Gone, or a streak of
   * five days, disables it, which cancels what still waits for it.
   */
  private async updateEndpointHealth(batch: Recorded[]): Promise<void> {
    const now = this.o.now();
    await this.o.pool.query(
      `WITH data AS (SELECT * FROM unnest($1::text[], $2::boolean[], $3::int[]) AS t(entry_id, ok, status)),
       agg AS (SELECT entry_id::uuid AS entry_id, bool_or(ok) AS any_ok, bool_or(status = 410) AS gone FROM data GROUP BY entry_id),
       next AS (
         SELECT w.id, agg.any_ok, agg.gone, CASE WHEN agg.any_ok THEN NULL ELSE COALESCE(w.failing_since, $4) END AS failing_since,
                w.disabled_at
           FROM webhook w JOIN agg ON agg.entry_id = w.entry_id),
       upd AS (
         UPDATE webhook w SET failing_since = next.failing_since,
                disabled_at = CASE WHEN next.disabled_at IS NOT NULL THEN next.disabled_at
                                   WHEN next.gone OR next.failing_since <= $5 THEN $4 END,
                disabled_reason = CASE WHEN next.disabled_at IS NOT NULL THEN w.disabled_reason
                                       WHEN next.gone THEN 'The receiver answered 410 Gone.'
                                       WHEN next.failing_since <= $5 THEN 'Every attempt failed for five days.' END
           FROM next
          -- Only on a change of state: a healthy endpoint's row is not rewritten by every batch.
          WHERE w.id = next.id AND next.disabled_at IS NULL
            AND (w.failing_since IS DISTINCT FROM next.failing_since OR next.gone OR next.failing_since <= $5)
         RETURNING w.entry_id, w.disabled_at)
       UPDATE delivery d SET status = 'cancelled', lease_until = NULL, last_error = 'The endpoint is disabled.'
         FROM upd WHERE upd.disabled_at IS NOT NULL AND d.entry_id = upd.entry_id::text AND d.status = 'pending'`,
      [
        batch.map((r) => r.row.entryId),
        batch.map((r) => r.outcome.ok),
        batch.map((r) => r.outcome.status),
        now,
        new Date(now.getTime() - DISABLE_AFTER_FAILING_MS),
      ],
    );
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

/** Claimed but not sent: back to the outbox, untried, due as it was (polling takes them). */
export async function handBackDeliveries(pool: Pick<pg.Pool, "query">, ids: readonly string[]): Promise<void> {
  await pool.query(
    `UPDATE delivery SET status = 'pending', attempts = attempts - 1, lease_until = NULL WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
    [ids],
  );
}

/**
 * The host of a webhook URL as the caps count it: scheme://host:port, as notOnHosts computes it in SQL (the URL
 * up to the slash after its authority).
 */
export function originOf(url: string): string {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  return slash < 0 ? url : url.slice(0, slash);
}
