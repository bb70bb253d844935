import type { Flow, MenuEntry } from "@switchboard/contracts/flow";
import { describe, expect, it } from "vitest";
import { draftProblems, placeProblem, searchFlow } from "../src/features/editor/model/outline";

const W = "11111111-1111-4111-8111-111111111111";
const A = "22222222-2222-4222-8222-222222222222";

const entry = (id: string, nodeId: string, over: Partial<MenuEntry> = {}): MenuEntry => ({
  id,
  nodeId,
  position: 0,
  keyword: "1",
  menuText: "One month",
  redirectType: "interaction",
  redirectTo: A,
  attribute: null,
  webhookEnabled: false,
  hasWebhook: false,
  webhook: null,
  ...over,
});

const stats = { characters: 0, segments: 0, encoding: null, limit: 1600 };
const flow: Flow = {
  campaignId: 10001,
  channel: "sms",
  nodes: [
    {
      id: W,
      kind: "welcome",
      label: "Welcome Message",
      message: "Hi! Pick a plan",
      confirmationText: null,
      position: 0,
      messageStats: stats,
      entries: [
        entry("33333333-3333-4333-8333-333333333333", W),
        entry("44444444-4444-4444-8444-444444444444", W, {
          keyword: "2",
          menuText: "Raffle",
          redirectType: null,
          redirectTo: null,
          webhookEnabled: true,
          webhook: {
            url: "https://hooks.example.com/raffle",
            body: {},
            headers: [],
            disabledAt: null,
            disabledReason: null,
          },
        }),
      ],
    },
    {
      id: A,
      kind: "interaction",
      label: "Interaction 1",
      message: "",
      confirmationText: null,
      position: 1,
      messageStats: stats,
      entries: [],
    },
  ],
} as unknown as Flow;

describe("the outline's model", () => {
  it("places a publish problem's path on its node, entry and field", () => {
    expect(placeProblem(flow, "nodes.0.entries.1.redirectType", "choose")).toEqual({
      nodeId: W,
      entryId: "44444444-4444-4444-8444-444444444444",
      field: "redirectType",
      message: "choose",
    });
    expect(placeProblem(flow, "nodes.1.message", "m")).toMatchObject({ nodeId: A, entryId: null, field: "message" });
    expect(placeProblem(flow, "nodes.7.message", "gone")).toBeNull();
    expect(placeProblem(flow, "body.note", "x")).toBeNull();
  });

  it("finds what Publish would refuse, by the domain's rule, on the node it belongs to", () => {
    const problems = draftProblems(flow, { campaignIds: new Set(), integrationIds: new Set(), allowHttp: false });
    expect(problems).toContainEqual(
      expect.objectContaining({ nodeId: W, entryId: "44444444-4444-4444-8444-444444444444", field: "redirectType" }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ nodeId: A, entryId: null, field: "message" }));
    expect(problems.filter((p) => p.entryId === "33333333-3333-4333-8333-333333333333")).toEqual([]);
  });

  it("searches messages, menu texts and webhook URLs, whatever the case", () => {
    expect(searchFlow(flow, "RAFFLE").map((h) => h.where)).toEqual([
      "Welcome Message › 2 › Menu Text",
      "Welcome Message › 2 › Webhook URL",
    ]);
    expect(searchFlow(flow, "pick").map((h) => h.where)).toEqual(["Welcome Message › Message"]);
    expect(searchFlow(flow, "  ")).toEqual([]);
  });
});
