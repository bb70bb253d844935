import { describe, expect, it } from "vitest";
import { continueConversation, startConversation } from "../../src/conversation/engine";
import { FLOW_FORMAT, FlowFormatError, readFlowSnapshot, toStoredSnapshot } from "../../src/conversation/flow-format";
import { publishedBeforeFormats } from "./fixtures/published-format-1";
import { campaign, nameQuestion } from "./flows";

const receivedAt = new Date("2026-11-26T10:00:00.000Z");

describe("published flow documents", () => {
  it("reads a snapshot stored before formats were numbered, and the engine runs on it", () => {
    const flow = readFlowSnapshot(publishedBeforeFormats);
    expect(flow).toMatchObject({ campaignId: 13010, version: 3, channel: "sms" });
    expect(flow).not.toHaveProperty("format");
    const start = startConversation(flow, campaign, { phoneNumber: "+525500000000", text: "JOIN", receivedAt });
    expect(start.replies[0]?.text).toContain("Welcome to EliPackage");
    const picked = continueConversation(flow, campaign, start.state, {
      phoneNumber: "+525500000000",
      text: "1",
      receivedAt,
    });
    expect(picked.events.map((e) => e.kind)).toEqual(["webhook"]);
    expect(picked.state.nodeId).toBe("n-track");
  });

  it("stores the current format and reads back what it stored", () => {
    const stored = toStoredSnapshot(nameQuestion);
    expect(stored.format).toBe(FLOW_FORMAT);
    expect(readFlowSnapshot(JSON.parse(JSON.stringify(stored)))).toEqual(nameQuestion);
  });

  it("refuses a document from a newer Switchboard or of an unknown format, saying which", () => {
    expect(() => readFlowSnapshot({ ...nameQuestion, format: FLOW_FORMAT + 1 })).toThrow(/newer Switchboard/);
    expect(() => readFlowSnapshot({ ...nameQuestion, format: "one" })).toThrow(FlowFormatError);
    expect(() => readFlowSnapshot([])).toThrow(FlowFormatError);
  });
});
