import { type FlowSnapshot, optionsOf, type PublishedNode, questionEntryOf } from "../conversation/flow-snapshot";

// The report's figures, computed from the rollups' sums: pure, so every number is checked on a known transcript.

/** A ratio, or null when nothing was counted under it (a rate of nothing is no rate, not 0 %). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The nodes in flow order: the Welcome Message, then breadth first along Interaction redirects, then the rest. */
export function flowOrder(flow: FlowSnapshot): PublishedNode[] {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const ordered: PublishedNode[] = [];
  const seen = new Set<string>();
  const queue = flow.nodes.filter((n) => n.kind === "welcome");
  while (queue.length > 0) {
    const node = queue.shift() as PublishedNode;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    ordered.push(node);
    for (const e of node.entries) {
      const next = e.redirectTo && (e.redirectType === "interaction" || e.redirectType === "attribute");
      const target = next ? byId.get(e.redirectTo as string) : undefined;
      if (target && !seen.has(target.id)) queue.push(target);
    }
  }
  return [...ordered, ...flow.nodes.filter((n) => !seen.has(n.id))];
}

export interface FunnelStep {
  nodeId: string;
  label: string;
  /** Times conversations entered the node. */
  reached: number;
  /** Reached ÷ conversations that entered the Welcome Message. */
  share: number | null;
  /** Options chosen and questions answered at the node: conversations that went on from it. */
  wentOn: number;
  /** Conversations that stopped at a node that asked for more (an end node is a finish, not a drop-off). */
  dropOff: number;
  dropOffRate: number | null;
}

/** The funnel of the nodes in flow order: how many reached each, and how many stopped there. */
export function funnel(
  flow: FlowSnapshot,
  reached: ReadonlyMap<string, number>,
  actedAt: ReadonlyMap<string, number>,
): FunnelStep[] {
  const ordered = flowOrder(flow);
  const top = ordered[0] ? (reached.get(ordered[0].id) ?? 0) : 0;
  return ordered.map((node) => {
    const r = reached.get(node.id) ?? 0;
    const wentOn = actedAt.get(node.id) ?? 0;
    const dropOff = node.entries.length === 0 ? 0 : Math.max(0, r - wentOn);
    return {
      nodeId: node.id,
      label: node.label,
      reached: r,
      share: ratio(r, top),
      wentOn,
      dropOff,
      dropOffRate: ratio(dropOff, r),
    };
  });
}

export interface AnswerCount {
  entryId: string;
  label: string;
  /** `option`: chosen from the menu; `question`: free text answered it (Webhook or Attribute). */
  kind: "option" | "question";
  count: number;
  /** Count ÷ the node's answers. */
  percent: number | null;
}

export interface NodeAnswers {
  nodeId: string;
  label: string;
  total: number;
  entries: AnswerCount[];
}

/** Per node with entries, in flow order: how often each option was chosen and each question answered. */
export function answerDistribution(flow: FlowSnapshot, counts: ReadonlyMap<string, number>): NodeAnswers[] {
  return flowOrder(flow)
    .filter((n) => n.entries.length > 0)
    .map((node) => {
      const question = questionEntryOf(node);
      const entries = [
        ...optionsOf(node).map((e) => ({ entry: e, kind: "option" as const })),
        ...(question ? [{ entry: question, kind: "question" as const }] : []),
      ];
      const total = entries.reduce((sum, { entry }) => sum + (counts.get(entry.id) ?? 0), 0);
      return {
        nodeId: node.id,
        label: node.label,
        total,
        entries: entries.map(({ entry, kind }) => {
          const count = counts.get(entry.id) ?? 0;
          return {
            entryId: entry.id,
            label: entry.menuText ?? (entry.attribute ? `${entry.keyword} (${entry.attribute})` : entry.keyword),
            kind,
            count,
            percent: ratio(count, total),
          };
        }),
      };
    });
}

/**
 * The upper bounds (ms) of the latency histogram's buckets; the last bucket holds everything slower. Spaced so that a
 * percentile read from them is within about 25 % of the truth over the range webhooks answer in.
 */
export const LATENCY_BOUNDS_MS = [
  5, 10, 15, 20, 30, 40, 50, 65, 80, 100, 125, 150, 200, 250, 300, 400, 500, 650, 800, 1000, 1250, 1500, 2000, 2500,
  3000, 4000, 5000, 6500, 8000, 10000, 15000, 20000, 30000,
] as const;

/** The bucket an attempt's duration falls in: the first whose upper bound it does not exceed. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/**
 * The p-th quantile (0 < p ≤ 1) of durations counted per bucket, interpolated linearly inside its bucket; null for an
 * empty histogram. The overflow bucket answers its lower bound (at least that slow).
 */
export function percentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let below = 0;
  for (const [i, count] of counts.entries()) {
    if (count > 0 && below + count >= rank) {
      const lower = i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] as number);
      const upper = LATENCY_BOUNDS_MS[i];
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return null;
}

export interface WebhookCounts {
  deliveries: number;
  attempts: number;
  delivered: number;
  failed: number;
  /** Attempts per latency bucket (LATENCY_BOUNDS_MS). */
  latency: readonly number[];
}

export interface WebhookHealth {
  deliveries: number;
  attempts: number;
  delivered: number;
  failed: number;
  /** Delivered ÷ deliveries that reached a final state (delivered or failed). */
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export function webhookHealth(c: WebhookCounts): WebhookHealth {
  return {
    deliveries: c.deliveries,
    attempts: c.attempts,
    delivered: c.delivered,
    failed: c.failed,
    successRate: ratio(c.delivered, c.delivered + c.failed),
    p50Ms: percentile(c.latency, 0.5),
    p95Ms: percentile(c.latency, 0.95),
    p99Ms: percentile(c.latency, 0.99),
  };
}
