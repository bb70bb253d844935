import type pg from "pg";

/**
 * After a transaction failed on a pooled connection: rolls it back and returns the connection to the pool, or drops
 * it if it cannot even roll back, so that whoever takes it next never inherits a broken session.
 */
export async function rollBackAndRelease(client: pg.PoolClient, error: unknown): Promise<void> {
  const usable = await client.query("ROLLBACK").then(
    () => true,
    () => false,
  );
  client.release(usable ? undefined : (error as Error));
}
