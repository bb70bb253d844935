import { flowGraph } from "@switchboard/domain/flow-graph";
import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "../src/features/editor/model/diagram-layout";

const entry = (id: string, redirectTo: string | null, extra: Record<string, unknown> = {}) => ({
  id,
  keyword: id,
  redirectType: "interaction" as const,
  redirectTo,
  webhookEnabled: false,
  webhook: null,
  ...extra,
});

describe("the diagram's layout", () => {
  const flow = {
    nodes: [
      { id: "w", kind: "welcome" as const, label: "Welcome Message", entries: [entry("1", "a"), entry("2", "b")] },
      { id: "a", kind: "interaction" as const, label: "A", entries: [entry("3", "c")] },
      {
        id: "b",
        kind: "interaction" as const,
        label: "B",
        entries: [entry("4", null, { webhookEnabled: true, webhook: { url: "https://x.example.com" } })],
      },
      { id: "c", kind: "interaction" as const, label: "C", entries: [] },
      { id: "orphan", kind: "interaction" as const, label: "Orphan", entries: [] },
    ],
  };

  it("puts each node one column after the node that first leads to it, and unreached nodes last", () => {
    const graph = flowGraph(flow, []);
    const at = new Map(layoutGraph(graph.nodes, graph.edges).map((p) => [p.node.id, p]));
    const col = (id: string) => (at.get(id)?.x ?? -1) / (NODE_WIDTH + 90);
    expect([col("w"), col("a"), col("b"), col("c"), col("webhook:4"), col("orphan")]).toEqual([0, 1, 1, 2, 2, 3]);
  });

  it("never puts two nodes in one place", () => {
    const graph = flowGraph(flow, []);
    const spots = layoutGraph(graph.nodes, graph.edges).map((p) => `${p.x},${p.y}`);
    expect(new Set(spots).size).toBe(spots.length);
    expect(spots).toContain(`0,0`);
    expect(NODE_HEIGHT).toBeGreaterThan(0);
  });

  it("places every node of 50 Interactions × 10 entries, each in its own spot", () => {
    const ids = Array.from({ length: 51 }, (_, i) => `n${i}`);
    const big = {
      nodes: ids.map((id, n) => ({
        id,
        kind: n === 0 ? ("welcome" as const) : ("interaction" as const),
        label: id,
        entries: Array.from({ length: 10 }, (_, k) => entry(`${id}-${k}`, ids[(n + k + 1) % 51] as string)),
      })),
    };
    const graph = flowGraph(big, []);
    const placed = layoutGraph(graph.nodes, graph.edges);
    expect(placed).toHaveLength(51);
    expect(new Set(placed.map((p) => `${p.x},${p.y}`)).size).toBe(51);
  });
});
