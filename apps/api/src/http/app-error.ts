import type { RuleIssue } from "@switchboard/domain/issue";
import type { EntryReference } from "@switchboard/domain/references";

export type ErrorCode =
  | "validation_failed"
  | "not_found"
  | "conflict"
  | "still_referenced"
  | "stale_revision"
  | "payload_too_large"
  | "unsupported_media_type"
  | "malformed_json"
  | "busy"
  | "database_unavailable"
  | "not_ready"
  | "unauthorized"
  | "forbidden"
  | "csrf_failed"
  | "too_many_requests"
  | "internal";

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
  too_many_requests: 429,
  internal: 500,
  busy: 503,
  database_unavailable: 503,
  not_ready: 503,
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
  csrf_failed: "Missing or wrong CSRF token",
  too_many_requests: "Too many requests",
};

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/** The one error type services throw; the error middleware turns it into application/problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    readonly references: EntryReference[] = [],
    /** Seconds after which trying again makes sense (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /**
   * The database cannot be reached (restarting, failing over): the same request succeeds once it is back. Says
   * nothing of where the database is or what the driver said; http/problem.ts maps every such error to this.
   */
  static databaseUnavailable(): AppError {
    return new AppError(
      "database_unavailable",
      "The database cannot be reached right now. Try again in a few seconds.",
      [],
      [],
      5,
    );
  }

  static notFound(what: string): AppError {
    return new AppError("not_found", `${what} does not exist.`);
  }

  /** Broken domain rules, their paths placed under the request part they came from (e.g. `body`). */
  static rules(
    issues: RuleIssue[],
    prefix: (string | number)[] = ["body"],
    code: ErrorCode = "validation_failed",
  ): AppError {
    const errors = issues.map((i) => ({ path: [...prefix, ...i.path].join("."), code: i.code, message: i.message }));
    const detail = errors.length === 1 ? (errors[0] as FieldError).message : `${errors.length} fields are not valid.`;
    return new AppError(code, detail, errors);
  }
}

/** Throws when any rule is broken. */
export function assertRules(issues: RuleIssue[], prefix?: (string | number)[], code?: ErrorCode): void {
  if (issues.length > 0) throw AppError.rules(issues, prefix, code);
}
