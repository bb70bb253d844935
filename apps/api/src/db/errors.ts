/** Whether Prisma refused a write because it would break a unique constraint. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}

/** Whether a raw SQL write (pg or PGlite, SQLSTATE 23505) broke the unique constraint or index named `constraint`. */
export function brokeUniqueConstraint(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (e?.code !== "23505") return false;
  return e.constraint === constraint || (typeof e.message === "string" && e.message.includes(`"${constraint}"`));
}

/**
 * What says the database cannot be reached, or dropped the connection: it is restarting, shutting down, starting up
 * (crash recovery) or gone. The same request succeeds once it is back.
 */
const UNAVAILABLE_CODES = new Set([
  // Sockets
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (the class 08 connection exceptions are matched below)
  "57P01",
  "57P02",
  "57P03",
  // Prisma: can't reach the database server, the server closed the connection
  "P1001",
  "P1017",
]);
const UNAVAILABLE_MESSAGES = [
  "Connection terminated",
  "not queryable",
  "the database system is starting up",
  "the database system is shutting down",
];

/**
 * Whether `error` means the database is away rather than that the request was wrong: the one test, used to answer
 * 503 (http/problem.ts) and to pause the dispatcher. Looks through causes and aggregated errors, as drivers and Prisma
 * wrap them (Prisma keeps the adapter's error in `meta.driverAdapterError`, whose `cause` has a `kind` and the driver's
 * code).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown };
  for (const code of [e.code, e.originalCode]) {
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || /^08...$/.test(code))) return true;
  }
  if (e.kind === "DatabaseNotReachable" || e.kind === "ConnectionClosed") return true;
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.some((m) => (e.message as string).includes(m))) return true;
  const { errors, meta } = error as { errors?: unknown[]; meta?: { driverAdapterError?: unknown } };
  const nested = [e.cause, meta?.driverAdapterError, ...(Array.isArray(errors) ? errors : [])];
  return nested.some((n) => isDatabaseUnavailable(n, depth + 1));
}
