import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../harness";
import { chatbotChoosing, dispatcherFor, run } from "./fixtures";
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
      const choose = await chatbotChoosing(h, "LEAD", () => ({
        keyword: "1",
        menuText: "Yes",
        redirectType: "integration",
        redirectTo: integration.body.id,
      }));
      await choose();
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
