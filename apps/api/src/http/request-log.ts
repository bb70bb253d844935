import { randomUUID } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { Logger } from "../logger";

/** A caller's X-Request-Id is kept when it is a plain token (it ends up in logs, so nothing that could forge lines). */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type WithId = Request & { id?: string };

/**
 * Request ids: honours the caller's X-Request-Id or makes one, returns it, and keeps it on the request (`req.id`) for
 * the log lines written for it and the rows it creates. Written by hand rather than with pino-http, whose child logger
 * per request cost a sixth of an inbound message's own CPU while nearly every request logs nothing (decision 0040).
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    (req as WithId).id = id;
    next();
  };
}

/** The request's id, when `requestIds` ran. */
export const requestIdOf = (req: Request): string | undefined => (req as WithId).id;

/** A logger that writes the request's id as `reqId` on its lines (made only when a line is written). */
export function loggerOf(req: Request, fallback: Logger): Logger {
  const id = requestIdOf(req);
  return id ? fallback.child({ reqId: id }) : fallback;
}

/**
 * What of a request's path may be written to a log: the pattern of the route it matched (/api/v1/auth/links/:token),
 * never the values in it, which can be credentials (a one-time link's token). A path no route matched (a 404, a static
 * file) keeps only the words the routes use; any other segment becomes "*", for it may be a token sent to a wrong path.
 */
export function loggablePath(routePatterns: readonly string[]): (req: Request) => string {
  const words = new Set(routePatterns.flatMap((p) => p.split("/")).filter((s) => s !== "" && !s.startsWith(":")));
  // A path with no parameter is its own pattern: most requests (channel traffic) are answered from here.
  const literal = new Set(routePatterns.filter((p) => !p.includes(":")));
  return (req) => {
    if (literal.has(req.originalUrl)) return req.originalUrl;
    const path = req.originalUrl.split("?")[0] ?? "";
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof pattern === "string") return pattern;
    // A route on several literal paths matched the one asked for.
    if (Array.isArray(pattern) && pattern.includes(path)) return path;
    return path
      .split("/")
      .map((s) => (s === "" || words.has(s) ? s : "*"))
      .join("/");
  };
}

/**
 * One log line per request: method, route, status and time (never the query, headers or body: they hold customers'
 * secrets and end users' messages). High-volume routes (channel traffic) log at debug unless they fail.
 */
export function requestLog(
  logger: Logger,
  pathOf: (req: Request) => string,
  quiet: (path: string) => boolean,
  observe?: (method: string, path: string, status: number, seconds: number) => void,
): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const path = pathOf(req);
      const status = res.statusCode;
      observe?.(req.method, path, status, Number(process.hrtime.bigint() - started) / 1e9);
      const level = status >= 500 ? "error" : status >= 400 ? "info" : quiet(path) ? "debug" : "info";
      if (!logger.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      loggerOf(req, logger)[level]({ method: req.method, path, status, ms: Math.round(ms * 10) / 10 }, "request");
    });
    next();
  };
}
