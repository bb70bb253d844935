import { describe, expect, it } from "vitest";
import { flowGraph, webhookLabel } from "../src/flow-graph";

const entry = (
  over: Partial<Parameters<typeof flowGraph>[0]["nodes"][number]["entries"][number]> & { id: string },
) => ({
  keyword: "1",
  redirectType: null,
  redirectTo: null,
  webhookEnabled: false,
  webhook: null,
  ...over,
});

describe("flowGraph", () => {
  const flow = {
    nodes: [
      {
        id: "w",
        kind: "welcome" as const,
        label: "Welcome Message",
        entries: [
          entry({
            id: "e1",
            redirectType: "interaction",
            redirectTo: "a",
            webhookEnabled: true,
            webhook: { url: "https://hooks.example.com/a" },
          }),
          entry({ id: "e2", keyword: "2", redirectType: "campaign", redirectTo: "42" }),
          entry({ id: "e3", keyword: "3", redirectType: "campaign", redirectTo: "42" }),
          entry({ id: "e4", keyword: "4", redirectType: "interaction", redirectTo: "gone" }),
        ],
      },
      {
        id: "a",
        kind: "interaction" as const,
        label: "Interaction 1",
        entries: [entry({ id: "e5", redirectType: "webhook", webhook: { url: "https://crm.example.com/answers" } })],
      },
    ],
  };

  it("draws blue arrows inside the chatbot, red to campaigns and black to webhooks", () => {
    const graph = flowGraph(flow, [{ id: 42, name: "Summer raffle" }]);
    expect(graph.edges.map((e) => [e.kind, e.source, e.target, e.entryId])).toEqual([
      ["stay", "w", "a", "e1"],
      ["webhook", "w", "webhook:e1", "e1"],
      ["campaign", "w", "campaign:42", "e2"],
      ["campaign", "w", "campaign:42", "e3"],
      ["webhook", "a", "webhook:e5", "e5"],
    ]);
  });

  it("has one node per chatbot node, per target campaign and per webhook", () => {
    const graph = flowGraph(flow, [{ id: 42, name: "Summer raffle" }]);
    expect(graph.nodes.map((n) => [n.kind, n.label])).toEqual([
      ["welcome", "Welcome Message"],
      ["interaction", "Interaction 1"],
      ["webhook", "hooks.example.com/a"],
      ["webhook", "crm.example.com/answers"],
      ["campaign", "Summer raffle"],
    ]);
  });

  it("names a campaign it does not know by its id and skips targets that no longer exist", () => {
    const graph = flowGraph(flow, []);
    expect(graph.nodes.find((n) => n.kind === "campaign")?.label).toBe("Campaign 42");
    expect(graph.edges.some((e) => e.entryId === "e4")).toBe(false);
  });

  it("shortens long webhook URLs", () => {
    expect(webhookLabel(`https://example.com/${"x".repeat(60)}`)).toHaveLength(40);
    expect(webhookLabel("  ")).toBe("(no URL yet)");
  });
});
