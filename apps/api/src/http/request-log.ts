import type { RequestHandler } from "express";
import type { Logger } from "../logger";

/**
 * One log line per request: method, path (never the query or body), status and time. Never headers or bodies: they
 * hold customers' secrets and end users' messages. High-volume paths (channel traffic) log at debug unless they fail.
 */
export function requestLog(logger: Logger, quiet: (path: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const path = req.originalUrl.split("?")[0] ?? "";
      const status = res.statusCode;
      const level = status >= 500 ? "error" : status >= 400 ? "info" : quiet(path) ? "debug" : "info";
      if (!logger.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger[level]({ method: req.method, path, status, ms: Math.round(ms * 10) / 10 }, "request");
    });
    next();
  };
}
