import type pg from "pg";

/**
 * Renders a value as an SQL literal, escaped by the driver (`escapeLiteral` doubles quotes and handles backslashes).
 * The runtime sends several statements in one simple-protocol round trip, which cannot carry bind parameters; this is
 * the only way values enter that SQL.
 */
export function literal(client: Pick<pg.ClientBase, "escapeLiteral">, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} to SQL`);
    return String(value);
  }
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  if (typeof value === "string") return client.escapeLiteral(value);
  throw new Error(`Cannot write a ${typeof value} to SQL`);
}
