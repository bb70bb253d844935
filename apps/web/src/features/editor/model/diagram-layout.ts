import dagre from "@dagrejs/dagre";
import type { GraphEdge, GraphNode } from "@switchboard/domain/flow-graph";

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 44;

export interface Positioned {
  node: GraphNode;
  x: number;
  y: number;
}

/**
 * Left-to-right layers (Welcome Message first, then what each entry leads to), so 50 interactions read as columns
 * rather than a tangle. Parallel arrows between the same two nodes share one layout edge.
 */
export function layoutGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Positioned[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 16, ranksep: 70, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges) if (e.source !== e.target) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((node) => {
    const at = g.node(node.id);
    return { node, x: (at?.x ?? 0) - NODE_WIDTH / 2, y: (at?.y ?? 0) - NODE_HEIGHT / 2 };
  });
}
