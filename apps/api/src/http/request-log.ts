import { randomUUID } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "../logger";

/** A caller's X-Request-Id is kept when it is a plain token (it ends up in logs, so nothing that could forge lines). */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request ids: honours the caller's X-Request-Id or makes one, returns it, and gives the request a child logger
 * (`req.log`) that writes it as `reqId` on every line logged for the request. pino-http's own request line is off:
 * `requestLog` writes the one line we want (no headers, no bodies).
 */
export function requestIds(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    autoLogging: false,
    quietReqLogger: true,
    genReqId: (req, res) => {
      const given = req.headers["x-request-id"];
      const id = typeof given === "string" && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
  });
}

/** The request's logger (with its id) when `requestIds` ran, else the one given. */
export function loggerOf(req: Request, fallback: Logger): Logger {
  return (req as Request & { log?: Logger }).log ?? fallback;
}

/**
 * What of a request's path may be written to a log: the pattern of the route it matched (/api/v1/auth/links/:token),
 * never the values in it, which can be credentials (a one-time link's token). A path no route matched (a 404, a static
 * file) keeps only the words the routes use; any other segment becomes "*", for it may be a token sent to a wrong path.
 */
export function loggablePath(routePatterns: readonly string[]): (req: Request) => string {
  const words = new Set(routePatterns.flatMap((p) => p.split("/")).filter((s) => s !== "" && !s.startsWith(":")));
  return (req) => {
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
