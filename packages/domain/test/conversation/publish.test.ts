import { describe, expect, it } from "vitest";
import { checkPublishable, type DraftFlow, sameFlow, toSnapshot } from "../../src/conversation/publish";

const ctx = {
  campaignIds: new Set(["13011"]),
  activeCampaignIds: new Set<string>(),
  integrationIds: new Set<string>(),
  policy: { allowHttp: false },
};
const base = { menuText: null, redirectTo: null, attribute: null, webhookEnabled: false, webhook: null };

function flow(): DraftFlow {
  return {
    campaignId: 13010,
    channel: "sms",
    nodes: [
      {
        id: "w",
        kind: "welcome",
        label: "Welcome Message",
        message: "Pick one",
        confirmationText: null,
        entries: [
          { ...base, id: "e1", keyword: "1", menuText: "One month", redirectType: "interaction", redirectTo: "a" },
          { ...base, id: "e2", keyword: "2", menuText: "Raffle", redirectType: "campaign", redirectTo: "13011" },
        ],
      },
      { id: "a", kind: "interaction", label: "Interaction 1", message: "Thanks", confirmationText: null, entries: [] },
      { id: "b", kind: "interaction", label: "Interaction 2", message: "Lonely", confirmationText: null, entries: [] },
    ],
  };
}

describe("publishing", () => {
  it("accepts a complete flow and warns about unreachable nodes and inactive targets", () => {
    const check = checkPublishable(flow(), ctx);
    expect(check.errors).toEqual([]);
    expect(check.warnings.map((w) => `${w.path.join(".")} ${w.code}`)).toEqual([
      "nodes.0.entries.1.redirectTo target_inactive",
      "nodes.2 unreachable",
    ]);
    expect(check.warnings[1]?.message).toBe(
      "Interaction 2 cannot be reached from the Welcome Message: no entry redirects to it.",
    );
  });

  it("refuses a WhatsApp option titled over 24 characters, and not the same title on SMS", () => {
    const draft = flow();
    const entry = draft.nodes[0]?.entries[0];
    if (!entry) throw new Error("fixture");
    entry.menuText = "Thirty-two characters of a title";
    expect(checkPublishable(draft, ctx).errors).toEqual([]);
    const errors = checkPublishable({ ...draft, channel: "whatsapp" }, ctx).errors;
    expect(errors.map((e) => `${e.path.join(".")} ${e.code}`)).toEqual(["nodes.0.entries.0.menuText too_long"]);
    expect(errors[0]?.message).toBe(
      "Welcome Message › 1: WhatsApp shows an option's title in at most 24 characters (this one has 32); shorten the Menu Text.",
    );
  });

  it("refuses entries without a Redirect Type or Redirect To, empty messages and dangling targets", () => {
    const draft = flow();
    const [welcome, a] = draft.nodes;
    if (!welcome || !a) throw new Error("fixture");
    welcome.entries.push({ ...base, id: "e3", keyword: "3", redirectType: null });
    welcome.entries.push({ ...base, id: "e4", keyword: "4", redirectType: "interaction" });
    welcome.entries.push({ ...base, id: "e5", keyword: "5", redirectType: "interaction", redirectTo: "gone" });
    a.message = " ";
    const messages = checkPublishable(draft, ctx).errors.map((e) => e.message);
    expect(messages).toEqual([
      "Welcome Message › 3: choose a Redirect Type.",
      "Welcome Message › 4: choose where Redirect Type Interaction goes (Redirect To).",
      "Welcome Message › 5: Redirect To must be a node of this chatbot; the one chosen does not exist.",
      "Interaction 1 has no message: write what the bot says there.",
    ]);
  });

  it("refuses a node asking two questions", () => {
    const draft = flow();
    draft.nodes[1]?.entries.push(
      {
        ...base,
        id: "q1",
        keyword: "1",
        redirectType: "webhook",
        webhook: { url: "https://x.example", body: {}, headers: [] },
      },
      { ...base, id: "q2", keyword: "2", redirectType: "attribute", attribute: "email", redirectTo: "b" },
    );
    expect(checkPublishable(draft, ctx).errors.map((e) => e.code)).toEqual(["several_questions"]);
  });

  it("snapshots the flow, and tells a changed draft from the published one", () => {
    const published = toSnapshot(flow(), 3);
    expect(published.version).toBe(3);
    expect(sameFlow(published, toSnapshot(flow(), 4))).toBe(true);
    // As it comes back from a jsonb column: same content, keys in another order.
    const reordered = JSON.parse(JSON.stringify(published, Object.keys(published).sort()));
    const shuffled = {
      ...reordered,
      nodes: published.nodes.map((n) => Object.fromEntries(Object.entries(n).reverse())),
    };
    expect(sameFlow(published, shuffled)).toBe(true);
    const changed = flow();
    if (changed.nodes[1]) changed.nodes[1].message = "Thank you";
    expect(sameFlow(published, toSnapshot(changed, 4))).toBe(false);
  });

  it("copies a Live Chat entry's settings into the snapshot and refuses a timeout node or team that is not there", () => {
    const settings = {
      handoverMessage: "One moment.",
      teamId: "t1",
      timeoutMinutes: 5,
      openingHours: null,
      onTimeout: { action: "bot" as const, message: "Back.", nodeId: "a" },
    };
    const draft = flow();
    draft.nodes[0]?.entries.push({ ...base, id: "e3", keyword: "3", redirectType: "live_chat", liveChat: settings });
    expect(checkPublishable(draft, { ...ctx, teamIds: new Set(["t1"]) }).errors).toEqual([]);
    expect(toSnapshot(draft, 1).nodes[0]?.entries[2]?.liveChat).toEqual(settings);
    // Another Redirect Type's entry never carries settings into the snapshot.
    expect(toSnapshot(draft, 1).nodes[0]?.entries[0]).not.toHaveProperty("liveChat");

    const broken = flow();
    broken.nodes[0]?.entries.push({
      ...base,
      id: "e3",
      keyword: "3",
      redirectType: "live_chat",
      liveChat: { ...settings, teamId: "gone", onTimeout: { action: "bot", message: "Back.", nodeId: "nowhere" } },
    });
    expect(
      checkPublishable(broken, { ...ctx, teamIds: new Set(["t1"]) }).errors.map((e) => `${e.path.join(".")} ${e.code}`),
    ).toEqual([
      "nodes.0.entries.2.liveChat.teamId unknown_team",
      "nodes.0.entries.2.liveChat.onTimeout.nodeId unknown_node",
    ]);
  });
});
