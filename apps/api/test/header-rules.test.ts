import { expect, it } from "vitest";
import { SecretBox } from "../src/secrets/secret-box";
import { chatbotPointingAt } from "./delivery/fixtures";
import { describeEachDatabase, type Harness } from "./harness";

// Webhooks and integrations merge, seal and refuse header values by one set of rules (secrets/header-merge.ts); each
// test here is a rule that one of the two used to apply more loosely than the other.
describeEachDatabase(
  "secret header rules, the same for webhooks and integrations",
  (h) => {
    it("refuses to make an integration's secret non-secret, saying that its value is not kept", async () => {
      const { id, headers } = await integration(h, [
        { name: "Authorization", value: "Bearer crm_0123456789", secret: true },
      ]);
      const res = await h.api
        .patch(`/api/v1/integrations/${id}`)
        .send({ headers: [{ id: headers[0], name: "Authorization", secret: false }] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {
          path: "body.headers.0.value",
          code: "required",
          message: "Enter a value to make this header non-secret; the secret value is not kept.",
        },
      ]);
    });

    it("checks an integration's kept plain value again, as a webhook's", async () => {
      const { id, headers } = await integration(h, [{ name: "X-Team", value: "growth", secret: false }]);
      // Stored before values outside Latin-1 were refused: it could never be sent.
      const row = await h.db.prisma.integration.findUniqueOrThrow({ where: { id } });
      const stored = (row.headers as { value: string }[]).map((x) => ({ ...x, value: "gr☃wth" }));
      await h.db.prisma.integration.update({ where: { id }, data: { headers: stored } });
      const res = await h.api
        .patch(`/api/v1/integrations/${id}`)
        .send({ headers: [{ id: headers[0], name: "X-Team", secret: false }] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toMatchObject([{ path: "body.headers.0.value", code: "not_latin1" }]);
    });

    it("seals an integration's kept plain value made secret, even one that looks sealed", async () => {
      const { id, headers } = await integration(h, [{ name: "X-Token", value: "sb1.abc.def.ghi", secret: false }]);
      const res = await h.api
        .patch(`/api/v1/integrations/${id}`)
        .send({ headers: [{ id: headers[0], name: "X-Token", secret: true }] });
      expect(res.status).toBe(200);
      const row = await h.db.prisma.integration.findUniqueOrThrow({ where: { id } });
      const [value] = (row.headers as { value: string }[]).map((x) => x.value);
      expect(h.secretBox.open(value as string)).toBe("sb1.abc.def.ghi");
    });

    it("seals a webhook's secret stored before sealing existed when the webhook is saved", async () => {
      await chatbotPointingAt(h, "http://127.0.0.1:9/hook");
      const header = await h.db.prisma.webhookHeader.findFirstOrThrow({
        include: { webhook: { include: { entry: { include: { node: true } } } } },
      });
      await h.db.prisma.webhookHeader.update({ where: { id: header.id }, data: { value: "Bearer legacy_0123456789" } });
      const { entry } = header.webhook;
      const res = await h.api
        .put(`/api/v1/campaigns/${entry.node.campaignId}/nodes/${entry.nodeId}/entries/${entry.id}/webhook`)
        .send({ url: "http://127.0.0.1:9/hook", headers: [{ id: header.id, name: "Authorization", secret: true }] });
      expect(res.status).toBe(200);
      expect(res.body.headers[0]).toMatchObject({ id: header.id, value: "••••6789", secret: true });
      const { value } = await h.db.prisma.webhookHeader.findUniqueOrThrow({ where: { id: header.id } });
      expect(SecretBox.isSealed(value)).toBe(true);
      expect(h.secretBox.open(value)).toBe("Bearer legacy_0123456789");
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);

async function integration(h: Harness, headers: { name: string; value: string; secret: boolean }[]) {
  const made = await h.api
    .post("/api/v1/integrations")
    .send({ alias: `CRM ${Math.random()}`, url: "http://127.0.0.1:9/crm", headers });
  expect(made.status).toBe(201);
  return { id: made.body.id as string, headers: (made.body.headers as { id: string }[]).map((x) => x.id) };
}
