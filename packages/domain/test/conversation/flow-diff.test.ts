import { describe, expect, it } from "vitest";
import { describeChanges, diffFlows, type FlowChangeKind } from "../../src/conversation/flow-diff";
import type { FlowSnapshot, PublishedEntry, PublishedNode } from "../../src/conversation/flow-snapshot";

const entry = (id: string, over: Partial<PublishedEntry> = {}): PublishedEntry => ({
  id,
  keyword: "1",
  menuText: null,
  redirectType: "interaction",
  redirectTo: "n2",
  attribute: null,
  webhookEnabled: false,
  webhook: null,
  ...over,
});

const node = (id: string, label: string, entries: PublishedEntry[] = [], over: Partial<PublishedNode> = {}) => ({
  id,
  kind: id === "n1" ? ("welcome" as const) : ("interaction" as const),
  label,
  message: `${label} text`,
  confirmationText: null,
  entries,
  ...over,
});

const flow = (nodes: PublishedNode[], version = 1): FlowSnapshot => ({ campaignId: 1, version, channel: "sms", nodes });

const hook = (over: Partial<NonNullable<PublishedEntry["webhook"]>> = {}) => ({
  url: "https://crm.example.com/a",
  body: { source: "acceptance" },
  headers: [{ name: "X-Team", value: "growth", secret: false }],
  ...over,
});

describe("diffFlows", () => {
  it("says nothing of two equal versions, whatever their version numbers", () => {
    const v = flow([node("n1", "Welcome Message", [entry("e1")]), node("n2", "Interaction 2")]);
    expect(diffFlows(v, { ...v, version: 7 })).toEqual([]);
  });

  it("tells the spec's example in the marketer's words", () => {
    const oneYear = { keyword: "3", menuText: "One year", webhookEnabled: true };
    const from = flow([
      node("n1", "Welcome Message", [entry("e3", { ...oneYear, webhook: hook() })]),
      node("n2", "Interaction 2"),
    ]);
    const to = flow([
      node("n1", "Welcome Message", [
        entry("e3", {
          ...oneYear,
          redirectType: "campaign",
          redirectTo: "13011",
          webhook: hook({
            url: "https://crm.example.com/b",
            headers: [...hook().headers, { name: "X-Api-Key", value: "sealed", secret: true }],
          }),
        }),
      ]),
      node("n2", "Interaction 2"),
    ]);
    const changes = diffFlows(from, to, { campaigns: new Map([["13011", "Raffle"]]) });
    expect(describeChanges(changes)).toEqual([
      "Welcome Message › 3 One year: Redirect Type changed from Interaction to Campaign; Redirect To changed from Interaction 2 to Raffle; webhook URL changed; header X-Api-Key added",
    ]);
    expect(changes.map((c) => [c.kind, c.nodeId, c.entryId])).toContainEqual(["redirect_to_changed", "n1", "e3"]);
  });

  it("reports every kind of change, each with where it is", () => {
    const from = flow([
      node("n1", "Welcome Message", [
        entry("a", { keyword: "1", menuText: "Yes" }),
        entry("b", { keyword: "2" }),
        entry("c", { keyword: "3", webhookEnabled: true, webhook: hook() }),
        entry("d", { keyword: "4", redirectType: "attribute", redirectTo: "n2", attribute: "name" }),
        entry("gone"),
        entry("w", { keyword: "5", redirectType: "webhook", redirectTo: null, webhook: hook() }),
      ]),
      node("n2", "Interaction 2"),
      node("n3", "Interaction 3", [], { confirmationText: "Thanks" }),
      node("old", "Interaction 4"),
    ]);
    const to = flow([
      node(
        "n1",
        "Welcome",
        [
          entry("b", { keyword: "9" }),
          entry("a", { keyword: "1", menuText: "Sure", redirectTo: "n3" }),
          entry("c", {
            keyword: "3",
            webhookEnabled: false,
            webhook: hook({ body: { source: "other" }, headers: [{ name: "X-Team", value: "sales", secret: false }] }),
          }),
          entry("d", { keyword: "4", redirectType: "attribute", redirectTo: "n2", attribute: "first_name" }),
          entry("new", { keyword: "6" }),
          entry("w", { keyword: "5", redirectType: "webhook", redirectTo: null, webhook: null }),
        ],
        { message: "Hello again" },
      ),
      node("n3", "Interaction 3", [entry("x", { webhook: hook(), webhookEnabled: true })], { confirmationText: null }),
      node("n2", "Interaction 2", [], {}),
      node("added", "Interaction 5"),
    ]);
    from.nodes[2]?.entries.push(entry("x", { webhook: hook({ headers: [] }), webhookEnabled: true }));
    const changes = diffFlows(from, to);
    const kinds = new Set(changes.map((c) => c.kind));
    const all: FlowChangeKind[] = [
      "node_added",
      "node_removed",
      "node_renamed",
      "node_moved",
      "message_changed",
      "confirmation_changed",
      "entry_added",
      "entry_removed",
      "entry_moved",
      "keyword_changed",
      "menu_text_changed",
      "redirect_to_changed",
      "attribute_changed",
      "webhook_toggled",
      "webhook_removed",
      "webhook_body_changed",
      "header_added",
      "header_changed",
    ];
    for (const kind of all) expect(kinds, kind).toContain(kind);
    const sentences = describeChanges(changes);
    expect(sentences).toContain("Welcome › 9: moved from row 2 to 1; Keyword changed from “2” to “9”");
    expect(sentences).toContain(
      "Welcome › 1 Sure: moved from row 1 to 2; Menu Text changed from “Yes” to “Sure”; Redirect To changed from Interaction 2 to Interaction 3",
    );
    expect(sentences).toContain("Welcome › 3: webhook toggle turned off; webhook Body changed; header X-Team changed");
    expect(sentences).toContain("Welcome › 4: attribute changed from “name” to “first_name”");
    expect(sentences).toContain("Welcome › 5: webhook removed");
    expect(sentences).toContain("Interaction 3: moved from position 3 to 2; confirmation text cleared (was “Thanks”)");
    expect(sentences).toContain("Interaction 3 › 1: header X-Team added");
    expect(sentences).toContain("Interaction 4: Interaction 4 removed");
    expect(sentences).toContain("Interaction 5: Interaction 5 added");
    expect(sentences).toContain("Welcome › 1: 1 removed");
    expect(changes.find((c) => c.kind === "node_renamed")).toMatchObject({
      nodeId: "n1",
      what: "renamed from “Welcome Message”",
    });
  });

  it("tells a webhook added, a Redirect Type changed and a header removed, never quoting a secret value", () => {
    const from = flow([
      node("n1", "Welcome Message", [
        entry("a", { redirectType: "live_chat", redirectTo: null }),
        entry("b", {
          webhook: hook({ headers: [{ name: "X-Key", value: "s3cret", secret: true }] }),
          webhookEnabled: true,
        }),
      ]),
      node("n2", "Interaction 2"),
    ]);
    const to = flow([
      node("n1", "Welcome Message", [
        entry("a", { redirectType: "integration", redirectTo: "i1", webhook: hook(), webhookEnabled: true }),
        entry("b", { webhook: hook({ headers: [] }), webhookEnabled: true }),
      ]),
      node("n2", "Interaction 2"),
    ]);
    const changes = diffFlows(from, to, { integrations: new Map([["i1", "Ticketing"]]) });
    expect(describeChanges(changes)).toEqual([
      "Welcome Message › 1: Redirect Type changed from Live Chat to Integration; Redirect To set to Ticketing; webhook toggle turned on; webhook added; header X-Key removed",
    ]);
    expect(JSON.stringify(changes)).not.toContain("s3cret");
    expect(changes.map((c) => c.kind)).toEqual([
      "redirect_type_changed",
      "redirect_to_changed",
      "webhook_toggled",
      "webhook_added",
      "header_removed",
    ]);
  });

  it("names what changed in a Live Chat entry's settings, the team by its name and the timeout's node by its label", () => {
    const settings = {
      handoverMessage: "One moment.",
      teamId: null,
      timeoutMinutes: 10,
      openingHours: null,
      onTimeout: { action: "end" as const, message: "Bye." },
    };
    const from = flow([
      node("n1", "Welcome", [entry("e1", { redirectType: "live_chat", redirectTo: null, liveChat: settings })]),
      node("n2", "Interaction 2"),
    ]);
    const to = flow([
      node("n1", "Welcome", [
        entry("e1", {
          redirectType: "live_chat",
          redirectTo: null,
          liveChat: {
            ...settings,
            teamId: "t1",
            timeoutMinutes: 15,
            onTimeout: { action: "bot", message: "Bye.", nodeId: "n2" },
          },
        }),
      ]),
      node("n2", "Interaction 2"),
    ]);
    const changes = diffFlows(from, to, { teams: new Map([["t1", "Sales"]]) });
    expect(changes.every((c) => c.kind === "live_chat_changed" && c.entryId === "e1")).toBe(true);
    expect(describeChanges(changes)).toEqual([
      "Welcome › 1: Live Chat team changed from every agent to Sales; Live Chat timeout changed from 10 to 15 minutes; Live Chat on timeout changed from end to back to Interaction 2",
    ]);
    expect(diffFlows(to, to)).toEqual([]);
  });
});
