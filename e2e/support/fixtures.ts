import { readFileSync } from "node:fs";
import { type APIRequestContext, test as base, expect } from "@playwright/test";
import type { Campaign, CampaignInput } from "@switchboard/contracts/campaigns";
import type { Sender } from "@switchboard/contracts/senders";
import { AccessibilityWatch } from "./accessibility";
import { ADMIN_CSRF, ADMIN_STATE } from "./accounts";
import { WebhookSink } from "./webhook-sink";

/** Seeds data through the API the way a user's browser would, and deletes what it made when the test ends. */
export class Seed {
  private cleanups: (() => Promise<unknown>)[] = [];
  constructor(private readonly api: APIRequestContext) {}

  async sender(overrides: Partial<Sender> = {}): Promise<Sender> {
    const address = `+5255${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const res = await this.api.post("/api/v1/senders", {
      data: { name: "E2E line", channel: "sms", address, ...overrides },
    });
    expect(res.status(), await res.text()).toBe(201);
    const sender = (await res.json()) as Sender;
    this.cleanups.push(() => this.api.delete(`/api/v1/senders/${sender.id}`));
    return sender;
  }

  async campaign(overrides: Partial<CampaignInput> = {}): Promise<Campaign> {
    const senderId = overrides.senderId ?? (await this.sender({ channel: overrides.channel ?? "sms" })).id;
    const res = await this.api.post("/api/v1/campaigns", {
      data: { name: `E2E ${Date.now()}`, type: "chatbot", channel: "sms", ...overrides, senderId },
    });
    expect(res.status(), await res.text()).toBe(201);
    const campaign = (await res.json()) as Campaign;
    this.cleanups.push(() => this.api.delete(`/api/v1/campaigns/${campaign.id}`));
    return campaign;
  }

  /**
   * The seed's streaming-membership chatbot: "1. One month, 2. Six months, 3. One year", the first option with its
   * webhook toggled on. Not published: tests publish it. On a new SMS sender, or on the one given.
   */
  async streamingChatbot(webhookUrl: string, on?: Sender) {
    const sender = on ?? (await this.sender());
    const campaign = await this.campaign({
      senderId: sender.id,
      channel: sender.channel,
      name: `Streaming ${Date.now()}`,
      status: "active",
      triggerKeywords: [`STREAM${Date.now() % 100000}`],
    });
    const base = `/api/v1/campaigns/${campaign.id}`;
    const flow = await (await this.api.get(`${base}/flow`)).json();
    const [welcome, month, six, year] = flow.nodes as { id: string }[];
    const ok = async (res: Promise<import("@playwright/test").APIResponse>) => {
      const r = await res;
      expect(r.ok(), await r.text()).toBe(true);
      return r.json();
    };
    await ok(
      this.api.patch(`${base}/nodes/${welcome?.id}`, {
        data: { message: "Welcome to EliPackage, enter the best option for streaming membership:" },
      }),
    );
    for (const [node, text] of [
      [month, "One month it is!"],
      [six, "Six months it is!"],
      [year, "A whole year!"],
    ] as const) {
      await ok(this.api.patch(`${base}/nodes/${node?.id}`, { data: { message: text } }));
    }
    // A WhatsApp chatbot starts with more interactions than an SMS one: each needs a message to publish.
    for (const node of flow.nodes.slice(4) as { id: string }[]) {
      await ok(this.api.patch(`${base}/nodes/${node.id}`, { data: { message: "Thanks for writing." } }));
    }
    const entries = `${base}/nodes/${welcome?.id}/entries`;
    await ok(
      this.api.post(entries, {
        data: {
          keyword: "1",
          menuText: "One month",
          redirectType: "interaction",
          redirectTo: month?.id,
          webhookEnabled: true,
          webhook: { url: webhookUrl },
        },
      }),
    );
    await ok(
      this.api.post(entries, {
        data: { keyword: "2", menuText: "Six months", redirectType: "interaction", redirectTo: six?.id },
      }),
    );
    await ok(
      this.api.post(entries, {
        data: { keyword: "3", menuText: "One year", redirectType: "interaction", redirectTo: year?.id },
      }),
    );
    return { sender, campaign };
  }

  /** Registers the deletion of something a test created through the UI. */
  later(cleanup: () => Promise<unknown>) {
    this.cleanups.push(cleanup);
  }

  async cleanUp() {
    // Newest first: campaigns go before the senders they use.
    for (const cleanup of this.cleanups.reverse()) await cleanup();
    this.cleanups = [];
  }
}

/**
 * The suite's `test`: every spec importing it gets the fixtures below, and axe-core checks each page it visits
 * (support/accessibility.ts), failing the test on serious or critical violations.
 */
export const test = base.extend<{ seed: Seed; sink: WebhookSink }>({
  page: async ({ page }, use, testInfo) => {
    const watch = new AccessibilityWatch(page);
    await use(page);
    // A test that already failed keeps its own error; the check adds nothing to read.
    if (testInfo.status === testInfo.expectedStatus) await watch.finish();
  },
  // API requests carry the admin's session cookie (storageState) and, for changes, its CSRF token.
  request: async ({ playwright, baseURL }, use) => {
    const api = await playwright.request.newContext({
      baseURL,
      storageState: ADMIN_STATE,
      extraHTTPHeaders: { "x-csrf-token": readFileSync(ADMIN_CSRF, "utf8") },
    });
    await use(api);
    await api.dispose();
  },
  seed: async ({ request }, use) => {
    const seed = new Seed(request);
    await use(seed);
    await seed.cleanUp();
  },
  // Playwright reads the fixtures a fixture needs from this destructuring; the sink needs none.
  // biome-ignore lint/correctness/noEmptyPattern: see above
  sink: async ({}, use) => {
    const sink = new WebhookSink();
    await sink.start();
    await use(sink);
    await sink.stop();
  },
});

export { expect };
