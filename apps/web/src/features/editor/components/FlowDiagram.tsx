import "@xyflow/react/dist/style.css";
import type { Flow } from "@switchboard/contracts/flow";
import { type CampaignName, flowGraph, type GraphEdgeKind, type GraphNodeKind } from "@switchboard/domain/flow-graph";
import { Background, Controls, type Edge, MarkerType, MiniMap, type Node, Position, ReactFlow } from "@xyflow/react";
import { useMemo } from "react";
import { classNames } from "../../../lib/class-names";
import type { Selection } from "../hooks/editor-context";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "../model/diagram-layout";
import styles from "./editor.module.css";

const edgeColour: Record<GraphEdgeKind, string> = {
  stay: "var(--edge-stay)",
  campaign: "var(--edge-campaign)",
  webhook: "var(--edge-webhook)",
};

const kindClass: Record<GraphNodeKind, string | undefined> = {
  welcome: styles.diagramWelcome,
  interaction: undefined,
  campaign: styles.diagramCampaign,
  webhook: styles.diagramWebhook,
};

const LABELLED_EDGES_MAX = 80;

const HANDLES: NonNullable<Node["handles"]> = [
  { type: "target", position: Position.Left, x: 0, y: NODE_HEIGHT / 2, width: 1, height: 1 },
  { type: "source", position: Position.Right, x: NODE_WIDTH - 1, y: NODE_HEIGHT / 2, width: 1, height: 1 },
];

export interface FlowDiagramProps {
  flow: Flow;
  campaigns: readonly CampaignName[];
  selection: Selection | null;
  onSelect: (selection: Selection) => void;
}

/** The flow drawn from the same data as the table: blue arrows stay in the chatbot, red invoke campaigns, black call webhooks. */
export default function FlowDiagram({ flow, campaigns, selection, onSelect }: FlowDiagramProps) {
  const graph = useMemo(() => flowGraph(flow, campaigns), [flow, campaigns]);
  const positions = useMemo(() => layoutGraph(graph.nodes, graph.edges), [graph]);

  const nodes: Node[] = useMemo(
    () =>
      positions.map(({ node, x, y }) => ({
        id: node.id,
        position: { x, y },
        // Fixed sizes and handles: React Flow need not measure 100 nodes, and keeps drawing the arrows when the
        // nodes are recomputed after an edit (it re-measures only on a change of size).
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        handles: HANDLES,
        data: { label: node.label },
        className: classNames(styles.diagramNode, kindClass[node.kind]),
        ariaLabel: `${node.kind === "webhook" ? "Webhook" : node.kind === "campaign" ? "Campaign" : "Node"} ${node.label}`,
        draggable: false,
        connectable: false,
        selected:
          !!selection &&
          node.kind !== "campaign" &&
          node.nodeId === selection.nodeId &&
          node.entryId === (node.kind === "webhook" ? selection.entryId : null),
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
      })),
    [positions, selection],
  );
  const edges: Edge[] = useMemo(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        // Measuring hundreds of labels (getBBox) costs more than they tell at that size: the arrow's name keeps the keyword.
        label: graph.edges.length <= LABELLED_EDGES_MAX ? e.label : undefined,
        // Plain class names: the end-to-end specs count the arrows of each kind by them.
        className: `diagram-edge diagram-edge-${e.kind}`,
        ariaLabel: `${e.kind === "stay" ? "Redirect" : e.kind === "campaign" ? "Campaign" : "Webhook"} arrow of entry ${e.label}`,
        style: { stroke: edgeColour[e.kind], strokeWidth: selection?.entryId === e.entryId ? 3 : 1.5 },
        markerEnd: { type: MarkerType.ArrowClosed, color: edgeColour[e.kind] },
        data: { nodeId: e.nodeId, entryId: e.entryId },
      })),
    [graph, selection],
  );

  return (
    <section className={`card ${styles.diagram}`} aria-label="Flow diagram">
      <header className={styles.diagramHeader}>
        <h2 className="h2">Flow diagram</h2>
        <ul className={styles.legend} aria-label="Legend">
          <li>
            <span className={classNames(styles.swatch, styles.stay)} aria-hidden /> Stays in the chatbot
          </li>
          <li>
            <span className={classNames(styles.swatch, styles.campaign)} aria-hidden /> Invokes a campaign
          </li>
          <li>
            <span className={classNames(styles.swatch, styles.webhook)} aria-hidden /> Webhook of an entry
          </li>
        </ul>
      </header>
      <div className={styles.diagramCanvas}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          fitViewOptions={{ maxZoom: 1 }}
          minZoom={0.1}
          nodesDraggable={false}
          nodesConnectable={false}
          proOptions={{ hideAttribution: true }}
          onNodeClick={(_e, node) => {
            const g = graph.nodes.find((n) => n.id === node.id);
            if (g?.nodeId) onSelect({ nodeId: g.nodeId, entryId: g.entryId });
          }}
          onEdgeClick={(_e, edge) => {
            const data = edge.data as { nodeId: string; entryId: string };
            onSelect({ nodeId: data.nodeId, entryId: data.entryId });
          }}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
          {graph.nodes.length > 20 && <MiniMap pannable zoomable />}
        </ReactFlow>
      </div>
    </section>
  );
}
