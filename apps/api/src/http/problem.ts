import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { isDatabaseUnavailable } from "../db/errors";
import type { Logger } from "../logger";
import { AppError, statusOf, titleOf } from "./app-error";

const PROBLEM_TYPE_BASE = "/api/problems#";

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError("not_found", `No route matches ${req.method} ${req.originalUrl.split("?")[0]}.`));
};

/**
 * Every error leaves as RFC 9457 problem details; unexpected ones are logged (by route: `pathOf`, see request-log.ts)
 * and never show their stack.
 */
export function problemHandler(
  logger: Logger,
  pathOf: (req: Request) => string = (req) => String(req.route?.path ?? "(no route)"),
): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toAppError(err, req);
    if (error.code === "internal") {
      logger.error(
        { err: { message: (err as Error)?.message, stack: (err as Error)?.stack }, path: pathOf(req) },
        "unhandled error",
      );
    }
    const status = statusOf[error.code];
    if (error.code === "busy") res.setHeader("Retry-After", "1");
    if (error.retryAfter !== undefined) res.setHeader("Retry-After", String(Math.max(1, Math.ceil(error.retryAfter))));
    res
      .status(status)
      .type("application/problem+json")
      .json({
        type: `${PROBLEM_TYPE_BASE}${error.code}`,
        title: titleOf[error.code],
        status,
        detail: error.message,
        instance: req.originalUrl,
        ...(error.errors.length ? { errors: error.errors } : {}),
        ...(error.references.length ? { references: error.references } : {}),
      });
  };
}

function toAppError(err: unknown, req: Request): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; message?: string; encoding?: string; errno?: unknown };
  // body-parser's errors: say what was wrong with the body, nothing of our internals.
  if (e?.type === "entity.parse.failed") return new AppError("malformed_json", "The request body is not valid JSON.");
  if (e?.type === "entity.too.large") return new AppError("payload_too_large", "The request body is larger than 1 MB.");
  if (e?.type === "charset.unsupported") {
    return new AppError("unsupported_media_type", "The request body must be UTF-8 JSON.");
  }
  if (e?.type === "encoding.unsupported") {
    return new AppError(
      "unsupported_media_type",
      `Content-Encoding "${String(e.encoding).slice(0, 40)}" is not supported: send the body uncompressed, or compressed with gzip, deflate or br.`,
    );
  }
  // zlib's errors, which body-parser passes on untyped: the body is not compressed the way its header says.
  if (e?.status === 400 && e.type === undefined && typeof e.errno === "number") {
    const message = `The request body could not be decompressed as its Content-Encoding: ${req.get("content-encoding")} says.`;
    return new AppError("validation_failed", message, [
      { path: "headers.content-encoding", code: "decompression_failed", message },
    ]);
  }
  // Prisma could not get a connection for a transaction in time (P2028): the database is saturated, nothing was
  // written, and the same request will succeed shortly.
  if ((err as { code?: string })?.code === "P2028") {
    return new AppError("busy", "The database is busy; nothing was changed. Try again in a moment.");
  }
  // The database is restarting or gone: every route answers 503 with Retry-After, never 500 (db/errors.ts says which).
  if (isDatabaseUnavailable(err)) return AppError.databaseUnavailable();
  return new AppError("internal", "An unexpected error occurred; it has been logged.");
}
