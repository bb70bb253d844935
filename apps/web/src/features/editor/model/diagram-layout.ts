import type { GraphEdge, GraphNode } from "@switchboard/domain/flow-graph";

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 90;
const ROW_GAP = 16;

export interface Positioned {
  node: GraphNode;
  x: number;
  y: number;
}

/**
 * Columns by distance from the Welcome Message (breadth-first over the arrows), each node's campaigns and webhooks in
 * the column after it, and within a column the order of the nodes that lead there, so arrows mostly run straight.
 * Linear in nodes and arrows: a general layered layout (dagre) took over a second for 50 Interactions × 10 entries,
 * on every edit.
 */
export function layoutGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Positioned[] {
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const e of edges) {
    if (e.source === e.target) continue;
    outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  }

  const column = new Map<string, number>();
  const start = nodes.find((n) => n.kind === "welcome") ?? nodes[0];
  if (start) {
    column.set(start.id, 0);
    const queue = [start.id];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i] as string;
      for (const next of outgoing.get(id) ?? []) {
        if (column.has(next)) continue;
        column.set(next, (column.get(id) ?? 0) + 1);
        queue.push(next);
      }
    }
  }
  // What the Welcome Message never leads to gets a column of its own at the end, where it is easy to spot.
  const reached = Math.max(0, ...column.values());
  for (const n of nodes) {
    if (column.has(n.id)) continue;
    const from = incoming.get(n.id)?.find((s) => column.has(s));
    column.set(n.id, from === undefined ? reached + 1 : (column.get(from) ?? 0) + 1);
  }

  const columns: GraphNode[][] = [];
  for (const n of nodes) {
    const c = column.get(n.id) ?? 0;
    const list = columns[c] ?? [];
    list.push(n);
    columns[c] = list;
  }
  const row = new Map<string, number>();
  const positioned: Positioned[] = [];
  columns.forEach((list, c) => {
    // Order by where the arrows come from (the mean row of the sources already placed); ties keep the table's order.
    const weight = (n: GraphNode) => {
      const rows = (incoming.get(n.id) ?? []).map((s) => row.get(s)).filter((r): r is number => r !== undefined);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.POSITIVE_INFINITY;
    };
    const ordered = list.map((n, index) => ({ n, index, w: weight(n) })).sort((a, b) => a.w - b.w || a.index - b.index);
    ordered.forEach(({ n }, r) => {
      row.set(n.id, r);
      positioned.push({ node: n, x: c * (NODE_WIDTH + COLUMN_GAP), y: r * (NODE_HEIGHT + ROW_GAP) });
    });
  });
  return positioned;
}
