import type { RequestHandler } from "express";
import { rateLimit as expressRateLimit } from "express-rate-limit";
import { Redis } from "ioredis";
import { RedisStore } from "rate-limit-redis";
import { AppError } from "../errors/app-error";
import type { Logger } from "../logger";

/** Where every process counts the attempts together (scale-out): a Redis client and the prefix of its keys. */
export interface SharedCounts {
  redis: Redis;
  prefix: string;
}

/**
 * A Redis client for the rate limits. A count waits for Redis at most one reconnection: a sign-in must not hang
 * while Redis restarts (the request then goes uncounted, see rateLimit).
 */
export function sharedCounts(url: string, logger: Logger, prefix = "switchboard:rate-limit:"): SharedCounts {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  let away = false;
  redis.on("error", (error: Error) => {
    if (!away) logger.warn({ error: error.message }, "rate limits: Redis is unreachable; attempts go uncounted");
    away = true;
  });
  redis.on("ready", () => {
    if (away) logger.info("rate limits: Redis is back");
    away = false;
  });
  return { redis, prefix };
}

/**
 * rate-limit-redis loads its script once, when the limiter starts: had Redis been away then, every count would fail
 * until a restart. A failed count loads it again, so counting resumes as soon as Redis is back.
 */
class RedisCounts extends RedisStore {
  override async increment(key: string) {
    try {
      return await super.increment(key);
    } catch (error) {
      const reload = this.loadIncrementScript();
      // Awaited by the next count, which fails in its turn if Redis is still away.
      reload.catch(() => {});
      this.incrementScriptSha = reload;
      throw error;
    }
  }
}

/**
 * Requests per client within a window, answered past it by a 429 problem with Retry-After and the standard
 * `RateLimit` and `RateLimit-Policy` headers (IETF draft 8). Clients are told apart by IPv4 address or IPv6 /56 (one
 * customer's allocation), counted in Redis when `shared` is given so that every process sees the same count, else in
 * this process. Decision 0020.
 */
export function rateLimit({
  name,
  limit,
  windowMs,
  shared,
  logger,
}: {
  /** The policy's name in the headers. */
  name: string;
  limit: number;
  windowMs: number;
  shared?: SharedCounts | null;
  logger: Logger;
}): RequestHandler {
  return expressRateLimit({
    windowMs,
    limit,
    identifier: name,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    ipv6Subnet: 56,
    store: shared
      ? new RedisCounts({
          prefix: shared.prefix,
          sendCommand: (command: string, ...args: string[]) =>
            shared.redis.call(command, ...args) as Promise<number | string>,
        })
      : undefined,
    // Redis away: let the request through uncounted rather than refuse every sign-in; accounts still lock after five
    // wrong passwords, in the database.
    passOnStoreError: true,
    logger: {
      warn: (error, message) => logger.warn({ error: (error as Error)?.message ?? error }, message ?? "rate limit"),
      error: (error, message) => logger.warn({ error: (error as Error)?.message ?? error }, message ?? "rate limit"),
    },
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      next(
        new AppError(
          "too_many_requests",
          "Too many attempts from this address; wait a moment and try again.",
          [],
          [],
          resetTime ? (resetTime.getTime() - Date.now()) / 1000 : windowMs / 1000,
        ),
      );
    },
  });
}
