import type { Request, Response, Router } from "express";
import type { z } from "zod";
import { AppError, type FieldError } from "./app-error";

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
  status?: number;
  /** Problem statuses worth documenting besides 400 and 500. */
  errors?: number[];
  handler(input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }): Promise<z.input<R> | undefined>;
}

export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  r: Route<P, Q, B, R>,
): Route {
  return r as unknown as Route;
}

export function mountRoutes(router: Router, routes: Route[], options: { checkResponses: boolean }): void {
  for (const r of routes) {
    router[r.method](r.path, async (req: Request, res: Response) => {
      if (r.body && !req.is("application/json")) {
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
        const detail =
          errors.length === 1 ? (errors[0] as FieldError).message : `${errors.length} fields are not valid.`;
        throw new AppError(
          r.params && errors.every((e) => e.path.startsWith("params")) ? "not_found" : "validation_failed",
          detail,
          errors,
        );
      }
      const result = await r.handler({ params, query, body });
      if (!r.response) {
        res.status(r.status ?? 204).end();
        return;
      }
      // In development and tests every response is checked against its contract; in production it is trusted.
      const payload = options.checkResponses ? r.response.parse(result) : result;
      res.status(r.status ?? (r.method === "post" ? 201 : 200)).json(payload);
    });
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
    errors.push({
      path,
      code: missing ? "required" : issue.code,
      message: missing ? `${field} is required.` : issue.message,
    });
  }
  return undefined;
}
