/**
 * Renders a value as an SQL literal. The runtime sends several statements in one simple-protocol round trip, which
 * cannot carry bind parameters; this is the only way values enter that SQL.
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} to SQL`);
    return String(value);
  }
  if (value instanceof Date) return quote(value.toISOString());
  if (typeof value === "string") return quote(value);
  throw new Error(`Cannot write a ${typeof value} to SQL`);
}

/**
 * Quotes a string exactly as the driver's `escapeLiteral` does (quotes doubled; with a backslash, the E'' form with
 * backslashes doubled, so it reads the same whatever standard_conforming_strings says), but with native replaces: the
 * driver builds its result a character at a time, and on payloads that was a third of all the API allocated.
 */
function quote(text: string): string {
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes("\\") ? ` E${quoted.replaceAll("\\", "\\\\")}` : quoted;
}
