import type { ClaimedDelivery } from "./delivery-rows";

export interface Caps {
  /** Deliveries in flight at once, all endpoints together. */
  maxInFlight: number;
  /** Deliveries in flight at once to one endpoint (a webhook URL): a slow or dead one cannot take every slot. */
  perEndpoint: number;
  /**
   * Deliveries in flight at once to one host (scheme, host and port), its endpoints together: politeness to a receiver
   * that serves many URLs. Larger than `perEndpoint`, so that an endpoint that hangs leaves its neighbours on the same
   * host slots of their own.
   */
  perHost: number;
  /** How long a claimed delivery is ours: one parked in memory goes back to the outbox well before that. */
  leaseMs: number;
}

/** What a claim must leave in the outbox: the endpoints at their cap here, and the hosts at theirs. */
export interface Saturated {
  endpoints: string[];
  /** LIKE patterns of every URL on a host at its cap (see urlsOn); empty when no host is. */
  hostUrls: string[];
}

/** Claimed deliveries that may wait in memory for a slot, per slot of the dispatcher. */
const PARKED_PER_SLOT = 8;
/** How long a claimed delivery may wait in memory for a slot before it goes back to the outbox. */
const PARKED_MAX_MS = 2_000;

/**
 * The host of a webhook URL as the caps count it: scheme://host:port, the URL up to the slash after its authority.
 * Computed here only: a claim compares URLs with urlsOn's patterns of it.
 */
export function originOf(url: string): string {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  return slash < 0 ? url : url.slice(0, slash);
}

/** LIKE patterns matching exactly the URLs whose originOf is `host`: the host itself, or it followed by a path. */
export function urlsOn(host: string): [string, string] {
  const literal = host.replace(/[\\%_]/g, "\\$&");
  return [literal, `${literal}/%`];
}

/**
 * The dispatcher's slots: how many attempts are in flight per endpoint (its URL), per host (originOf its URL) and in
 * all, against their caps; and what waits for a slot to free — claimed deliveries parked in memory (started in order
 * as slots free), and scale-out jobs (woken to ask again).
 */
export class Slots {
  private readonly inFlight = new Map<string, number>();
  private readonly hostsInFlight = new Map<string, number>();
  private total = 0;
  /** Claimed deliveries waiting in memory for a slot of their endpoint and its host (key: the URL), oldest first. */
  private readonly parked = new Map<string, { row: ClaimedDelivery; since: number }[]>();
  private parkedCount = 0;
  /** Jobs waiting here for a slot of their endpoint (key: its URL) or of any endpoint (key: ""). */
  private readonly waiters = new Map<string, Set<(freed: boolean) => void>>();
  /** How many of those wait for an endpoint of each host (key: originOf the URL). */
  private readonly hostWaiters = new Map<string, number>();

  constructor(
    private readonly caps: Caps,
    /** Starts a parked delivery whose slot freed; `host` is originOf its URL. */
    private readonly start: (row: ClaimedDelivery, host: string) => void,
  ) {}

  /** Attempts in flight, all endpoints together. */
  get inUse(): number {
    return this.total;
  }

  /** Slots free, all endpoints together. */
  get free(): number {
    return this.caps.maxInFlight - this.total;
  }

  /** Whether a delivery to `url` (on `host`, its originOf) may start now: under every cap. */
  hasSlot(url: string, host: string): boolean {
    return this.total < this.caps.maxInFlight && !this.atCap(url, host);
  }

  /** Whether the endpoint `url` or its host is at its cap here. */
  atCap(url: string, host: string): boolean {
    return (
      (this.inFlight.get(url) ?? 0) >= this.caps.perEndpoint || (this.hostsInFlight.get(host) ?? 0) >= this.caps.perHost
    );
  }

  /** The endpoints and hosts at their cap here, for a claim to leave their rows in the outbox. */
  saturated(): Saturated {
    const endpoints: string[] = [];
    const hostUrls: string[] = [];
    for (const [url, n] of this.inFlight) if (n >= this.caps.perEndpoint) endpoints.push(url);
    for (const [host, n] of this.hostsInFlight) if (n >= this.caps.perHost) hostUrls.push(...urlsOn(host));
    return { endpoints, hostUrls };
  }

  /** An attempt to `url` (on `host`) starts. */
  take(url: string, host: string): void {
    this.inFlight.set(url, (this.inFlight.get(url) ?? 0) + 1);
    this.hostsInFlight.set(host, (this.hostsInFlight.get(host) ?? 0) + 1);
    this.total++;
  }

  /** An attempt to `url` (on `host`) ended: its slot goes to a parked delivery, then a waiting job is woken. */
  release(url: string, host: string): void {
    this.total--;
    const left = (this.inFlight.get(url) ?? 1) - 1;
    if (left > 0) this.inFlight.set(url, left);
    else this.inFlight.delete(url);
    const onHost = (this.hostsInFlight.get(host) ?? 1) - 1;
    if (onHost > 0) this.hostsInFlight.set(host, onHost);
    else this.hostsInFlight.delete(host);
    this.startParked(url);
    this.wakeOne(url, host);
  }

  /** Whether deliveries to `url` are parked: a new one waits behind them, in order. */
  hasParked(url: string): boolean {
    return this.parked.has(url);
  }

  /**
   * Parks a claimed delivery until a slot of its endpoint and host frees (within milliseconds while the endpoint is
   * healthy). false when there is no room: an endpoint parks no more than its share, so one that hangs leaves room
   * for its neighbours' deliveries.
   */
  park(row: ClaimedDelivery, now: number): boolean {
    const queue = this.parked.get(row.url);
    if (
      this.parkedCount >= this.caps.maxInFlight * PARKED_PER_SLOT ||
      (queue?.length ?? 0) >= this.caps.perEndpoint * PARKED_PER_SLOT
    )
      return false;
    if (queue) queue.push({ row, since: now });
    else this.parked.set(row.url, [{ row, since: now }]);
    this.parkedCount++;
    return true;
  }

  /**
   * Takes out the parked deliveries older than PARKED_MAX_MS (every one with `all`, at stop) and returns their ids,
   * to go back to the outbox: their lease must not run out in memory, and their signing secrets were read when they
   * arrived (a rotation reaches them within that time).
   */
  unpark(all: boolean): string[] {
    const before = Date.now() - Math.min(PARKED_MAX_MS, this.caps.leaseMs / 3);
    const back: string[] = [];
    for (const [url, queue] of this.parked) {
      while (queue.length && (all || (queue[0]?.since ?? 0) < before))
        back.push((queue.shift() as { row: ClaimedDelivery }).row.id);
      if (queue.length === 0) this.parked.delete(url);
    }
    this.parkedCount -= back.length;
    return back;
  }

  /** A slot freed: start the oldest parked delivery of that endpoint, or of another that has a slot. */
  private startParked(url: string): void {
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
      this.start(next.row, host);
      return;
    }
  }

  /**
   * Scale-out mode: a job whose endpoint (or its host) was at its cap waits here, up to `ms`, for a slot it may use to
   * free (or any slot, for `null`), rather than travelling through Redis and back. Resolves true when one freed (the
   * job then asks again: another may have taken it), false at the deadline, or at once when as many jobs already wait
   * for that endpoint (or host) as the other endpoints (or hosts) have slots: a stuck endpoint holds at most half the
   * worker's jobs (the worker takes twice as many jobs as it sends at once).
   */
  waitFor(endpoint: string | null, ms: number): Promise<boolean> {
    const key = endpoint ?? "";
    const host = endpoint === null ? null : originOf(endpoint);
    const waiting = this.waiters.get(key) ?? new Set();
    const { maxInFlight, perEndpoint, perHost } = this.caps;
    const full =
      host === null
        ? waiting.size >= maxInFlight
        : waiting.size >= Math.max(perEndpoint, maxInFlight - perEndpoint) ||
          (this.hostWaiters.get(host) ?? 0) >= Math.max(perHost, maxInFlight - perHost);
    if (full) return Promise.resolve(false);
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

  /** At stop: every waiting job is told no slot will free here. */
  stopWaiting(): void {
    for (const waiting of this.waiters.values()) for (const settle of [...waiting]) settle(false);
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
        if (key !== "" && originOf(key) === host && (this.inFlight.get(key) ?? 0) < this.caps.perEndpoint) {
          next = waiting.values().next().value;
          break;
        }
    next ??= this.waiters.get("")?.values().next().value;
    next?.(true);
  }
}
