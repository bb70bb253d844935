/**
 * When to try a webhook again. Ten attempts over about three days, like the senders customers trust most: at once,
 * then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h later, each ±20 % so that a recovering endpoint is not
 * hit by every retry at the same second.
 */
export const RETRY_DELAYS_MS = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const JITTER = 0.2;
/** After a timeout or a 429 the receiver is struggling: wait at least this long. */
export const MIN_DELAY_AFTER_OVERLOAD_MS = 60_000;

export type FailureKind = "timeout" | "rate_limited" | "other";

export interface RetryInput {
  /** Attempts made so far, including the one that just failed (1 after the first attempt). */
  attempts: number;
  failure: FailureKind;
  /** The receiver's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs?: number | null;
  /** A number in [0, 1): the jitter's randomness, handed in so the schedule is testable. */
  random: number;
}

/** The delay before the next attempt, or null when the attempts are used up. */
export function nextRetryDelay({ attempts, failure, retryAfterMs, random }: RetryInput): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const scheduled = RETRY_DELAYS_MS[attempts - 1] as number;
  let delay = Math.round(scheduled * (1 - JITTER + 2 * JITTER * random));
  if (failure !== "other") delay = Math.max(delay, MIN_DELAY_AFTER_OVERLOAD_MS);
  if (retryAfterMs !== null && retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) {
    // Honour the receiver's wish, within bounds: never sooner than planned, never more than twice as late.
    const planned = Math.max(scheduled, failure === "other" ? 0 : MIN_DELAY_AFTER_OVERLOAD_MS);
    delay = Math.min(Math.max(retryAfterMs, planned), 2 * planned);
  }
  return delay;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** "attempt 3 of 10, next at 14:05" — what the Deliveries view shows. */
export function describeProgress(
  attempts: number,
  nextAttemptAt: Date | null,
  formatTime: (d: Date) => string,
): string {
  const head = `attempt ${attempts} of ${MAX_ATTEMPTS}`;
  return nextAttemptAt ? `${head}, next at ${formatTime(nextAttemptAt)}` : head;
}
