import { createServer } from "node:net";

/** A port nothing listens on right now, on 127.0.0.1: for a server a test starts (a PostgreSQL, a Redis, the API). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}
