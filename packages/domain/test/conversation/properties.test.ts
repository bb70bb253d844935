import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { continueConversation, startConversation } from "../../src/conversation/engine";
import type { FlowSnapshot, PublishedEntry } from "../../src/conversation/flow-snapshot";
import { redirectTypes } from "../../src/redirect-type";
import type { WebhookConfig } from "../../src/webhook";
import { campaign } from "./flows";

/** Arbitrary published flows: 1..6 nodes, entries of every Redirect Type pointing anywhere (even nowhere). */
const flowArb: fc.Arbitrary<FlowSnapshot> = fc.integer({ min: 1, max: 6 }).chain((count) => {
  const ids = Array.from({ length: count }, (_, i) => `n${i}`);
  const entryArb = fc.record({
    keyword: fc.string({ minLength: 1, maxLength: 3 }),
    menuText: fc.option(fc.string({ maxLength: 20 })),
    redirectType: fc.constantFrom(...redirectTypes),
    redirectTo: fc.option(fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 5 }))),
    attribute: fc.option(fc.constantFrom("name", "email")),
    webhookEnabled: fc.boolean(),
    webhook: fc.option(fc.constant<WebhookConfig>({ url: "https://h.example/x", body: { extra: 1 }, headers: [] })),
  });
  return fc
    .tuple(
      fc.constantFrom("sms" as const, "whatsapp" as const),
      fc.array(fc.array(entryArb, { maxLength: 5 }), { minLength: count, maxLength: count }),
    )
    .map(([channel, entrySets]) => ({
      campaignId: 1,
      version: 1,
      channel,
      nodes: ids.map((id, i) => ({
        id,
        kind: i === 0 ? ("welcome" as const) : ("interaction" as const),
        label: `Node ${i}`,
        message: `Message {{name}} ${i}`,
        confirmationText: i % 2 ? "Thanks" : null,
        entries: (entrySets[i] ?? []).map((e, j): PublishedEntry => ({ ...e, id: `${id}-e${j}` })),
      })),
    }));
});

const inputArb = fc.record({
  text: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("1", "2", "a", "", "  ", "ÓNE", "{{name}}")),
  replyId: fc.option(fc.constantFrom("n0-e0", "n1-e1", "zzz")),
});

describe("the conversation engine, for any flow and any input", () => {
  it("never throws, never loses the session, and only points at nodes that exist", () => {
    fc.assert(
      fc.property(flowArb, fc.array(inputArb, { minLength: 1, maxLength: 8 }), (flow, inputs) => {
        let time = Date.UTC(2026, 0, 1);
        const at = () => {
          time += 1000;
          return new Date(time);
        };
        let turn = startConversation(flow, campaign, { phoneNumber: "+525500000000", text: "go", receivedAt: at() });
        for (const input of inputs) {
          turn = continueConversation(
            flow,
            campaign,
            turn.state,
            { phoneNumber: "+525500000000", ...input, receivedAt: at() },
            turn.attributes,
          );
          expect(turn.state.campaignId).toBe(1);
          expect(turn.state.version).toBe(1);
          expect(flow.nodes.some((n) => n.id === turn.state.nodeId)).toBe(true);
          expect(turn.state.lastActivityAt.getTime()).toBe(time);
          for (const event of turn.events) {
            if (event.kind === "webhook")
              expect(() => JSON.parse(JSON.stringify(Object.fromEntries(event.payload)))).not.toThrow();
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("answers every input in an active menu with at least one reply or a hand-off", () => {
    fc.assert(
      fc.property(flowArb, inputArb, (flow, input) => {
        const start = startConversation(flow, campaign, { phoneNumber: "+1", text: "go", receivedAt: new Date() });
        if (start.state.status !== "active" || start.state.awaitingEntryId) return;
        const turn = continueConversation(flow, campaign, start.state, {
          phoneNumber: "+1",
          ...input,
          receivedAt: new Date(),
        });
        const handedOff = turn.events.some((e) => e.kind === "handoff");
        const endedByDesign = turn.state.status === "ended";
        expect(turn.replies.length > 0 || handedOff || endedByDesign).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
