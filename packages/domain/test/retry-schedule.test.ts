import { describe, expect, it } from "vitest";
import {
  describeProgress,
  MAX_ATTEMPTS,
  nextRetryDelay,
  parseRetryAfter,
  RETRY_DELAYS_MS,
} from "../src/delivery/retry-schedule";

describe("the retry schedule", () => {
  it("makes 10 attempts over about three days", () => {
    expect(MAX_ATTEMPTS).toBe(10);
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeCloseTo(75.6, 1);
  });

  it("follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h without jitter", () => {
    const delays = RETRY_DELAYS_MS.map((_, i) => nextRetryDelay({ attempts: i + 1, failure: "other", random: 0.5 }));
    expect(delays).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
    ]);
  });

  it("spreads retries by ±20 %", () => {
    expect(nextRetryDelay({ attempts: 2, failure: "other", random: 0 })).toBe(240_000);
    expect(nextRetryDelay({ attempts: 2, failure: "other", random: 0.9999999 })).toBe(360_000);
  });

  it("stops after the tenth attempt", () => {
    expect(nextRetryDelay({ attempts: 10, failure: "other", random: 0.5 })).toBeNull();
  });

  it("waits at least 60 s after a timeout or a 429", () => {
    expect(nextRetryDelay({ attempts: 1, failure: "timeout", random: 0.5 })).toBe(60_000);
    expect(nextRetryDelay({ attempts: 1, failure: "rate_limited", random: 0.5 })).toBe(60_000);
    expect(nextRetryDelay({ attempts: 3, failure: "timeout", random: 0.5 })).toBe(1_800_000);
  });

  it("honours Retry-After within [planned, 2 × planned]", () => {
    expect(nextRetryDelay({ attempts: 2, failure: "other", retryAfterMs: 400_000, random: 0.5 })).toBe(400_000);
    expect(nextRetryDelay({ attempts: 2, failure: "other", retryAfterMs: 1_000, random: 0.5 })).toBe(300_000);
    expect(nextRetryDelay({ attempts: 2, failure: "other", retryAfterMs: 9_999_999, random: 0.5 })).toBe(600_000);
    expect(nextRetryDelay({ attempts: 1, failure: "rate_limited", retryAfterMs: 90_000, random: 0.5 })).toBe(90_000);
    expect(nextRetryDelay({ attempts: 1, failure: "rate_limited", retryAfterMs: 1_000_000, random: 0.5 })).toBe(
      120_000,
    );
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:02:00 GMT", now)).toBe(120_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("describes progress for the Deliveries view", () => {
    expect(describeProgress(3, new Date("2026-01-01T14:05:00Z"), (d) => d.toISOString().slice(11, 16))).toBe(
      "attempt 3 of 10, next at 14:05",
    );
    expect(describeProgress(10, null, () => "")).toBe("attempt 10 of 10");
  });
});
