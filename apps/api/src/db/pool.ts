import pg from "pg";

/**
 * A pg pool whose connections never take the process down when the server goes away (a restart, a failover). The pool
 * listens for the errors of the connections it holds idle (reported to `onIdleClientError`), but not of those checked
 * out for a transaction: such a connection would emit 'error' with nobody listening, and Node ends the process on
 * that. So every connection gets a listener of its own as it is made. Nothing is lost by ignoring it there: the query
 * in flight rejects with the same error (a later one with "not queryable"), and the code that checked the connection
 * out releases it with that error, which drops it from the pool.
 */
export function openPool(config: pg.PoolConfig, onIdleClientError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("error", (error) => onIdleClientError(error));
  pool.on("connect", (client) => client.on("error", reportedByItsQuery));
  return pool;
}

function reportedByItsQuery(): void {}
