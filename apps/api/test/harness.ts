import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { Role } from "@switchboard/domain/role";
import type { Express } from "express";
import { pino } from "pino";
import supertest from "supertest";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { createApp } from "../src/app";
import { hashPassword } from "../src/auth/credentials";
import type { Database } from "../src/db/database";
import { SecretBox } from "../src/secrets/secret-box";
import { testDatabases } from "./databases";

type Agent = ReturnType<typeof supertest.agent>;

export interface Harness {
  /** Signed in as an admin (session cookie and CSRF token sent on every request). */
  api: Agent;
  /** An agent signed in with that role (users made once per database); `null` for no credentials at all. */
  as(role: Role | null): Promise<Agent>;
  /** For tests that end sessions or remove users: signs in afresh (h.api included). */
  forgetSessions(): Promise<void>;
  app: Express;
  secretBox: SecretBox;
  /** The server's URL, for a second client (a thread, a process); null for the embedded database. */
  databaseUrl: string | null;
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
  options: { allowHttp?: boolean; allowedCidrs?: string[]; only?: "postgres" } = {},
) {
  for (const target of testDatabases().filter((t) => !options.only || t.name === options.only)) {
    describe(`${title} [${target.name}]`, () => {
      let db: Database;
      let logText = "";
      const sink = new Writable({
        write(chunk, _enc, done) {
          logText += chunk.toString();
          done();
        },
      });
      const agents = new Map<Role, Agent>();
      const harness = {
        logs: () => logText,
        clock: { now: null },
        secretBox: new SecretBox(randomBytes(32)),
        as: async (role: Role | null) => {
          if (role === null) return supertest.agent(harness.app);
          let agent = agents.get(role);
          if (!agent) {
            agent = await signedInAgent(harness.app, db, role);
            agents.set(role, agent);
          }
          return agent;
        },
        forgetSessions: async () => {
          // A test may have left the clock frozen in the past: the admin's new session must start now, not then.
          harness.clock.now = null;
          agents.clear();
          harness.api = await harness.as("admin");
        },
      } as unknown as Harness;
      beforeAll(async () => {
        db = await target.open();
        harness.db = db;
        harness.databaseUrl = (db as { url?: string }).url ?? null;
        const app = createApp({
          config: {
            env: "test",
            webhookPolicy: { allowHttp: options.allowHttp ?? false },
            webhookAllowedCidrs: options.allowedCidrs ?? [],
            webDist: null,
            // Suites sign in often; the limit itself is tested on an app of its own.
            authAttemptsPerMinute: 100_000,
          },
          db,
          logger: pino({ level: "info" }, sink),
          now: () => harness.clock.now ?? new Date(),
          secretBox: harness.secretBox,
        });
        harness.app = app;
        harness.api = await harness.as("admin");
      });
      beforeEach(async () => {
        logText = "";
        if (harness.clock.now !== null) {
          // Sessions signed in on the last test's frozen clock expire 12 hours after it, whatever the real date.
          harness.clock.now = null;
          agents.clear();
          harness.api = await harness.as("admin");
        }
        // Keeps the campaign id sequence running, as in production.
        await db.prisma.$executeRawUnsafe(
          "TRUNCATE audit_event, inbox_event, team, api_token, password_link, integration, secret_header, delivery_attempt, delivery, conversation_message, conversation_session, contact, flow_version, webhook_header, webhook, menu_entry, node, campaign, sender CASCADE",
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

export const TEST_PASSWORD = "correct horse battery staple";

/** A user of that role (created if missing) and an agent carrying their session cookie and CSRF token. */
export async function signedInAgent(app: Express, db: Database, role: Role, email = `${role}@example.com`) {
  await db.prisma.user.upsert({
    where: { email },
    create: { email, name: role, role, passwordHash: await hashPassword(TEST_PASSWORD) },
    update: {
      role,
      disabledAt: null,
      lockedUntil: null,
      failedSignIns: 0,
      passwordHash: await hashPassword(TEST_PASSWORD),
    },
  });
  const agent = supertest.agent(app);
  const res = await agent.post("/api/v1/auth/sign-in").send({ email, password: TEST_PASSWORD });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = (res.headers["set-cookie"] as unknown as string[])[0]?.split(";")[0] as string;
  agent.set("Cookie", cookie).set("X-CSRF-Token", res.body.csrfToken);
  return agent;
}
