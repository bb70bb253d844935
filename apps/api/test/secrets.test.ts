import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { SecretBox } from "../src/secrets/secret-box";
import { openSecretBox } from "../src/secrets/secret-key";
import { chatbotPointingAt, dispatcherFor, run } from "./delivery/fixtures";
import { receiver } from "./delivery/receivers";
import { createSender, describeEachDatabase, type Harness } from "./harness";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("SecretBox (AES-256-GCM)", () => {
  const box = new SecretBox(randomBytes(32));

  it("seals to ciphertext that differs every time and opens to the value", () => {
    const a = box.seal("sk_live_0123456789abcd");
    const b = box.seal("sk_live_0123456789abcd");
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk_live");
    expect(box.open(a)).toBe("sk_live_0123456789abcd");
    expect(SecretBox.mask(a)).toBe("••••abcd");
    // Short values show nothing of themselves.
    expect(SecretBox.mask(box.seal("short"))).toBe("••••");
  });

  it("detects tampering: a changed ciphertext or a changed hint", () => {
    const sealed = box.seal("sk_live_0123456789abcd");
    const [prefix, hint, iv, body] = sealed.split(".") as [string, string, string, string];
    const flipped = Buffer.from(body, "base64url");
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => box.open([prefix, hint, iv, flipped.toString("base64url")].join("."))).toThrow(/could not be opened/);
    const otherHint = Buffer.from("••••zzzz").toString("base64url");
    expect(() => box.open([prefix, otherHint, iv, body].join("."))).toThrow(/could not be opened/);
  });

  it("refuses a wrong key clearly", () => {
    const sealed = box.seal("sk_live_0123456789abcd");
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(/different SECRET_KEY/);
  });
});

describeEachDatabase(
  "header secrets",
  (h) => {
    it("makes the key file owner-only on first start, and refuses to start without it or with another key", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "switchboard-key-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = path.join(dir, "secret.key");
      await h.db.prisma.installSetting.deleteMany();
      const box = await openSecretBox(h.db.prisma, { kind: "file", path: file });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const sealed = box.seal("value");
      expect((await openSecretBox(h.db.prisma, { kind: "file", path: file })).open(sealed)).toBe("value");
      await expect(openSecretBox(h.db.prisma, { kind: "env", value: randomBytes(32).toString("hex") })).rejects.toThrow(
        /is not the one that sealed/,
      );
      unlinkSync(file);
      await expect(openSecretBox(h.db.prisma, { kind: "file", path: file })).rejects.toThrow(
        /secret\.key is missing, and this database holds secrets sealed with it/,
      );
      await h.db.prisma.installSetting.deleteMany();
    });

    it("lets an admin make a secret header that a marketer attaches without seeing or revealing it; the sink gets the value", async () => {
      const made = await h.api
        .post("/api/v1/secret-headers")
        .send({ label: "CRM key", name: "X-Api-Key", value: "crm_live_0123456789wxyz", allowedHosts: ["127.0.0.1"] });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ label: "CRM key", name: "X-Api-Key", value: "••••wxyz" });
      const stored = await h.db.prisma.secretHeader.findFirstOrThrow();
      expect(stored.value).not.toContain("crm_live");

      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const marketer = await h.as("marketer");
      const { entry, choose } = await botWithWebhook(h, r.url);
      // Marketers may not type secret values…
      const typed = await marketer
        .put(entry)
        .send({ url: r.url, headers: [{ name: "X-Api-Key", value: "guess", secret: true }] });
      expect(typed.status).toBe(403);
      // …but pick the admin's.
      const picked = await marketer.put(entry).send({
        url: r.url,
        headers: [
          { name: "", secret: true, secretHeaderId: made.body.id },
          { name: "X-Team", value: "growth" },
        ],
      });
      expect(picked.status).toBe(200);
      expect(picked.body.headers[0]).toMatchObject({
        name: "X-Api-Key",
        value: "••••wxyz",
        secretHeaderId: made.body.id,
      });
      const header = picked.body.headers[0].id as string;
      expect((await marketer.post(`/api/v1/secret-headers/${made.body.id}/reveal`)).status).toBe(403);
      expect((await marketer.post(`/api/v1/webhook-headers/${header}/reveal`)).status).toBe(403);
      await marketer.post(`${entry.split("/nodes/")[0]}/publish`).expect(201);

      await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      expect(r.received[0]?.headers["x-api-key"]).toBe("crm_live_0123456789wxyz");

      // A rotation reaches the next delivery without republishing.
      await h.api.patch(`/api/v1/secret-headers/${made.body.id}`).send({ value: "crm_live_rotated_99999" }).expect(200);
      await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      expect(r.received[1]?.headers["x-api-key"]).toBe("crm_live_rotated_99999");

      // An admin's reveal works, and is in the audit log, without the value.
      const revealed = await h.api.post(`/api/v1/secret-headers/${made.body.id}/reveal`);
      expect(revealed.body.value).toBe("crm_live_rotated_99999");
      const log = (await h.api.get("/api/v1/audit")).body;
      expect(log.items[0]).toMatchObject({ action: expect.stringMatching(/^Reveal/), targetId: made.body.id });

      // Nowhere else does a value appear: webhook, flow, secret list, deliveries and their attempts, audit, logs.
      const everything = await everyReadableThing(h, marketer, entry);
      for (const value of ["crm_live_0123456789wxyz", "crm_live_rotated_99999"]) {
        expect(everything).not.toContain(value);
        expect(h.logs()).not.toContain(value);
      }
      // A secret header in use is not deleted.
      expect((await h.api.delete(`/api/v1/secret-headers/${made.body.id}`)).status).toBe(409);
    });

    it("refuses to drop the secret flag while keeping the value", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const { entry } = await botWithWebhook(h, r.url);
      const saved = await h.api
        .put(entry)
        .send({ url: r.url, headers: [{ name: "Authorization", value: "Bearer sk_live_0123456789", secret: true }] });
      const id = saved.body.headers[0].id;
      const res = await h.api.put(entry).send({ url: r.url, headers: [{ id, name: "Authorization", secret: false }] });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ path: "body.webhook.headers.0.value", code: "required" });
      expect((await h.api.post(`/api/v1/webhook-headers/${id}/reveal`)).body.value).toBe("Bearer sk_live_0123456789");
    });

    it("rotates a signing secret: shown once, and both secrets sign during the overlap", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const choose = await chatbotPointingAt(h, r.url);
      const oldSecret = h.secretBox.open((await h.db.prisma.webhook.findFirstOrThrow()).signingSecret as string);
      const entryRow = await h.db.prisma.menuEntry.findFirstOrThrow({
        where: { webhookEnabled: true },
        include: { node: true },
      });
      const rotated = await h.api
        .post(
          `/api/v1/campaigns/${entryRow.node.campaignId}/nodes/${entryRow.nodeId}/entries/${entryRow.id}/webhook/signing-secret`,
        )
        .send({ overlapHours: 24 });
      expect(rotated.status).toBe(201);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(
        JSON.stringify((await h.api.get(`/api/v1/campaigns/${entryRow.node.campaignId}/flow`)).body),
      ).not.toContain(rotated.body.secret.slice(6));
      await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      const got = r.received[0];
      expect(String(got?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      for (const secret of [oldSecret, rotated.body.secret]) {
        expect(new Webhook(secret).verify(got?.body ?? "", got?.headers as Record<string, string>)).toMatchObject({
          keyword: 1,
        });
      }
      // Without an overlap only the new secret signs.
      await h.api
        .post(
          `/api/v1/campaigns/${entryRow.node.campaignId}/nodes/${entryRow.nodeId}/entries/${entryRow.id}/webhook/signing-secret`,
        )
        .send({ overlapHours: 0 })
        .expect(201);
      await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      expect(String(r.received[1]?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    });

    it("shows the signing secret once when the editor's entry change creates the webhook, to admins only", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const { entry } = await botWithWebhook(h, r.url);
      const entryPath = entry.replace(/\/webhook$/, "");
      const entryId = entryIdOf(entry);
      const patch = { webhook: { url: r.url, headers: [] } };
      // The webhook exists: the entry's answer carries no secret.
      const again = await h.api.patch(entryPath).send(patch);
      expect(again.status).toBe(200);
      expect(again.body.webhook.signingSecret).toBeUndefined();
      // The change creates it: the admin sees it this once, the same secret the webhook signs with.
      await h.db.prisma.webhook.delete({ where: { entryId } });
      const created = await h.api.patch(entryPath).send(patch);
      expect(created.status).toBe(200);
      expect(created.body.webhook.signingSecret).toMatch(/^whsec_/);
      const stored = await h.db.prisma.webhook.findUniqueOrThrow({ where: { entryId } });
      expect(h.secretBox.open(stored.signingSecret as string)).toBe(created.body.webhook.signingSecret);
      expect((await h.api.get(entryPath.replace(/\/nodes\/.*$/, "/flow"))).text).not.toContain(
        created.body.webhook.signingSecret,
      );
      // A marketer's change that creates it shows none.
      await h.db.prisma.webhook.delete({ where: { entryId } });
      const byMarketer = await (await h.as("marketer")).patch(entryPath).send(patch);
      expect(byMarketer.status).toBe(200);
      expect(byMarketer.body.webhook.signingSecret).toBeUndefined();
    });

    it("shows a new webhook's signing secret to its admin creator once, and reveals it later to admins only, audited", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const { entry } = await botWithWebhook(h, r.url);
      const marketer = await h.as("marketer");
      // The bot's webhook exists already: saving it again shows no secret, to anyone.
      expect((await h.api.put(entry).send({ url: r.url, headers: [] })).body.signingSecret).toBeUndefined();
      // Created by an admin: shown on that answer only.
      const path = entry;
      const e = { id: entryIdOf(entry) };
      await h.db.prisma.webhook.delete({ where: { entryId: e.id } });
      const created = await h.api.put(path).send({ url: r.url, headers: [] });
      expect(created.status).toBe(200);
      expect(created.body.signingSecret).toMatch(/^whsec_/);
      const stored = await h.db.prisma.webhook.findUniqueOrThrow({ where: { entryId: e.id } });
      expect(stored.signingSecret).not.toContain(created.body.signingSecret.slice(6));
      expect((await h.api.get(path)).body.signingSecret).toBeUndefined();
      // A marketer creating one sees no secret.
      await h.db.prisma.webhook.delete({ where: { entryId: e.id } });
      const byMarketer = await marketer.put(path).send({ url: r.url, headers: [] });
      expect(byMarketer.status).toBe(200);
      expect(byMarketer.body.signingSecret).toBeUndefined();

      // Reveal: refused to marketers and API tokens, allowed to admins, and audited without the value.
      const before = await h.db.prisma.auditEvent.count();
      expect((await marketer.post(`${path}/signing-secret/reveal`)).status).toBe(403);
      expect(await h.db.prisma.auditEvent.count()).toBe(before);
      const revealed = await h.api.post(`${path}/signing-secret/reveal`);
      expect(revealed.status).toBe(200);
      const secret = h.secretBox.open(
        (await h.db.prisma.webhook.findUniqueOrThrow({ where: { entryId: e.id } })).signingSecret as string,
      );
      expect(revealed.body).toEqual({ secret, previousValidUntil: null });
      const log = (await h.api.get("/api/v1/audit")).body;
      expect(log.items[0]).toMatchObject({ action: expect.stringMatching(/^Reveal a webhook's signing secret/) });
      expect(JSON.stringify(log)).not.toContain(secret.slice(6));
      expect(h.logs()).not.toContain(secret.slice(6));
    });

    it("signs Send test with both secrets during a rotation's overlap: the old and the new one verify it", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const { entry } = await botWithWebhook(h, r.url);
      const oldSecret = (await h.api.post(`${entry}/signing-secret/reveal`).expect(200)).body.secret as string;
      const rotated = await h.api.post(`${entry}/signing-secret`).send({ overlapHours: 24 }).expect(201);
      const revealed = (await h.api.post(`${entry}/signing-secret/reveal`).expect(200)).body;
      expect(revealed).toEqual({ secret: rotated.body.secret, previousValidUntil: rotated.body.previousValidUntil });

      const test = await h.api.post(`${entry}/test`);
      expect(test.body.ok).toBe(true);
      const got = r.received.at(-1);
      expect(String(got?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      for (const secret of [oldSecret, rotated.body.secret as string]) {
        expect(new Webhook(secret).verify(got?.body ?? "", got?.headers as Record<string, string>)).toBeTruthy();
      }
      // Once the overlap is over, only the new secret signs a test.
      await h.api.post(`${entry}/signing-secret`).send({ overlapHours: 0 }).expect(201);
      await h.api.post(`${entry}/test`).expect(200);
      const last = r.received.at(-1);
      expect(String(last?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect(() => new Webhook(oldSecret).verify(last?.body ?? "", last?.headers as Record<string, string>)).toThrow();
    });

    it("lets an API token with the signing scope rotate a signing secret, and nothing else an admin may", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const { entry } = await botWithWebhook(h, r.url);
      const token = async (scope: string) =>
        (
          await h.api
            .post("/api/v1/tokens")
            .send({ name: scope, scopes: [scope] })
            .expect(201)
        ).body.secret as string;
      const [signing, write] = [await token("signing"), await token("write")];
      const anonymous = await h.as(null);
      const as = (secret: string) => ({ Authorization: `Bearer ${secret}` });
      const before = (await h.db.prisma.webhook.findUniqueOrThrow({ where: { entryId: entryIdOf(entry) } }))
        .signingSecret;
      expect((await anonymous.post(`${entry}/signing-secret`).set(as(write)).send({})).status).toBe(403);
      const rotated = await anonymous.post(`${entry}/signing-secret`).set(as(signing)).send({ overlapHours: 1 });
      expect(rotated.status).toBe(201);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      const after = await h.db.prisma.webhook.findUniqueOrThrow({ where: { entryId: entryIdOf(entry) } });
      expect(after.signingSecret).not.toBe(before);
      expect(after.previousSigningSecret).toBe(before);
      // Rotating is all it may do: no reveal, no secret headers.
      expect((await anonymous.post(`${entry}/signing-secret/reveal`).set(as(signing))).status).toBe(403);
      expect((await anonymous.get("/api/v1/secret-headers").set(as(signing))).status).toBe(403);
    });

    it("shows a new integration's signing secret once, and reveals it to admins only, audited", async () => {
      const created = await h.api.post("/api/v1/integrations").send({
        alias: `Reveal ${Math.floor(Math.random() * 1e6)}`,
        url: "http://127.0.0.1:9/hook",
        headers: [],
      });
      expect(created.status).toBe(201);
      expect(created.body.signingSecret).toMatch(/^whsec_/);
      const listed = (await h.api.get("/api/v1/integrations")).body;
      expect(JSON.stringify(listed)).not.toContain(created.body.signingSecret.slice(6));
      const marketer = await h.as("marketer");
      expect((await marketer.post(`/api/v1/integrations/${created.body.id}/signing-secret/reveal`)).status).toBe(403);
      const revealed = await h.api.post(`/api/v1/integrations/${created.body.id}/signing-secret/reveal`).expect(200);
      expect(revealed.body.secret).toBe(created.body.signingSecret);
      const log = (await h.api.get("/api/v1/audit")).body;
      expect(log.items[0]).toMatchObject({
        action: expect.stringMatching(/^Reveal an integration's signing secret/),
        targetId: created.body.id,
      });
      await h.api.delete(`/api/v1/integrations/${created.body.id}`).expect(204);
    });

    it("calls an admin-made integration as a webhook when a marketer's entry redirects to it", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const integration = await h.api.post("/api/v1/integrations").send({
        alias: "CRM",
        url: r.url,
        headers: [{ name: "Authorization", value: "Bearer crm_secret_0123456789", secret: true }],
      });
      expect(integration.status).toBe(201);
      expect(integration.body.headers[0].value).toBe("••••6789");
      // Changing only the URL keeps the stored secret as it was (neither shown nor sealed twice).
      const renamed = await h.api.patch(`/api/v1/integrations/${integration.body.id}`).send({ url: r.url });
      expect(renamed.status).toBe(200);
      expect(renamed.body.headers[0].value).toBe("••••6789");
      // A stored secret made non-secret without a new value is refused.
      const exposed = await h.api
        .patch(`/api/v1/integrations/${integration.body.id}`)
        .send({ headers: [{ id: integration.body.headers[0].id, name: "Authorization", secret: false }] });
      expect(exposed.status).toBe(400);
      const marketer = await h.as("marketer");
      expect((await marketer.get("/api/v1/integrations")).status).toBe(403);
      expect((await marketer.get("/api/v1/integration-choices")).body.items).toEqual([
        { id: integration.body.id, alias: "CRM" },
      ]);
      const sender = await createSender(h);
      const campaign = (
        await marketer.post("/api/v1/campaigns").send({
          name: "Leads",
          type: "chatbot",
          channel: "sms",
          senderId: sender.id,
          status: "active",
          triggerKeywords: ["LEAD"],
        })
      ).body;
      const base = `/api/v1/campaigns/${campaign.id}`;
      const [welcome, ...rest] = (await marketer.get(`${base}/flow`)).body.nodes;
      for (const n of rest) await marketer.delete(`${base}/nodes/${n.id}`).expect(204);
      await marketer.patch(`${base}/nodes/${welcome.id}`).send({ message: "Talk to sales?" }).expect(200);
      const unknown = await marketer
        .post(`${base}/nodes/${welcome.id}/entries`)
        .send({ keyword: "1", menuText: "Yes", redirectType: "integration", redirectTo: sender.id });
      expect(unknown.status).toBe(400);
      await marketer
        .post(`${base}/nodes/${welcome.id}/entries`)
        .send({ keyword: "1", menuText: "Yes", redirectType: "integration", redirectTo: integration.body.id })
        .expect(201);
      await marketer.post(`${base}/publish`).expect(201);
      for (const text of ["LEAD", "1"]) {
        await marketer
          .post("/api/v1/messages/inbound")
          .send({ channel: "sms", from: "+525500007777", to: sender.address, text })
          .expect(200);
      }
      await run(dispatcherFor(h, { now: new Date() }));
      const got = r.received[0];
      expect(got?.headers.authorization).toBe("Bearer crm_secret_0123456789");
      expect(JSON.parse(got?.body ?? "{}")).toMatchObject({
        campaignId: String(campaign.id),
        option: "Yes",
        keyword: 1,
      });
      const rotated = await h.api.post(`/api/v1/integrations/${integration.body.id}/signing-secret`).send({});
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect((await h.api.delete(`/api/v1/integrations/${integration.body.id}`)).status).toBe(409);
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);

const entryIdOf = (webhookPath: string) => webhookPath.split("/entries/")[1]?.split("/")[0] as string;

/** A published chatbot whose option 1 has a webhook at `url`; the webhook's path and a function that chooses it. */
async function botWithWebhook(h: Harness, url: string) {
  const choose = await chatbotPointingAt(h, url, `T${Math.floor(Math.random() * 1e6)}`);
  const e = await h.db.prisma.menuEntry.findFirstOrThrow({
    where: { webhookEnabled: true },
    orderBy: { createdAt: "desc" },
    include: { node: true },
  });
  return { entry: `/api/v1/campaigns/${e.node.campaignId}/nodes/${e.nodeId}/entries/${e.id}/webhook`, choose };
}

async function everyReadableThing(h: Harness, marketer: Awaited<ReturnType<Harness["as"]>>, webhook: string) {
  const campaign = webhook.split("/nodes/")[0] as string;
  const deliveries = (await h.api.get("/api/v1/deliveries")).body;
  const details = await Promise.all(
    deliveries.items.map(async (d: { id: string }) => (await h.api.get(`/api/v1/deliveries/${d.id}`)).body),
  );
  const bodies = [
    (await marketer.get(webhook)).body,
    (await h.api.get(webhook)).body,
    (await h.api.get(`${campaign}/flow`)).body,
    (await marketer.get("/api/v1/secret-headers")).body,
    deliveries,
    details,
    (await h.api.get("/api/v1/audit")).body,
    (await marketer.put(webhook).send({ url: "not a url", headers: [] })).body,
  ];
  return JSON.stringify(bodies);
}
