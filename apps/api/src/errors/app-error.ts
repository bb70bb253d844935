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
  | "bad_signature"
  | "too_many_requests"
  | "internal"
  // Live Chat's refusals (packages/domain/src/live-chat/conversation.ts).
  | "live_chat_taken"
  | "live_chat_closed"
  | "live_chat_not_taken"
  | "live_chat_not_yours"
  | "recipient_opted_out"
  | "outside_whatsapp_window"
  | "reply_too_long"
  | "no_outbound_channel"
  // Live Chat's teams.
  | "team_name_taken"
  | "cannot_join_team";

export interface FieldError {
  path: string;
  code: string;
  message: string;
  /** The node, entry and field a flow-wide problem is on, by id: what an editor jumps to. */
  target?: { nodeId: string; entryId?: string; field?: string };
}

/** What a stale save is told besides its detail: the revision now saved and the newer copy to offer. */
export interface StaleCopy {
  revision: number;
  current: unknown;
}

/**
 * The one error type services throw. It lives apart from http/ so that services never import the transport;
 * http/problem.ts alone maps each code to a status and turns the error into application/problem+json.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    readonly references: EntryReference[] = [],
    /** Seconds after which trying again makes sense (429, 503). */
    readonly retryAfter?: number,
    readonly stale?: StaleCopy,
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

  /** A change made from an older copy than the one saved: refused, with the newer copy to offer. */
  static staleRevision(message: string, stale: StaleCopy): AppError {
    return new AppError("stale_revision", message, [], [], undefined, stale);
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
