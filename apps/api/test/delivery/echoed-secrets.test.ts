import supertest from "supertest";
import { afterEach, expect, it } from "vitest";
import { REDACTED } from "../../src/secrets/redact-secrets";
import { describeEachDatabase } from "../harness";
import { echoingReceiver } from "./echoing-receiver";
import { chatbotPointingAt, dispatcherFor, run } from "./fixtures";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const adminSecret = "crm_live_0123456789wxyz";
const inlineSecret = "Bearer sk_live_0123456789";

/** A value as it came, and as base64 (also inside a longer base64 text, at any offset) and URL-encoded. */
function spellings(value: string): string[] {
  const bytes = Buffer.from(value, "latin1");
  const inside = [1, 2].map((offset) => {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    return shifted.toString("base64").slice(4, Math.floor(shifted.length / 3) * 4);
  });
  return [value, bytes.toString("base64"), bytes.toString("base64url"), encodeURIComponent(value), ...inside];
}

describeEachDatabase(
  "secrets echoed by a receiver",
  (h) => {
    it("are in no delivery, attempt or Send test answer, for any caller, nor in the database", async () => {
      const r = await echoingReceiver();
      cleanups.push(r.close);
      const made = await h.api
        .post("/api/v1/secret-headers")
        .send({ label: "CRM key", name: "X-Api-Key", value: adminSecret, allowedHosts: ["127.0.0.1"] });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const choose = await chatbotPointingAt(h, r.url);
      const entry = await h.db.prisma.menuEntry.findFirstOrThrow({
        where: { webhookEnabled: true },
        include: { node: true, webhook: { include: { headers: true } } },
      });
      const base = `/api/v1/campaigns/${entry.node.campaignId}`;
      const webhook = `${base}/nodes/${entry.nodeId}/entries/${entry.id}/webhook`;
      // The inline secret the fixture typed (kept by id), the admin's secret header, and a header that is no secret.
      const saved = await h.api.put(webhook).send({
        url: r.url,
        headers: [
          { id: entry.webhook?.headers[0]?.id, name: "Authorization", secret: true },
          { name: "", secret: true, secretHeaderId: made.body.id },
          { name: "X-Team", value: "growth-team" },
        ],
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      await h.api.post(`${base}/publish`).expect(201);

      await choose();
      await run(dispatcherFor(h, { now: new Date() }));
      const marketer = await h.as("marketer");
      const sendTest = await marketer.post(`${webhook}/test`);
      expect(sendTest.status).toBe(200);

      // The receiver got the clear values: what follows is about what we kept of its answer.
      expect(r.received.map((x) => [x.headers.authorization, x.headers["x-api-key"]])).toEqual([
        [inlineSecret, adminSecret],
        [inlineSecret, adminSecret],
      ]);
      const signingSecret = h.secretBox.open((await h.db.prisma.webhook.findFirstOrThrow()).signingSecret as string);
      const leaks = [adminSecret, inlineSecret, "sk_live_0123456789", signingSecret].flatMap(spellings);

      const echoed = JSON.parse(sendTest.body.responseExcerpt);
      expect(echoed.headers).toMatchObject({ Authorization: REDACTED, "X-Api-Key": REDACTED, "X-Team": "growth-team" });
      for (const leak of leaks) expect(JSON.stringify(sendTest.body)).not.toContain(leak);

      const token = await h.api
        .post("/api/v1/tokens")
        .send({ name: "Reports", scopes: ["read"] })
        .expect(201);
      const readToken = (path: string) =>
        supertest(h.app).get(path).set("Authorization", `Bearer ${token.body.secret}`);
      const viewer = await h.as("viewer");
      const callers: [string, (path: string) => supertest.Test][] = [
        ["admin", (path) => h.api.get(path)],
        ["viewer", (path) => viewer.get(path)],
        ["marketer", (path) => marketer.get(path)],
        ["read token", readToken],
      ];
      for (const [caller, get] of callers) {
        const list = await get("/api/v1/deliveries");
        expect(list.status, caller).toBe(200);
        expect(list.body.total, caller).toBe(2);
        for (const { id } of list.body.items as { id: string }[]) {
          const detail = await get(`/api/v1/deliveries/${id}`);
          expect(detail.status, caller).toBe(200);
          const [attempt] = detail.body.attemptLog;
          // The echo was kept, its secrets hidden.
          expect(JSON.parse(attempt.responseExcerpt).headers, caller).toMatchObject({
            Authorization: REDACTED,
            "X-Api-Key": REDACTED,
            "X-Team": "growth-team",
          });
          const shown = JSON.stringify([list.body, detail.body]);
          for (const leak of leaks) expect(shown, `${caller} sees ${leak}`).not.toContain(leak);
        }
      }

      const { rows } = await h.db.pool.query(
        `SELECT row_to_json(d)::text AS delivery, (SELECT json_agg(a)::text FROM delivery_attempt a WHERE a.delivery_id = d.id) AS attempts
           FROM delivery d`,
      );
      expect(rows).toHaveLength(2);
      const stored = JSON.stringify(rows);
      expect(stored).toContain("growth-team");
      for (const leak of leaks) expect(stored, `the database holds ${leak}`).not.toContain(leak);
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
