import { Writable } from "node:stream";
import { pino } from "pino";
import supertest from "supertest";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { createApp } from "../src/app";
import type { Database } from "../src/db/database";
import { testDatabases } from "./databases";

export interface Harness {
  api: ReturnType<typeof supertest>;
  db: Database;
  /** The API's clock: frozen at a time, or the real one (null). */
  clock: { now: Date | null };
  /** Everything the API logged during the current test, as text. */
  logs(): string;
}

/** Runs `body` once per test database, with an app on a clean database before every test. */
export function describeEachDatabase(
  title: string,
  body: (h: Harness) => void,
  options: { allowHttp?: boolean; allowedCidrs?: string[] } = {},
) {
  for (const target of testDatabases()) {
    describe(`${title} [${target.name}]`, () => {
      let db: Database;
      let logText = "";
      const sink = new Writable({
        write(chunk, _enc, done) {
          logText += chunk.toString();
          done();
        },
      });
      const harness = {
        logs: () => logText,
        clock: { now: null },
      } as unknown as Harness;
      beforeAll(async () => {
        db = await target.open();
        harness.db = db;
        const app = createApp({
          config: {
            env: "test",
            webhookPolicy: { allowHttp: options.allowHttp ?? false },
            webhookAllowedCidrs: options.allowedCidrs ?? [],
            webDist: null,
          },
          db,
          logger: pino({ level: "info" }, sink),
          now: () => harness.clock.now ?? new Date(),
        });
        harness.api = supertest(app);
      });
      beforeEach(async () => {
        logText = "";
        harness.clock.now = null;
        // Keeps the campaign id sequence running, as in production.
        await db.prisma.$executeRawUnsafe(
          "TRUNCATE delivery_attempt, delivery, conversation_message, conversation_session, contact, flow_version, webhook_header, webhook, menu_entry, node, campaign, sender CASCADE",
        );
      });
      afterAll(async () => {
        await db?.close();
      });
      body(harness);
    });
  }
}

export async function createSender(h: Harness, overrides: Record<string, unknown> = {}) {
  const address = `+5255${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const res = await h.api.post("/api/v1/senders").send({ name: "Main line", channel: "sms", address, ...overrides });
  if (res.status !== 201) throw new Error(`sender not created: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; channel: string; address: string };
}

export async function createCampaign(h: Harness, overrides: Record<string, unknown> = {}) {
  const senderId =
    (overrides.senderId as string | undefined) ?? (await createSender(h, { channel: overrides.channel ?? "sms" })).id;
  const res = await h.api
    .post("/api/v1/campaigns")
    .send({ name: "EliPackage", type: "chatbot", channel: "sms", senderId, ...overrides });
  if (res.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(res.body)}\n${h.logs()}`);
  return res.body as { id: number; senderId: string; revision: number; name: string };
}
