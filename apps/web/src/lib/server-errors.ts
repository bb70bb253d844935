import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiError } from "./api-client";

/** Places each field error of an API problem beside its field; returns whether any landed. */
export function applyServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): boolean {
  if (!(error instanceof ApiError) || !error.problem.errors) return false;
  let placed = false;
  for (const e of error.problem.errors) {
    const path = e.path.replace(/^body\./, "");
    const field = fields.find((f) => path === f || path.startsWith(`${f}.`));
    if (field) {
      setError(field as Path<T>, { type: "server", message: e.message });
      placed = true;
    }
  }
  return placed;
}

export type FieldMessages = Record<string, string>;

/** The field messages of a refused change, by top-level field (`body.webhook.url` → `webhook`); null if none. */
export function messagesByField(error: unknown): FieldMessages | null {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return null;
  const out: FieldMessages = {};
  for (const e of error.problem.errors) {
    const field = e.path.replace(/^body\./, "").split(".")[0] ?? "";
    out[field] ??= e.message;
  }
  return out;
}
