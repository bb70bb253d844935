import { describe, expect, it } from "vitest";
import { continueConversation, startConversation, type Turn } from "../../src/conversation/engine";
import type { ConversationState } from "../../src/conversation/session";
import {
  answerDistribution,
  flowOrder,
  funnel,
  LATENCY_BOUNDS_MS,
  latencyBucket,
  percentile,
  ratio,
  webhookHealth,
} from "../../src/report/figures";
import { hourOf, type TurnFacts, turnFacts } from "../../src/report/turn-facts";
import { campaign, streaming } from "../conversation/flows";

/**
 * A known transcript on the streaming menu: Ana picks One month and gives her email, Ben picks Six months, Cy answers
 * nonsense and leaves, Dee asks for a person. Each phone number's texts are played through the engine.
 */
function play(): TurnFacts[] {
  const facts: TurnFacts[] = [];
  const transcripts: [string, string[]][] = [
    ["+525500000001", ["JOIN", "1", " ana@example.com "]],
    ["+525500000002", ["JOIN", "2"]],
    ["+525500000003", ["JOIN", "9"]],
    ["+525500000004", ["JOIN", "4"]],
  ];
  for (const [i, [phoneNumber, texts]] of transcripts.entries()) {
    let turn = null as Turn | null;
    for (const [j, text] of texts.entries()) {
      const inbound = { phoneNumber, text, receivedAt: new Date(Date.UTC(2024, 5, 18, 23, i * 10 + j, 0)) };
      const before: ConversationState | null = turn?.state ?? null;
      turn = before
        ? continueConversation(streaming, campaign, before, inbound)
        : startConversation(streaming, campaign, inbound);
      facts.push(turnFacts({ sessionId: `s${i}`, before, inbound, turn, running: true, receivedText: true }));
    }
  }
  return facts;
}

const tally = (keys: (string | null)[]) => {
  const counts = new Map<string, number>();
  for (const k of keys) if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
};

describe("the report's figures on a known transcript", () => {
  const facts = play();
  const sum = (f: (t: TurnFacts) => number) => facts.reduce((a, t) => a + f(t), 0);

  it("counts conversations, outcomes, messages and participation", () => {
    expect(sum((t) => (t.started ? 1 : 0))).toBe(4);
    expect(sum((t) => (t.outcome === "finished" ? 1 : 0))).toBe(2);
    expect(sum((t) => (t.outcome === "handed_off" ? 1 : 0))).toBe(1);
    expect(sum((t) => t.messagesIn)).toBe(9);
    // Welcome ×4, One month, the email's Done, Six months, Cy's "Please choose", Dee's live-chat wait.
    expect(sum((t) => t.messagesOut)).toBe(9);
    expect(facts.flatMap((t) => t.deliveries)).toEqual(["e1"]);
    const participated = new Set(facts.filter((t) => t.chosen).map((t) => t.sessionId));
    expect([...participated]).toEqual(["s0", "s1", "s3"]);
    expect(ratio(participated.size, 4)).toBe(0.75);
    expect(facts.every((t) => t.hour.toISOString() === "2024-06-18T23:00:00.000Z")).toBe(true);
  });

  it("records the free text answer, trimmed, at its question", () => {
    expect(facts.filter((t) => t.answered).map((t) => t.answered)).toEqual([
      { nodeId: "month", entryId: "email", text: "ana@example.com" },
    ]);
  });

  it("lays the funnel out in flow order with each node's drop-off", () => {
    expect(flowOrder(streaming).map((n) => n.id)).toEqual(["welcome", "month", "six", "year", "done"]);
    const reached = tally(facts.map((t) => t.entered));
    const actedAt = tally(facts.map((t) => t.chosen?.nodeId ?? t.answered?.nodeId ?? null));
    expect(funnel(streaming, reached, actedAt)).toEqual([
      { nodeId: "welcome", label: "Welcome Message", reached: 4, share: 1, wentOn: 3, dropOff: 1, dropOffRate: 0.25 },
      { nodeId: "month", label: "One month", reached: 1, share: 0.25, wentOn: 1, dropOff: 0, dropOffRate: 0 },
      { nodeId: "six", label: "Six months", reached: 1, share: 0.25, wentOn: 0, dropOff: 0, dropOffRate: 0 },
      { nodeId: "year", label: "One year", reached: 0, share: 0, wentOn: 0, dropOff: 0, dropOffRate: null },
      { nodeId: "done", label: "Done", reached: 1, share: 0.25, wentOn: 0, dropOff: 0, dropOffRate: 0 },
    ]);
  });

  it("distributes the answers per node and option, with percentages", () => {
    const counts = tally(facts.map((t) => t.chosen?.entryId ?? t.answered?.entryId ?? null));
    const third = 1 / 3;
    expect(answerDistribution(streaming, counts)).toEqual([
      {
        nodeId: "welcome",
        label: "Welcome Message",
        total: 3,
        entries: [
          { entryId: "e1", label: "One month", kind: "option", count: 1, percent: third },
          { entryId: "e2", label: "Six months", kind: "option", count: 1, percent: third },
          { entryId: "e3", label: "One year", kind: "option", count: 0, percent: 0 },
          { entryId: "e4", label: "Talk to us", kind: "option", count: 1, percent: third },
          { entryId: "e5", label: "Win a prize", kind: "option", count: 0, percent: 0 },
        ],
      },
      {
        nodeId: "month",
        label: "One month",
        total: 1,
        entries: [{ entryId: "email", label: "E (email)", kind: "question", count: 1, percent: 1 }],
      },
    ]);
  });

  it("counts nothing chosen when the campaign no longer runs its flow", () => {
    const inbound = { phoneNumber: "+525500000009", text: "1", receivedAt: new Date("2024-06-19T00:00:00Z") };
    const start = startConversation(streaming, campaign, inbound);
    const closed = { ...campaign, status: "ended" as const };
    const turn = continueConversation(streaming, closed, start.state, inbound);
    const f = turnFacts({
      sessionId: "s",
      before: start.state,
      inbound,
      turn,
      running: false,
      receivedText: true,
    });
    expect(f).toMatchObject({ chosen: null, answered: null, entered: null, outcome: "finished", started: false });
  });
});

describe("webhook health from the latency histogram", () => {
  const histogram = (durations: number[]) => {
    const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    for (const ms of durations) counts[latencyBucket(ms)] = (counts[latencyBucket(ms)] ?? 0) + 1;
    return counts;
  };

  it("places durations in the first bucket whose bound they do not exceed", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(5)).toBe(0);
    expect(latencyBucket(6)).toBe(1);
    expect(latencyBucket(700)).toBe(18);
    expect(latencyBucket(30_001)).toBe(LATENCY_BOUNDS_MS.length);
  });

  it("reads p50, p95 and p99 by interpolating inside the bucket", () => {
    const health = webhookHealth({
      deliveries: 5,
      attempts: 5,
      delivered: 3,
      failed: 1,
      latency: histogram([12, 40, 40, 90, 700]),
    });
    // p50: the 3rd of 5 is the second of the two in (30, 40] → 40; p95 and p99: the 5th, alone in (650, 800] → 800.
    expect(health).toEqual({
      deliveries: 5,
      attempts: 5,
      delivered: 3,
      failed: 1,
      successRate: 0.75,
      p50Ms: 40,
      p95Ms: 800,
      p99Ms: 800,
    });
    expect(percentile(histogram([12, 40, 40, 90, 700]), 0.2)).toBe(15);
  });

  it("has no percentile or rate without data, and answers the overflow bucket's lower bound", () => {
    expect(webhookHealth({ deliveries: 2, attempts: 0, delivered: 0, failed: 0, latency: [] })).toMatchObject({
      successRate: null,
      p50Ms: null,
      p99Ms: null,
    });
    expect(percentile(histogram([45_000]), 0.99)).toBe(30_000);
  });

  it("buckets by UTC hour", () => {
    expect(hourOf(new Date("2024-06-18T23:59:59.999Z")).toISOString()).toBe("2024-06-18T23:00:00.000Z");
  });
});
