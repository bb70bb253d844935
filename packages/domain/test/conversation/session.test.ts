import { describe, expect, it } from "vitest";
import { isExpired, routeInbound } from "../../src/conversation/session";

const now = new Date("2026-01-02T00:00:00Z");
const state = {
  campaignId: 1,
  version: 1,
  nodeId: "w",
  awaitingEntryId: null,
  status: "active" as const,
  lastActivityAt: new Date("2026-01-01T12:00:00Z"),
};
const candidates = [
  { campaignId: 1, triggerKeywords: ["STREAM"], autoReply: false },
  { campaignId: 2, triggerKeywords: ["WIN"], autoReply: true },
];

describe("routing an inbound text", () => {
  it("starts the chatbot whose trigger keyword it is, in any case, even mid-conversation", () => {
    expect(routeInbound(" stream ", candidates, null, now)).toEqual({ kind: "start", campaignId: 1 });
    expect(routeInbound("Win", candidates, { state, timeoutMinutes: 1440 }, now)).toEqual({
      kind: "start",
      campaignId: 2,
    });
  });
  it("continues a live session", () => {
    expect(routeInbound("1", candidates, { state, timeoutMinutes: 1440 }, now)).toEqual({ kind: "continue" });
  });
  it("starts the Auto-Reply campaign when the session expired or ended, or there is none", () => {
    expect(routeInbound("1", candidates, { state, timeoutMinutes: 60 }, now)).toEqual({ kind: "start", campaignId: 2 });
    expect(routeInbound("1", candidates, { state: { ...state, status: "ended" }, timeoutMinutes: 1440 }, now)).toEqual({
      kind: "start",
      campaignId: 2,
    });
    expect(routeInbound("hello", candidates, null, now)).toEqual({ kind: "start", campaignId: 2 });
  });
  it("leaves unmatched text unanswered when no campaign has Auto-Reply", () => {
    expect(routeInbound("hello", [candidates[0] as (typeof candidates)[0]], null, now)).toEqual({ kind: "unmatched" });
  });
  it("expires a session after its inactivity time", () => {
    expect(isExpired(state, 720, now)).toBe(false);
    expect(isExpired(state, 719, now)).toBe(true);
  });
});
