import { afterEach, expect, it } from "vitest";
import { createSender, describeEachDatabase } from "../harness";
import { dispatcherFor, run } from "./fixtures";
import { receiver } from "./receivers";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describeEachDatabase(
  "the headers an attempt shows",
  (h) => {
    it("mask an integration's secret header, which the delivery does not carry itself", async () => {
      const r = await receiver((_req, res) => res.writeHead(200).end());
      cleanups.push(r.close);
      const integration = await h.api.post("/api/v1/integrations").send({
        alias: "CRM",
        url: r.url,
        headers: [
          { name: "Authorization", value: "Bearer crm_secret_0123456789", secret: true },
          { name: "X-Team", value: "growth-team", secret: false },
        ],
      });
      expect(integration.status, JSON.stringify(integration.body)).toBe(201);
      const sender = await createSender(h);
      const campaign = (
        await h.api.post("/api/v1/campaigns").send({
          name: "Leads",
          type: "chatbot",
          channel: "sms",
          senderId: sender.id,
          status: "active",
          triggerKeywords: ["LEAD"],
        })
      ).body;
      const base = `/api/v1/campaigns/${campaign.id}`;
      const [welcome, ...rest] = (await h.api.get(`${base}/flow`)).body.nodes;
      for (const n of rest) await h.api.delete(`${base}/nodes/${n.id}`).expect(204);
      await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "Talk to sales?" }).expect(200);
      await h.api
        .post(`${base}/nodes/${welcome.id}/entries`)
        .send({ keyword: "1", menuText: "Yes", redirectType: "integration", redirectTo: integration.body.id })
        .expect(201);
      await h.api.post(`${base}/publish`).expect(201);
      for (const text of ["LEAD", "1"])
        await h.api
          .post("/api/v1/messages/inbound")
          .send({ channel: "sms", from: "+525500007777", to: sender.address, text })
          .expect(200);
      await run(dispatcherFor(h, { now: new Date() }));
      expect(r.received[0]?.headers.authorization).toBe("Bearer crm_secret_0123456789");

      const viewer = await h.as("viewer");
      const [delivery] = (await viewer.get("/api/v1/deliveries")).body.items;
      const detail = await viewer.get(`/api/v1/deliveries/${delivery.id}`);
      expect(detail.body.attemptLog[0].requestHeaders).toMatchObject({
        Authorization: "••••6789",
        "X-Team": "growth-team",
      });
      expect(JSON.stringify(detail.body)).not.toContain("crm_secret_0123456789");
    });
  },
  { allowHttp: true, allowedCidrs: ["127.0.0.1/32"] },
);
