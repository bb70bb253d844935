import type { Request, Response, Router } from "express";
import type { z } from "zod";
import { type Access, type Actor, allows } from "../auth/actor";
import { AppError, type FieldError } from "../errors/app-error";
import { requestIdOf } from "./request-log";

type Method = "get" | "post" | "put" | "patch" | "delete";

/** One API operation: its schemas are the contract, used to validate, to document and to type the handler. */
export interface Route<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Express syntax: /api/v1/campaigns/:campaignId */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** No response schema: 204 No Content. */
  response?: R;
  /** A download instead of JSON: the handler returns the file's text, sent with this type as an attachment. */
  download?: { type: "text/csv"; filename: (params: z.output<P>) => string };
  status?: number;
  /** Problem statuses worth documenting besides 400 and 500. */
  errors?: number[];
  /** Who may call it; checked before anything else, on every route. */
  access: Access;
  /** Changes are written to the audit log; `true` also audits a read (a secret revealed), `false` skips a change. */
  audit?: boolean;
  handler(input: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    actor: Actor | null;
    request: RequestContext;
  }): Promise<z.input<R> | undefined>;
}

/** What a handler may know of, and do to, the HTTP exchange besides its parsed input. */
export interface RequestContext {
  ip: string;
  /** https://host:port as the client reached us: links in answers are built from it. */
  origin: string;
  /** The request's X-Request-Id (given or made): rows it creates, such as deliveries, record it. */
  requestId: string | undefined;
  setSession(token: string, expiresAt: Date): void;
  clearSession(): void;
}

export interface AuditRecord {
  actor: Actor | null;
  action: string;
  targetType: string;
  targetId: string | null;
  detail: Record<string, string>;
}

export interface MountOptions {
  checkResponses: boolean;
  /** The session cookie's name and whether to mark it Secure (always when served over https). */
  sessionCookie: string;
  audit(record: AuditRecord): Promise<void>;
}

const SAFE_METHODS = new Set(["get"]);
const ID_PARAMS = ["entryId", "nodeId", "deliveryId", "id", "conversationId", "teamId", "campaignId", "senderId"];

/** The actor the authentication middleware found, if any. */
export const actorOf = (res: Response): Actor | null => (res.locals.actor as Actor | undefined) ?? null;

export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  r: Route<P, Q, B, R>,
): Route {
  return r as unknown as Route;
}

export function mountRoutes(router: Router, routes: Route[], options: MountOptions): void {
  for (const r of routes) router[r.method](r.path, routeHandler(r, options));
}

/** What answers one route once a request has matched it: access, CSRF, parsing, the handler, audit and the response. */
export function routeHandler(r: Route, options: MountOptions): (req: Request, res: Response) => Promise<void> {
  return async (req: Request, res: Response) => {
    const actor = actorOf(res);
    if (!allows(actor, r.access)) {
      if (!actor) throw new AppError("unauthorized", "Sign in, or send an API token as Authorization: Bearer <token>.");
      throw new AppError("forbidden", forbiddenDetail(actor, r.access));
    }
    // Browsers send cookies on cross-site requests too: a change made with a session must also carry its CSRF token.
    if (actor?.kind === "user" && !SAFE_METHODS.has(r.method) && r.access !== "public") {
      if (req.get("x-csrf-token") !== actor.csrfToken) {
        throw new AppError("csrf_failed", "Send the CSRF token of your session in the X-CSRF-Token header.");
      }
    }
    // A request with no body at all is parsed as an absent one: a schema with a default accepts it.
    if (r.body && !req.is("application/json") && !bodyless(req)) {
      throw new AppError(
        "unsupported_media_type",
        "Send the request body as JSON with Content-Type: application/json.",
      );
    }
    const errors: FieldError[] = [];
    const params = parsePart(r.params, req.params, "params", errors);
    const query = parsePart(r.query, req.query, "query", errors);
    const body = parsePart(r.body, req.body, "body", errors);
    if (errors.length > 0) {
      const detail = errors.length === 1 ? (errors[0] as FieldError).message : `${errors.length} fields are not valid.`;
      throw new AppError(
        r.params && errors.every((e) => e.path.startsWith("params")) ? "not_found" : "validation_failed",
        detail,
        errors,
      );
    }
    const request = new ExchangeContext(req, res, options.sessionCookie);
    const result = await r.handler({ params, query, body, actor, request });
    if (r.audit ?? !SAFE_METHODS.has(r.method)) {
      const targetKey = ID_PARAMS.find((k) => req.params[k] !== undefined);
      await options.audit({
        actor: actor ?? actorOf(res),
        action: r.summary,
        targetType: r.tag,
        targetId: targetKey ? String(req.params[targetKey]) : createdId(result),
        detail: { method: r.method.toUpperCase(), path: req.path },
      });
    }
    if (r.download) {
      res
        .status(200)
        .type(`${r.download.type}; charset=utf-8`)
        .attachment(r.download.filename(params))
        .send(result as string);
      return;
    }
    if (!r.response) {
      res.status(r.status ?? 204).end();
      return;
    }
    // In development and tests every response is checked against its contract; in production it is trusted.
    const payload = options.checkResponses ? r.response.parse(result) : result;
    const status = r.status ?? (r.method === "post" ? 201 : 200);
    if (SAFE_METHODS.has(r.method)) res.status(status).json(payload);
    else sendJson(res, status, payload);
  };
}

/** No body at all (neither chunked nor a length above 0). */
function bodyless(req: Request): boolean {
  return req.headers["transfer-encoding"] === undefined && Number(req.headers["content-length"] ?? 0) === 0;
}

/**
 * The answer to a change, as JSON. Not through Express's res.json: that hashes every body for an ETag, which only a
 * read (a GET a client may ask again with If-None-Match) can use, and a change is never answered 304.
 */
function sendJson(res: Response, status: number, payload: unknown): void {
  const body = JSON.stringify(payload) ?? "";
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

/**
 * What a handler sees of the exchange. A class rather than an object literal per request: its methods are shared, and
 * the address and origin are worked out only when a handler reads them (most requests need neither).
 */
class ExchangeContext implements RequestContext {
  readonly requestId: string | undefined;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly sessionCookie: string,
  ) {
    this.requestId = requestIdOf(req);
  }

  get ip(): string {
    return this.req.ip ?? "";
  }

  get origin(): string {
    return `${this.req.protocol}://${this.req.get("host") ?? "localhost"}`;
  }

  setSession(token: string, expiresAt: Date): void {
    this.res.cookie(this.sessionCookie, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: this.req.secure,
      path: "/",
      expires: expiresAt,
    });
  }

  clearSession(): void {
    this.res.clearCookie(this.sessionCookie, { path: "/", httpOnly: true, sameSite: "lax" });
  }
}

// The handler's input types come from the same schemas, so the parsed value is returned untyped here.
// biome-ignore lint/suspicious/noExplicitAny: see above
function parsePart(schema: z.ZodType | undefined, value: unknown, where: string, errors: FieldError[]): any {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        errors.push({
          path: [where, ...issue.path, key].join("."),
          code: "unknown_field",
          message: `"${key}" is not a field of this request.`,
        });
      }
      continue;
    }
    const path = [where, ...issue.path].join(".");
    const field = String(issue.path.at(-1) ?? where);
    const missing = issue.code === "invalid_type" && / received undefined$/.test(issue.message);
    // A domain rule inside a schema carries its own code (see contracts' common.ts).
    const ruleCode = issue.code === "custom" ? (issue.params as { code?: unknown } | undefined)?.code : undefined;
    errors.push({
      path,
      code: missing ? "required" : typeof ruleCode === "string" ? ruleCode : issue.code,
      message: missing ? `${field} is required.` : issue.message,
    });
  }
  return undefined;
}

function forbiddenDetail(actor: Actor, access: Access): string {
  if (actor.kind === "token") {
    return access === "admin"
      ? "API tokens cannot do what only admins may; sign in as an admin."
      : `This API token's scopes (${actor.scopes.join(", ")}) do not allow this.`;
  }
  const who = {
    admin: "admins",
    signing: "admins",
    marketer: "marketers and admins",
    viewer: "viewers, marketers and admins",
    session: "signed-in users",
    agent: "agents, marketers and admins",
  } as Record<string, string>;
  return `Only ${who[access] ?? "channel tokens"} may do this; you are signed in as ${actor.role}.`;
}

/** What a creation made: its id, so the audit log names it. */
function createdId(result: unknown): string | null {
  const r = result as { id?: unknown; user?: { id?: unknown }; token?: { id?: unknown } } | undefined;
  const id = r?.id ?? r?.user?.id ?? r?.token?.id;
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}
