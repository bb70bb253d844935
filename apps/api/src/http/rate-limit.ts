import type { RequestHandler } from "express";
import { AppError } from "./app-error";

/**
 * A fixed-window limit per client address, in memory: enough to slow guessing at sign-in and links on one process
 * (accounts also lock after five wrong passwords, in the database, for every process).
 */
export function rateLimit({ max, windowMs }: { max: number; windowMs: number }): RequestHandler {
  const hits = new Map<string, { count: number; resetAt: number }>();
  return (req, _res, next) => {
    const now = Date.now();
    const key = req.ip ?? "unknown";
    let entry = hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (hits.size > 50_000) hits.clear();
      entry = { count: 0, resetAt: now + windowMs };
      hits.set(key, entry);
    }
    entry.count++;
    if (entry.count > max) {
      next(
        new AppError(
          "too_many_requests",
          "Too many attempts from this address; wait a moment and try again.",
          [],
          [],
          (entry.resetAt - now) / 1000,
        ),
      );
      return;
    }
    next();
  };
}
