import { expect, it } from "vitest";
import { prismaFlowStore, type WebhookData } from "../src/flow/flow-store";
import { createCampaign, describeEachDatabase } from "./harness";

describeEachDatabase("the flow store", (h) => {
  it("writes the signing secret the service made when it creates a webhook, and keeps it when the webhook is saved again", async () => {
    const campaign = await createCampaign(h);
    const store = prismaFlowStore(h.db.prisma);
    const [welcome] = await store.nodes(campaign.id);
    const webhook = (signingSecret: string): WebhookData => ({
      url: "https://crm.example.com/hook",
      body: "{}",
      headers: [],
      signingSecret,
    });
    const entry = { keyword: "1", menuText: null, redirectType: "webhook" as const, attribute: null };
    const columns = { ...entry, redirectNodeId: null, redirectCampaignId: null, redirectIntegrationId: null };
    const created = await store.createEntry(
      welcome?.id as string,
      { ...columns, webhookEnabled: false },
      webhook("sealed-by-the-service"),
      0,
    );
    expect(created.webhook?.signingSecret).toBe("sealed-by-the-service");
    const saved = await store.updateEntry(created.id, {}, webhook("not-used-for-a-kept-webhook"));
    expect(saved.webhook?.signingSecret).toBe("sealed-by-the-service");
    await store.updateEntry(created.id, {}, null);
    const again = await store.updateEntry(created.id, {}, webhook("a-new-webhook-gets-a-new-secret"));
    expect(again.webhook?.signingSecret).toBe("a-new-webhook-gets-a-new-secret");
  });
});
