import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../src/db/embedded";
import { applyMigrations, findMigrationsDir, migrationNames } from "../src/db/migrate";
import { AddressPolicy } from "../src/dispatch/address-policy";
import { adminQuery, testDatabases } from "./databases";
import { chatbotPointingAt, dispatcherFor, run, until } from "./delivery/fixtures";
import { receiver } from "./delivery/receivers";
import { describeEachDatabase, type Harness } from "./harness";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Two receivers on different hosts: the one a secret is meant for, and another one. */
async function twoHosts() {
  const meant = await receiver((_req, res) => res.writeHead(200).end());
  const other = await receiver((_req, res) => res.writeHead(200).end(), "127.0.0.2");
  cleanups.push(meant.close, other.close);
  return { meant, other };
}

/** A published chatbot whose option 1 has a webhook at `url` carrying a secret value an admin typed. */
async function botWithWebhook(h: Harness, url: string) {
  const choose = await chatbotPointingAt(h, url, `T${Math.floor(Math.random() * 1e6)}`);
  const e = await h.db.prisma.menuEntry.findFirstOrThrow({
    where: { webhookEnabled: true },
    orderBy: { createdAt: "desc" },
    include: { node: true, webhook: { include: { headers: true } } },
  });
  const base = `/api/v1/campaigns/${e.node.campaignId}`;
  return {
    base,
    nodeId: e.nodeId,
    entryId: e.id,
    next: e.redirectNodeId as string,
    webhook: `${base}/nodes/${e.nodeId}/entries/${e.id}/webhook`,
    typedHeaderId: e.webhook?.headers[0]?.id as string,
    choose,
  };
}

async function writeToken(h: Harness) {
  const res = await h.api
    .post("/api/v1/tokens")
    .send({ name: "CI", scopes: ["write"] })
    .expect(201);
  return res.body.secret as string;
}

async function secretHeader(h: Harness, allowedHosts: string[]) {
  const made = await h.api
    .post("/api/v1/secret-headers")
    .send({ label: "CRM key", name: "X-Api-Key", value: "crm_live_0123456789wxyz", allowedHosts });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.id as string;
}

describeEachDatabase(
  "secrets bound to allowed hosts",
  (h) => {
    it("refuses a marketer and a write token who point an admin's secret header at a host it does not allow, on save and on Send test", async () => {
      const { meant, other } = await twoHosts();
      const secretId = await secretHeader(h, ["127.0.0.1"]);
      const bot = await botWithWebhook(h, meant.url);
      const marketer = await h.as("marketer");
      const token = await writeToken(h);
      const entryWith = (url: string) => ({
        keyword: "2",
        menuText: "Two",
        redirectType: "interaction",
        redirectTo: bot.next,
        webhookEnabled: true,
        webhook: { url, headers: [{ name: "", secret: true, secretHeaderId: secretId }] },
      });
      const entries = `${bot.base}/nodes/${bot.nodeId}/entries`;
      const before = await h.db.prisma.menuEntry.count();

      for (const caller of [
        marketer.post(entries),
        (await h.as(null)).post(entries).set("Authorization", `Bearer ${token}`),
      ]) {
        const refused = await caller.send(entryWith(other.url));
        expect(refused.status).toBe(400);
        expect(refused.headers["content-type"]).toMatch(/application\/problem\+json/);
        expect(refused.body.errors).toEqual([
          {
            path: "body.webhook.url",
            code: "host_not_allowed",
            message:
              'The secret header "CRM key" may only be sent to 127.0.0.1; 127.0.0.2 is not one of its allowed hosts. Use an allowed host, remove the header, or ask an admin to allow 127.0.0.2.',
          },
        ]);
      }
      expect(await h.db.prisma.menuEntry.count()).toBe(before);

      // On an allowed host the marketer attaches it; moving that webhook to another host is refused in turn.
      const attached = await marketer.post(entries).send(entryWith(meant.url));
      expect(attached.status).toBe(201);
      const webhook = `${entries}/${attached.body.id}/webhook`;
      const headerId = attached.body.webhook.headers[0].id;
      const moved = await marketer
        .put(webhook)
        .send({ url: other.url, headers: [{ id: headerId, name: "X-Api-Key", secret: true }] });
      expect(moved.status).toBe(400);
      expect(moved.body.errors[0]).toMatchObject({ path: "body.webhook.url", code: "host_not_allowed" });
      expect((await h.db.prisma.webhook.findUniqueOrThrow({ where: { entryId: attached.body.id } })).url).toBe(
        meant.url,
      );

      // An admin takes the host off the list: Send test refuses, naming the URL and the hosts still allowed.
      await h.api
        .patch(`/api/v1/secret-headers/${secretId}`)
        .send({ allowedHosts: ["hooks.crm.example"] })
        .expect(200);
      for (const caller of [marketer, (await h.as(null)).set("Authorization", `Bearer ${token}`)]) {
        const test = await caller.post(`${webhook}/test`);
        expect(test.status).toBe(409);
        expect(test.headers["content-type"]).toMatch(/application\/problem\+json/);
        expect(test.body.errors).toEqual([
          {
            path: "webhook.url",
            code: "host_not_allowed",
            message:
              'The secret header "CRM key" may only be sent to hooks.crm.example; 127.0.0.1 is not one of its allowed hosts. Nothing was sent.',
          },
        ]);
      }
      expect(meant.received).toHaveLength(0);

      // The list the admin sets is what counts: with the other host on it, the marketer may send there.
      const listed = await h.api
        .patch(`/api/v1/secret-headers/${secretId}`)
        .send({ allowedHosts: ["127.0.0.1", " 127.0.0.2 "] });
      expect(listed.body.allowedHosts).toEqual(["127.0.0.1", "127.0.0.2"]);
      expect((await marketer.get("/api/v1/secret-headers")).body.items[0].allowedHosts).toEqual([
        "127.0.0.1",
        "127.0.0.2",
      ]);
      await marketer
        .put(webhook)
        .send({ url: other.url, headers: [{ id: headerId, name: "X-Api-Key", secret: true }] })
        .expect(200);
      // Send test reads secret headers through the send-time cache, which keeps a row for a second.
      await until(async () => (await marketer.post(`${webhook}/test`)).status === 200, 5_000, "Send test to pass");
      expect(other.received[0]?.headers["x-api-key"]).toBe("crm_live_0123456789wxyz");
    });

    it("refuses an allowed-hosts list that is empty, has ports, schemes or too wide a wildcard, naming each entry", async () => {
      const bad = await h.api.post("/api/v1/secret-headers").send({
        label: "CRM key",
        name: "X-Api-Key",
        value: "crm_live_0123456789wxyz",
        allowedHosts: ["api.crm.example:8443", "https://crm.example", "*.com", "*.crm.example"],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string; message: string }) => [e.path, e.message])).toEqual([
        [
          "body.allowedHosts.0",
          '"api.crm.example:8443" has a port: ports do not count, write the host alone (every port of it is allowed).',
        ],
        [
          "body.allowedHosts.1",
          '"https://crm.example" is not a host: write a host name such as api.example.com or *.example.com, without scheme, path or port.',
        ],
        [
          "body.allowedHosts.2",
          '"*.com" is too broad: a wildcard covers the subdomains of a domain, such as *.example.com.',
        ],
      ]);
      const none = await h.api
        .post("/api/v1/secret-headers")
        .send({ label: "CRM key", name: "X-Api-Key", value: "crm_live_0123456789wxyz", allowedHosts: [] });
      expect(none.status).toBe(400);
      expect(none.body.errors).toEqual([
        { path: "body.allowedHosts", code: "required", message: "List at least one allowed host." },
      ]);
      expect(await h.db.prisma.secretHeader.count()).toBe(0);
    });

    it("lets only an admin, or someone who types the value again, move a webhook carrying a secret an admin typed", async () => {
      const { meant, other } = await twoHosts();
      const bot = await botWithWebhook(h, meant.url);
      const marketer = await h.as("marketer");
      const token = await writeToken(h);
      const kept = { id: bot.typedHeaderId, name: "Authorization", secret: true };

      for (const caller of [marketer, (await h.as(null)).set("Authorization", `Bearer ${token}`)]) {
        const refused = await caller.put(bot.webhook).send({ url: other.url, headers: [kept] });
        expect(refused.status).toBe(403);
        expect(refused.body.errors).toEqual([
          {
            path: "body.webhook.headers.0.value",
            code: "secret_reentry_required",
            message: `Header Authorization sends a secret value an admin entered for 127.0.0.1; to send it to 127.0.0.2, enter the value again, or ask an admin to change the URL.`,
          },
        ]);
        const test = await caller.post(`${bot.webhook}/test`);
        expect(test.body.ok).toBe(true);
      }
      // Nothing moved: both Send tests went to the host the admin typed the value for.
      expect(other.received).toHaveLength(0);
      expect(meant.received.map((r) => r.headers.authorization)).toEqual([
        "Bearer sk_live_0123456789",
        "Bearer sk_live_0123456789",
      ]);
      // Another path or port on the same host is no move; a marketer typing a secret value there is still refused.
      const samePath = new URL(meant.url);
      samePath.pathname = "/other";
      await marketer
        .put(bot.webhook)
        .send({ url: samePath.href, headers: [kept] })
        .expect(200);
      expect(
        (await marketer.put(bot.webhook).send({ url: meant.url, headers: [{ ...kept, value: "Bearer mine" }] })).status,
      ).toBe(403);

      // Typed again, the value goes with the webhook: the marketer's own value, not the admin's.
      await marketer
        .put(bot.webhook)
        .send({ url: other.url, headers: [{ ...kept, value: "Bearer typed_again_by_marketer" }] })
        .expect(200);
      await marketer.post(`${bot.webhook}/test`).expect(200);
      expect(other.received[0]?.headers.authorization).toBe("Bearer typed_again_by_marketer");

      // An admin moves a webhook with its kept secret.
      const admins = await botWithWebhook(h, meant.url);
      await h.api
        .put(admins.webhook)
        .send({ url: other.url, headers: [{ id: admins.typedHeaderId, name: "Authorization", secret: true }] })
        .expect(200);
      await h.api.post(`${admins.webhook}/test`).expect(200);
      expect(other.received[1]?.headers.authorization).toBe("Bearer sk_live_0123456789");
    });

    it("fails an attempt to a host its secret header no longer allows, without sending and without retries", async () => {
      const { meant, other } = await twoHosts();
      const secretId = await secretHeader(h, ["127.0.0.1", "127.0.0.2"]);
      const bot = await botWithWebhook(h, other.url);
      await h.api
        .put(bot.webhook)
        .send({ url: other.url, headers: [{ name: "", secret: true, secretHeaderId: secretId }] })
        .expect(200);
      await h.api.post(`${bot.base}/publish`).expect(201);
      await bot.choose();
      // The admin takes 127.0.0.2 off the list after the event was queued: its attempt must not send the value there.
      await h.api
        .patch(`/api/v1/secret-headers/${secretId}`)
        .send({ allowedHosts: ["127.0.0.1"] })
        .expect(200);
      const clock = { now: new Date() };
      const loopback = { policy: new AddressPolicy(["127.0.0.0/8"]) };
      await run(dispatcherFor(h, clock, loopback));
      expect(other.received).toHaveLength(0);
      expect(meant.received).toHaveLength(0);
      const delivery = await h.db.prisma.delivery.findFirstOrThrow({ include: { attemptLog: true } });
      expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
      expect(delivery.lastError).toBe(
        'The secret header "CRM key" may only be sent to 127.0.0.1; 127.0.0.2 is not one of its allowed hosts. Nothing was sent.',
      );
      expect(delivery.attemptLog).toEqual([
        expect.objectContaining({ number: 1, status: null, errorClass: "host_not_allowed" }),
      ]);
      // Days later nothing was tried again.
      clock.now = new Date(Date.now() + 3 * 24 * 3_600_000);
      await run(dispatcherFor(h, clock, loopback));
      expect(await h.db.prisma.deliveryAttempt.count()).toBe(1);
      expect(other.received).toHaveLength(0);

      // Allowed again by the admin, a resend delivers it.
      await h.api
        .patch(`/api/v1/secret-headers/${secretId}`)
        .send({ allowedHosts: ["127.0.0.1", "127.0.0.2"] })
        .expect(200);
      await h.api.post(`/api/v1/deliveries/${delivery.id}/resend`).expect(200);
      await run(dispatcherFor(h, clock, loopback));
      expect(other.received[0]?.headers["x-api-key"]).toBe("crm_live_0123456789wxyz");
    });

    it("binds an integration to its allowed hosts: its URL's host by default, refused elsewhere on save and at send time", async () => {
      const { meant, other } = await twoHosts();
      const made = await h.api.post("/api/v1/integrations").send({
        alias: "CRM",
        url: meant.url,
        headers: [{ name: "Authorization", value: "Bearer crm_secret_0123456789", secret: true }],
      });
      expect(made.status).toBe(201);
      expect(made.body.allowedHosts).toEqual(["127.0.0.1"]);
      const id = made.body.id as string;
      const moved = await h.api.patch(`/api/v1/integrations/${id}`).send({ url: other.url });
      expect(moved.status).toBe(400);
      expect(moved.body.errors).toEqual([
        {
          path: "body.url",
          code: "host_not_allowed",
          message:
            'The integration "CRM" may only be sent to 127.0.0.1; 127.0.0.2 is not one of its allowed hosts. Add it to Allowed hosts first.',
        },
      ]);
      const both = await h.api
        .patch(`/api/v1/integrations/${id}`)
        .send({ url: other.url, allowedHosts: ["127.0.0.2", "*.crm.example"] });
      expect(both.status).toBe(200);
      expect(both.body.allowedHosts).toEqual(["127.0.0.2", "*.crm.example"]);

      // A list that no longer allows its URL (changed behind the API's back) sends nothing at all.
      await h.db.prisma.integration.update({ where: { id }, data: { allowedHosts: ["127.0.0.1"] } });
      await h.db.prisma.delivery.create({
        data: {
          campaignId: 1,
          entryId: "00000000-0000-4000-8000-00000000000e",
          nodeId: "00000000-0000-4000-8000-00000000000f",
          mode: "option",
          url: `integration:${id}`,
          headers: [],
          payload: "{}",
          integrationId: id,
          createdAt: new Date(),
        },
      });
      await run(dispatcherFor(h, { now: new Date() }, { policy: new AddressPolicy(["127.0.0.0/8"]) }));
      expect(other.received).toHaveLength(0);
      expect(await h.db.prisma.delivery.findFirstOrThrow()).toMatchObject({
        status: "failed",
        lastError:
          "This integration may only be sent to 127.0.0.1; 127.0.0.2 is not one of its allowed hosts. Nothing was sent.",
      });
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.0/8"] },
);

/** An empty database for each test database kind: its URL and how to drop it. */
function emptyDatabases() {
  return testDatabases().map((t) => ({
    name: t.name,
    async open(): Promise<{ url: string; close: () => Promise<void> }> {
      if (t.name === "pglite") return startEmbeddedPostgres(null);
      const admin = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
      const name = `switchboard_test_${randomBytes(6).toString("hex")}`;
      await adminQuery(admin, `CREATE DATABASE ${name}`);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return { url: url.toString(), close: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
    },
  }));
}

describe.each(emptyDatabases())("upgrading to allowed hosts [$name]", (target) => {
  it("allows each existing secret header the hosts it is already sent to, and each integration its URL's host", async () => {
    const all = findMigrationsDir();
    const names = migrationNames(all);
    const mine = names.find((n) => n.endsWith("_secrets_bound_to_allowed_hosts")) as string;
    const before = mkdtempSync(path.join(tmpdir(), "switchboard-migrations-"));
    cleanups.push(() => rmSync(before, { recursive: true, force: true }));
    for (const name of names.slice(0, names.indexOf(mine)))
      cpSync(path.join(all, name), path.join(before, name), { recursive: true });
    cpSync(path.join(all, "migration_lock.toml"), path.join(before, "migration_lock.toml"));
    const database = await target.open();
    cleanups.push(() => database.close());
    await applyMigrations(database.url, before);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.unshift(() => client.end());
    const ids = {
      webhook: "00000000-0000-4000-8000-000000000001",
      integration: "00000000-0000-4000-8000-000000000002",
      pending: "00000000-0000-4000-8000-000000000003",
      published: "00000000-0000-4000-8000-000000000004",
      unused: "00000000-0000-4000-8000-000000000005",
    };
    const ref = (id: string) => JSON.stringify([{ name: "X-Key", value: "", secret: true, secretHeaderId: id }]);
    await client.query(`
      INSERT INTO secret_header (id, label, name, value, updated_at)
        SELECT id::uuid, 'label ' || id, 'X-Key', 'sealed', now()
          FROM unnest(ARRAY['${Object.values(ids).join("','")}']) id;
      INSERT INTO sender (id, name, channel, address, updated_at)
        VALUES ('10000000-0000-4000-8000-000000000000', 'Line', 'sms', '+525500000000', now());
      INSERT INTO campaign (id, name, type, channel, sender_id, updated_at, published_version)
        VALUES (7, 'Bot', 'chatbot', 'sms', '10000000-0000-4000-8000-000000000000', now(), 2);
      INSERT INTO node (id, campaign_id, kind, label, position, updated_at)
        VALUES ('20000000-0000-4000-8000-000000000000', 7, 'welcome', 'Welcome', 0, now());
      INSERT INTO menu_entry (id, node_id, position, keyword, updated_at)
        VALUES ('30000000-0000-4000-8000-000000000000', '20000000-0000-4000-8000-000000000000', 0, '1', now());
      INSERT INTO webhook (id, entry_id, url, updated_at)
        VALUES ('40000000-0000-4000-8000-000000000000', '30000000-0000-4000-8000-000000000000', 'https://Hooks.Example.COM:8443/a?b', now());
      INSERT INTO webhook_header (id, webhook_id, position, name, value, secret, secret_header_id)
        VALUES (gen_random_uuid(), '40000000-0000-4000-8000-000000000000', 0, 'X-Key', '', true, '${ids.webhook}');
    `);
    await client.query(
      `INSERT INTO integration (id, alias, url, headers, signing_secret, updated_at)
         VALUES (gen_random_uuid(), 'CRM', 'https://crm.example./in', $1, 'sealed', now())`,
      [ref(ids.integration)],
    );
    await client.query(
      `INSERT INTO delivery (id, campaign_id, entry_id, node_id, mode, url, headers, payload, status, created_at)
         VALUES (gen_random_uuid(), 7, 'e', 'n', 'option', 'http://user@[::1]:9000/x', $1, '{}', 'pending', now()),
                (gen_random_uuid(), 7, 'e', 'n', 'option', 'https://delivered.example/x', $2, '{}', 'delivered', now())`,
      [ref(ids.pending), ref(ids.unused)],
    );
    const snapshot = (url: string) =>
      JSON.stringify({
        campaignId: 7,
        version: 1,
        channel: "sms",
        nodes: [
          {
            id: "n",
            entries: [
              { id: "a", webhook: null },
              { id: "b", webhook: { url, body: {}, headers: JSON.parse(ref(ids.published)) } },
            ],
          },
        ],
      });
    await client.query(
      `INSERT INTO flow_version (id, campaign_id, version, snapshot)
         VALUES (gen_random_uuid(), 7, 1, $1), (gen_random_uuid(), 7, 2, $2)`,
      [snapshot("https://old-version.example/x"), snapshot("https://bücher.example/x")],
    );

    await applyMigrations(database.url, all);
    const { rows } = await client.query<{ id: string; allowed_hosts: string[] }>(
      "SELECT id, allowed_hosts FROM secret_header ORDER BY id",
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.allowed_hosts]))).toEqual({
      [ids.webhook]: ["hooks.example.com"],
      [ids.integration]: ["crm.example"],
      [ids.pending]: ["[::1]"],
      // Only the version conversations run on: version 1 is neither published nor in use.
      [ids.published]: ["bücher.example"],
      // Sent by nothing that can still send: allowed nowhere until an admin lists hosts.
      [ids.unused]: [],
    });
    const integration = await client.query("SELECT allowed_hosts FROM integration");
    expect(integration.rows[0].allowed_hosts).toEqual(["crm.example"]);
  });
});
