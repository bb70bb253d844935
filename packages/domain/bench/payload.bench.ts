import { bench, describe } from "vitest";
import { validateMenuEntry } from "../src/menu-entry";
import { buildPayload, serializePayload } from "../src/payload";

// The payload builder and the entry rules run on every chosen option and every save: they must stay cheap.
const event = {
  kind: "option",
  campaignId: 13010,
  label: "Welcome Message",
  option: "One month",
  keyword: "1",
  phoneNumber: "+525500000000",
  receivedAt: new Date("2024-06-18T23:26:14.206Z"),
} as const;
const extra = { source: "chatbot", plan: { tier: "gold", seats: 3 } };

describe("webhook payloads", () => {
  bench("build and serialize the toggle payload with extra Body parameters", () => {
    serializePayload(buildPayload(event, extra));
  });
});

describe("menu entry rules", () => {
  const ctx = {
    nodeId: "welcome",
    nodeIds: new Set(["welcome", "n1"]),
    campaignIds: new Set<string>(),
    integrationIds: new Set<string>(),
    policy: { allowHttp: false },
  };
  const entry = {
    keyword: "1",
    menuText: "One month",
    redirectType: "interaction",
    redirectTo: "n1",
    attribute: null,
    webhookEnabled: true,
    webhook: {
      url: "https://hooks.example.com/streaming",
      body: extra,
      headers: [
        { name: "Authorization", value: "Bearer abc", secret: true },
        { name: "X-Team", value: "growth", secret: false },
      ],
    },
  } as const;
  bench("validate a toggled entry with a webhook and two headers", () => {
    validateMenuEntry({ ...entry, webhook: { ...entry.webhook, headers: [...entry.webhook.headers] } }, ctx);
  });
});
