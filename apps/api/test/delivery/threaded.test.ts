import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { externalizeNpmDependencies } from "../../bundle-plugins.mjs";
import { Claims } from "../../src/dispatch/claims";
import { inThisThread } from "../../src/dispatch/handoff";
import { killThread, ThreadedDispatcher } from "../../src/dispatch/threaded-dispatcher";
import { testDatabases } from "../databases";
import { describeEachDatabase, type Harness } from "../harness";
import { chatbotPointingAt, dispatcherFor, until } from "./fixtures";
import { receiver } from "./receivers";

/** A delivery row as a turn hands it over (CommittedDelivery). */
const COMMITTED_COLUMNS = `id, entry_id AS "entryId", url, headers, payload, test, signing_secret AS "signingSecret", attempts,
  integration_id AS "integrationId"`;

// The thread runs the built bundle, as `pnpm start` does: built here from the source, into a temporary folder.
let dir = "";
let entry: URL;
beforeAll(async () => {
  // Inside the package, so the bundle's imports (pg, pino) resolve from its node_modules.
  const cache = path.resolve(import.meta.dirname, "../../node_modules/.cache");
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(path.join(cache, "dispatcher-thread-"));
  await build({
    entryPoints: [path.resolve(import.meta.dirname, "../../src/dispatch/dispatcher-thread.ts")],
    outfile: path.join(dir, "dispatcher-thread.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "warning",
    plugins: [externalizeNpmDependencies],
  });
  entry = pathToFileURL(path.join(dir, "dispatcher-thread.mjs"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

if (testDatabases().some((t) => t.name === "postgres")) {
  describeEachDatabase(
    "the dispatcher's own thread",
    (h: Harness) => {
      const realClock = {
        get now() {
          return new Date();
        },
      };
      const start = (url: URL, inThread = () => dispatcherFor(h, realClock)) => {
        const attempts: string[] = [];
        const d = new ThreadedDispatcher({
          entry: url,
          data: {
            databaseUrl: h.databaseUrl as string,
            poolSize: 2,
            allowedCidrs: ["127.0.0.1/32"],
            maxInFlight: 16,
            perEndpoint: 8,
            leaseMs: 30_000,
            logLevel: "silent",
            secretKey: h.secretBox.keyForThread(),
          },
          logger: pino({ level: "silent" }),
          onAttempt: (outcome) => attempts.push(outcome),
          inThread: () => {
            const local = inThread();
            local.start();
            return inThisThread(local, 30_000);
          },
          release: (ids) => new Claims(h.db.pool, 30_000).handBack(ids),
        });
        cleanups.push(() => d.stop());
        return { d, attempts };
      };

      it("delivers from its thread, opening sealed secrets there, and comes back after a crash", async () => {
        const r = await receiver((_req, res) => res.writeHead(200).end());
        cleanups.push(r.close);
        const choose = await chatbotPointingAt(h, r.url);
        const { d, attempts } = start(entry);
        await choose();
        const [first] = await h.db.prisma.delivery.findMany();
        d.due([first?.id as string]);
        await until(() => r.received.length === 1, 10_000, "the first webhook");
        expect(r.received[0]?.headers.authorization).toBe("Bearer sk_live_0123456789");
        await until(() => attempts.length === 1, 10_000, "the attempt reported to the main thread");
        expect(attempts).toEqual(["delivered"]);
        expect(d.exits).toBe(0);

        await killThread(d);
        await until(() => d.exits === 1, 10_000, "the thread to end");
        await choose();
        // The new thread's polling finds the delivery even though nobody told it.
        await until(() => r.received.length === 2, 10_000, "the webhook after the restart");
      });

      it("hands the deliveries a dying thread held back to the outbox: the next thread sends them at once", async () => {
        // The first request hangs until the thread is gone; every later one is answered.
        let hang = true;
        const r = await receiver((_req, res) => {
          if (hang) hang = false;
          else res.writeHead(200).end();
        });
        cleanups.push(r.close);
        const choose = await chatbotPointingAt(h, r.url);
        await choose();
        // Claimed at insert as a turn does it (decision 0017), with a lease far longer than this test may wait. The
        // thread starts after the claim: started earlier, its first poll could take the pending row itself.
        const [row] = await h.db.pool
          .query(
            `UPDATE delivery SET status = 'sending', attempts = 1, lease_until = now() + interval '1 hour'
            RETURNING ${COMMITTED_COLUMNS}`,
          )
          .then((result) => result.rows);
        const { d } = start(entry);
        d.committed([row]);
        await until(() => r.received.length === 1, 10_000, "the hanging request");
        await killThread(d);
        await until(() => r.received.length === 2, 10_000, "the webhook sent again by the next thread");
        await until(
          async () => (await h.db.prisma.delivery.findFirstOrThrow()).status === "delivered",
          10_000,
          "the delivery recorded",
        );
        const delivery = await h.db.prisma.delivery.findFirstOrThrow({ include: { attemptLog: true } });
        // The attempt the dead thread never wrote is not counted: this is attempt 1, with the same webhook-id.
        expect([delivery.attempts, delivery.attemptLog.length]).toEqual([1, 1]);
        expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([delivery.id, delivery.id]);
      });

      it("sends rows handed over one turn at a time, which travel to the thread together", async () => {
        const r = await receiver((_req, res) => res.writeHead(200).end());
        cleanups.push(r.close);
        const choose = await chatbotPointingAt(h, r.url);
        await Promise.all([choose(), choose(), choose()]);
        // Claimed before the thread starts, so that its first poll cannot take a pending row (and send it twice).
        const rows = await h.db.pool
          .query(
            `UPDATE delivery SET status = 'sending', attempts = 1, lease_until = now() + interval '1 hour'
              RETURNING ${COMMITTED_COLUMNS}`,
          )
          .then((result) => result.rows);
        expect(rows).toHaveLength(3);
        const { d, attempts } = start(entry);
        // As a batch of turns does after its commit: one call per turn, in one tick.
        for (const row of rows) d.committed([row]);
        // Attempts are reported as they finish and written a moment later: wait for both.
        await until(() => attempts.length === 3, 10_000, "three attempts reported");
        await until(
          async () => (await h.db.prisma.delivery.count({ where: { status: "delivered" } })) === 3,
          10_000,
          "three deliveries recorded",
        );
        expect(new Set(r.received.map((x) => x.headers["webhook-id"]))).toEqual(new Set(rows.map((x) => x.id)));
      });

      it("falls back to the main thread when no thread can start", async () => {
        const r = await receiver((_req, res) => res.writeHead(200).end());
        cleanups.push(r.close);
        const choose = await chatbotPointingAt(h, r.url);
        const { d } = start(pathToFileURL(path.join(dir, "missing.mjs")));
        await until(() => d.exits >= 3, 10_000, "three failed starts");
        await choose();
        const [delivery] = await h.db.prisma.delivery.findMany();
        d.due([delivery?.id as string]);
        await until(() => r.received.length === 1, 10_000, "the webhook from the main thread");
      });
    },
    { allowHttp: true, allowedCidrs: ["127.0.0.1/32"], only: "postgres" },
  );
}
