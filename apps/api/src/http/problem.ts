import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { isDatabaseUnavailable } from "../db/errors";
import { AppError, type ErrorCode } from "../errors/app-error";
import type { Logger } from "../logger";
import { loggerOf } from "./request-log";

/** The status each code maps to: the one place errors become HTTP. */
export const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  not_found: 404,
  conflict: 409,
  still_referenced: 409,
  stale_revision: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  bad_signature: 403,
  too_many_requests: 429,
  internal: 500,
  busy: 503,
  database_unavailable: 503,
  not_ready: 503,
  live_chat_taken: 409,
  live_chat_closed: 409,
  live_chat_not_taken: 409,
  live_chat_not_yours: 409,
  recipient_opted_out: 409,
  outside_whatsapp_window: 409,
  reply_too_long: 400,
  no_outbound_channel: 409,
  team_name_taken: 409,
  cannot_join_team: 409,
};

export const titleOf: Record<ErrorCode, string> = {
  validation_failed: "The request is not valid",
  malformed_json: "The request body is not valid JSON",
  not_found: "Not found",
  conflict: "Conflict",
  still_referenced: "Still in use",
  stale_revision: "Changed by someone else",
  payload_too_large: "Request too large",
  unsupported_media_type: "Unsupported media type",
  internal: "Something went wrong on our side",
  busy: "Busy: try again in a moment",
  database_unavailable: "The database is unavailable: try again in a moment",
  not_ready: "Not ready",
  unauthorized: "Sign in first",
  forbidden: "Not allowed",
  bad_signature: "The provider's signature does not match",
  csrf_failed: "Missing or wrong CSRF token",
  too_many_requests: "Too many requests",
  live_chat_taken: "Another agent has taken this conversation",
  live_chat_closed: "This conversation is closed",
  live_chat_not_taken: "Take the conversation first",
  live_chat_not_yours: "Another agent has this conversation",
  recipient_opted_out: "The number opted out",
  outside_whatsapp_window: "Outside WhatsApp's 24-hour window",
  reply_too_long: "The message is too long for this channel",
  no_outbound_channel: "The sender cannot reach the user",
  team_name_taken: "A team has this name already",
  cannot_join_team: "This user cannot join a team",
};

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
      loggerOf(req, logger).error(
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
        ...(error.stale ? { revision: error.stale.revision, current: error.stale.current } : {}),
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
  // The router could not percent-decode a path parameter (/campaigns/%E0%A4%A): such a path names nothing.
  if (err instanceof URIError) {
    return new AppError("not_found", "The path is not valid percent-encoding: a % must start a UTF-8 byte in hex.");
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
