import type { Request, RequestHandler } from "express";
import type { Logger } from "../logger";

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
): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const path = pathOf(req);
      const status = res.statusCode;
      const level = status >= 500 ? "error" : status >= 400 ? "info" : quiet(path) ? "debug" : "info";
      if (!logger.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger[level]({ method: req.method, path, status, ms: Math.round(ms * 10) / 10 }, "request");
    });
    next();
  };
}
