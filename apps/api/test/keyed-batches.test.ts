import { describe, expect, it } from "vitest";
import { KeyedBatches } from "../src/runtime/keyed-batches";

interface Item {
  key: string;
  n: number;
}

/** A batcher whose batches finish when the test says so. */
function harness(limits: { maxBatch: number; maxConcurrent: number }) {
  const started: Item[][] = [];
  const finishers: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const batches = new KeyedBatches<Item>(
    (batch) =>
      new Promise<void>((resolve) => {
        started.push(batch);
        running++;
        peak = Math.max(peak, running);
        finishers.push(() => {
          running--;
          resolve();
        });
      }),
    limits,
  );
  const finishNext = async () => {
    finishers.shift()?.();
    // Let the batcher's bookkeeping run.
    await new Promise((r) => setImmediate(r));
  };
  return { batches, started, finishNext, peak: () => peak };
}

describe("keyed batches (the runtime's group commit)", () => {
  it("runs an item alone and at once when nothing else is running", () => {
    const { batches, started } = harness({ maxBatch: 8, maxConcurrent: 1 });
    batches.add({ key: "a", n: 1 });
    expect(started).toEqual([[{ key: "a", n: 1 }]]);
  });

  it("sends what arrived while busy together, at most maxBatch at a time", async () => {
    const { batches, started, finishNext } = harness({ maxBatch: 3, maxConcurrent: 1 });
    for (let n = 1; n <= 6; n++) batches.add({ key: `k${n}`, n });
    expect(started.map((b) => b.map((i) => i.n))).toEqual([[1]]);
    await finishNext();
    expect(started.map((b) => b.map((i) => i.n))).toEqual([[1], [2, 3, 4]]);
    await finishNext();
    expect(started.map((b) => b.map((i) => i.n))).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(batches.waiting).toBe(0);
  });

  it("never puts two items of one key in a batch or runs them at once, and keeps their order", async () => {
    const { batches, started, finishNext, peak } = harness({ maxBatch: 10, maxConcurrent: 3 });
    batches.add({ key: "a", n: 1 });
    batches.add({ key: "a", n: 2 });
    batches.add({ key: "b", n: 3 });
    batches.add({ key: "a", n: 4 });
    batches.add({ key: "c", n: 5 });
    // a1 is running: a2 and a4 wait behind it, b and c go in batches of their own while slots are free.
    expect(started.map((b) => b.map((i) => i.n))).toEqual([[1], [3], [5]]);
    await finishNext();
    expect(started.at(-1)?.map((i) => i.n)).toEqual([2]);
    await finishNext();
    await finishNext();
    await finishNext();
    expect(started.at(-1)?.map((i) => i.n)).toEqual([4]);
    const order = started.flat().filter((i) => i.key === "a");
    expect(order.map((i) => i.n)).toEqual([1, 2, 4]);
    expect(peak()).toBe(3);
  });

  it("keeps running after a batch fails", async () => {
    let calls = 0;
    const batches = new KeyedBatches<Item>(
      async () => {
        calls++;
        if (calls === 1) throw new Error("boom");
      },
      { maxBatch: 4, maxConcurrent: 1 },
    );
    batches.add({ key: "a", n: 1 });
    batches.add({ key: "b", n: 2 });
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    expect(batches.waiting).toBe(0);
  });
});
