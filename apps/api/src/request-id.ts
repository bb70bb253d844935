import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The X-Request-Id of the request being served, for the rows it writes (a delivery records the request that queued
 * it). Carried by the async context rather than through every service's arguments: deliveries are queued deep in a
 * turn, by several features, and the id is bookkeeping, not a decision any of them makes.
 */
const scope = new AsyncLocalStorage<string>();

/** Runs `next` (the rest of the request) with `id` as the current request id. */
export function withRequestId(id: string, next: () => void): void {
  scope.run(id, next);
}

/** The current request's id, or null outside a request (a worker, a timer). */
export function currentRequestId(): string | null {
  return scope.getStore() ?? null;
}
