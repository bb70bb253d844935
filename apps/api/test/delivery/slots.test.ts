import { afterEach, describe, expect, it } from "vitest";
import { Claims } from "../../src/dispatch/claims";
import type { ClaimedDelivery } from "../../src/dispatch/delivery-rows";
import { originOf, Slots, urlsOn } from "../../src/dispatch/slots";
import { describeEachDatabase, type Harness } from "../harness";

const URLS = [
  "https://crm.example/hooks",
  "https://crm.example",
  "https://crm.example:8443/hooks",
  "https://crm.example.evil/hooks",
  "http://crm.example/hooks",
  "https://a_b.example/x",
  "https://axb.example/x",
  "https://50%25.example/x",
  "https://50x25.example/x",
  "https://user@crm.example/hooks",
  "https://crm.example?x=/y",
  "http://127.0.0.1:9/a/b",
  "http://127.0.0.1:9",
];

const row = (id: string, url: string): ClaimedDelivery => ({
  id,
  campaignId: 1,
  entryId: "e",
  url,
  headers: [],
  payload: "{}",
  test: false,
  signingSecret: null,
  attempts: 1,
  integrationId: null,
  currentSecret: null,
  previousSecret: null,
});

describe("the slots of a dispatcher", () => {
  const caps = { maxInFlight: 4, perEndpoint: 1, perHost: 2, leaseMs: 60_000 };

  it("count per endpoint, per host and in all, and name what is at its cap", () => {
    const slots = new Slots(caps, () => {});
    slots.take("http://a.test/1", originOf("http://a.test/1"));
    expect(slots.hasSlot("http://a.test/1", "http://a.test")).toBe(false);
    expect(slots.hasSlot("http://a.test/2", "http://a.test")).toBe(true);
    slots.take("http://a.test/2", "http://a.test");
    // The host is full now: its third endpoint waits too, another host does not.
    expect(slots.atCap("http://a.test/3", "http://a.test")).toBe(true);
    expect(slots.hasSlot("http://b.test/1", "http://b.test")).toBe(true);
    expect(slots.saturated()).toEqual({
      endpoints: ["http://a.test/1", "http://a.test/2"],
      hostUrls: ["http://a.test", "http://a.test/%"],
    });
    expect([slots.inUse, slots.free]).toEqual([2, 2]);
  });

  it("start parked deliveries in order as slots free, and hand back those that waited too long", () => {
    const started: string[] = [];
    const slots = new Slots(caps, (r, host) => {
      started.push(r.id);
      slots.take(r.url, host);
    });
    const url = "http://a.test/1";
    slots.take(url, originOf(url));
    expect(slots.park(row("one", url), Date.now())).toBe(true);
    expect(slots.park(row("two", url), Date.now() - 60_000)).toBe(true);
    expect(slots.hasParked(url)).toBe(true);
    slots.release(url, originOf(url));
    expect(started).toEqual(["one"]);
    // "two" has waited past the limit: it goes back to the outbox rather than wait on in memory.
    expect(slots.unpark(false)).toEqual(["two"]);
    expect(slots.hasParked(url)).toBe(false);
  });

  it("wake a job waiting for its endpoint when a slot of it frees", async () => {
    const slots = new Slots(caps, () => {});
    const url = "http://a.test/1";
    slots.take(url, originOf(url));
    const waiting = slots.waitFor(url, 10_000);
    slots.release(url, originOf(url));
    expect(await waiting).toBe(true);
    expect(await slots.waitFor(url, 10)).toBe(false);
  });
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Queues one due delivery per URL straight into the outbox. */
async function queue(h: Harness, urls: readonly string[]) {
  await h.db.pool.query(
    `INSERT INTO delivery (id, campaign_id, entry_id, node_id, mode, url, headers, payload, created_at, next_attempt_at)
     SELECT gen_random_uuid(), 1, gen_random_uuid()::text, 'n', 'option', u, '[]'::jsonb, '{}', now(), now() - interval '1 minute'
       FROM unnest($1::text[]) AS u`,
    [urls],
  );
}

describeEachDatabase("an endpoint's host, computed once", (h) => {
  it("is matched in SQL by exactly the URLs whose host it is (LIKE patterns, wildcards escaped)", async () => {
    for (const host of [...new Set(URLS.map(originOf))]) {
      const { rows } = await h.db.pool.query<{ url: string; on: boolean }>(
        "SELECT u AS url, u LIKE ANY($2::text[]) AS on FROM unnest($1::text[]) AS u",
        [URLS, urlsOn(host)],
      );
      expect(
        rows.filter((r) => r.on).map((r) => r.url),
        host,
      ).toEqual(URLS.filter((url) => originOf(url) === host));
    }
  });

  it("keeps a claim off the rows of a host at its cap, and only those", async () => {
    await queue(h, ["https://a_b.example/x", "https://a_b.example/y", "https://axb.example/x"]);
    const slots = new Slots({ maxInFlight: 8, perEndpoint: 4, perHost: 1, leaseMs: 60_000 }, () => {});
    slots.take("https://a_b.example/z", originOf("https://a_b.example/z"));
    const claimed = await new Claims(h.db.pool, 60_000).due(new Date(), 8, slots.saturated());
    expect(claimed.map((r) => r.url)).toEqual(["https://axb.example/x"]);
    expect(claimed[0]).toMatchObject({ attempts: 1, signingSecret: null, integrationId: null, currentSecret: null });
  });
});
