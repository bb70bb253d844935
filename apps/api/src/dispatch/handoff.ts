import type { CommittedDelivery } from "./delivery-rows";
import type { Dispatcher } from "./dispatcher";

/**
 * How committed deliveries reach whatever sends them: a dispatcher in this thread (inThisThread), one in a thread of
 * its own (ThreadedDispatcher), or the queue the scale-out workers take from (queueHandoff). startDispatch chooses
 * one; the runtime and the Deliveries service only tell it what they committed.
 */
export interface DeliveryHandoff {
  /**
   * Set when this handoff's sender is in this process: a turn then inserts its deliveries already claimed for it
   * (attempt 1, leased this many ms) and hands them over whole, saving a claim (decision 0017). null: inserted pending.
   */
  readonly leaseAtInsertMs: number | null;
  /** A turn committed these deliveries (claimed for this handoff when leaseAtInsertMs is set): send them now. */
  committed(deliveries: readonly CommittedDelivery[]): void;
  /** These deliveries are pending and due now (Resend, Recover): send them without waiting for a poll. */
  due(ids: readonly string[]): void;
  /** Resolves once the attempts under way are recorded. */
  stop(): Promise<void>;
}

/** Nobody to tell: deliveries are inserted pending, and polling (or the sweeper) finds them. */
export const outboxOnly: DeliveryHandoff = {
  leaseAtInsertMs: null,
  committed() {},
  due() {},
  stop: async () => {},
};

/**
 * The handoff to a dispatcher in this thread (the embedded database, or where no thread can run). With
 * `leaseAtInsertMs`, committed deliveries arrive claimed and are sent whole; without, they are claimed by id.
 */
export function inThisThread(
  dispatcher: Pick<Dispatcher, "deliver" | "deliverClaimed" | "stop">,
  leaseAtInsertMs: number | null,
): DeliveryHandoff {
  let stopped = false;
  const due = (ids: readonly string[]) => {
    if (stopped) return;
    for (const id of ids) void dispatcher.deliver(id);
  };
  return {
    leaseAtInsertMs,
    committed(deliveries) {
      if (leaseAtInsertMs === null) due(deliveries.map((d) => d.id));
      else if (!stopped) dispatcher.deliverClaimed(deliveries);
    },
    due,
    stop() {
      stopped = true;
      return dispatcher.stop();
    },
  };
}
