import { describe, expect, it } from "vitest";
import { continueConversation, LIVE_CHAT_WAIT, PLEASE_CHOOSE, startConversation } from "../../src/conversation/engine";
import { serializePayload } from "../../src/payload";
import { optionExample, responseExample, stripJsonWhitespace } from "../spec-examples";
import { campaign, nameQuestion, streaming } from "./flows";

const phoneNumber = "+525500000000";
const at = (iso: string) => new Date(iso);

describe("the name question (Redirect Type Webhook)", () => {
  it("asks, waits for the answer, then fires the document's response payload and confirms", () => {
    const start = startConversation(nameQuestion, campaign, {
      phoneNumber,
      text: "JOIN",
      receivedAt: at("2024-06-18T23:22:00.000Z"),
    });
    expect(start.replies).toEqual([
      { text: "Welcome to EliPackage, can you enter your name, please?", options: [], style: "text" },
    ]);
    expect(start.state).toMatchObject({ nodeId: "welcome", awaitingEntryId: "ask-name", status: "active" });
    expect(start.events).toEqual([]);
    expect(start.acted).toBeUndefined();

    const answer = continueConversation(nameQuestion, campaign, start.state, {
      phoneNumber,
      text: " John Doe ",
      receivedAt: at("2024-06-18T23:22:36.560Z"),
    });
    expect(answer.events).toHaveLength(1);
    expect(answer.acted).toEqual({ kind: "answered", nodeId: "welcome", entryId: "ask-name" });
    const event = answer.events[0];
    if (event?.kind !== "webhook") throw new Error("expected a webhook event");
    expect(event.mode).toBe("response");
    expect(event.webhook.url).toBe("https://hooks.example.com/elipackage");
    expect(serializePayload(event.payload)).toBe(stripJsonWhitespace(responseExample));
    expect(answer.replies.map((r) => r.text)).toEqual(["Thank you! We got your name."]);
    expect(answer.state).toMatchObject({
      status: "ended",
      awaitingEntryId: null,
      lastActivityAt: at("2024-06-18T23:22:36.560Z"),
    });
  });
});

describe("the streaming-membership menu (webhook toggle)", () => {
  const start = startConversation(streaming, campaign, {
    phoneNumber,
    text: "STREAM",
    receivedAt: at("2024-06-18T23:26:00.000Z"),
  });

  it("sends the Welcome Message with its menu as text lines on SMS", () => {
    expect(start.replies).toHaveLength(1);
    expect(start.replies[0]?.text).toBe(
      "Welcome to EliPackage, enter the best option for streaming membership:\n1. One month\n2. Six months\n3. One year\n4. Talk to us\n5. Win a prize",
    );
    expect(start.replies[0]?.options.map((o) => o.id)).toEqual(["e1", "e2", "e3", "e4", "e5"]);
  });

  it("fires the document's option payload as soon as the toggled entry is chosen, then redirects", () => {
    const turn = continueConversation(streaming, campaign, start.state, {
      phoneNumber,
      text: "1",
      receivedAt: at("2024-06-18T23:26:14.206Z"),
    });
    const event = turn.events[0];
    if (event?.kind !== "webhook") throw new Error("expected a webhook event");
    expect(event.mode).toBe("option");
    expect(serializePayload(event.payload)).toBe(stripJsonWhitespace(optionExample));
    expect(turn.replies.map((r) => r.text)).toEqual(["Great choice. What is your email?"]);
    expect(turn.state).toMatchObject({ nodeId: "month", awaitingEntryId: "email" });
  });

  it.each([
    ["its keyword", { text: " 2 " }],
    ["its Menu Text in any case, with or without accents", { text: "SÍX   MONTHS" }],
    ["a WhatsApp reply id", { text: "whatever the button said", replyId: "e2" }],
  ])("chooses an entry by %s", (_, input) => {
    const turn = continueConversation(streaming, campaign, start.state, {
      phoneNumber,
      receivedAt: at("2024-06-18T23:27:00Z"),
      ...input,
    });
    expect(turn.state.nodeId).toBe("six");
    expect(turn.events).toEqual([]);
    expect(turn.acted).toEqual({ kind: "chosen", nodeId: "welcome", entryId: "e2" });
  });

  it("answers anything else with a short 'please choose' and the menu again, keeping the session", () => {
    const turn = continueConversation(streaming, campaign, start.state, {
      phoneNumber,
      text: "maybe",
      receivedAt: at("2024-06-18T23:27:00Z"),
    });
    expect(turn.replies[0]?.text.split("\n")[0]).toBe(PLEASE_CHOOSE);
    expect(turn.replies[0]?.options).toHaveLength(5);
    expect(turn.acted).toBeUndefined();
    expect(turn.state).toMatchObject({
      nodeId: "welcome",
      status: "active",
      lastActivityAt: at("2024-06-18T23:27:00Z"),
    });
  });

  it("saves an Attribute answer on the contact and fills it into later messages", () => {
    const month = continueConversation(streaming, campaign, start.state, {
      phoneNumber,
      text: "1",
      receivedAt: at("2024-06-18T23:27:00Z"),
    });
    const turn = continueConversation(
      streaming,
      campaign,
      month.state,
      { phoneNumber, text: "john@example.com", receivedAt: at("2024-06-18T23:28:00Z") },
      month.attributes,
    );
    expect(turn.events).toEqual([{ kind: "attribute", name: "email", value: "john@example.com" }]);
    expect(turn.attributes).toEqual({ email: "john@example.com" });
    expect(turn.replies.map((r) => r.text)).toEqual(["We will write to john@example.com."]);
    expect(turn.state).toMatchObject({ nodeId: "done", status: "ended" });
  });

  it("hands the conversation to another campaign", () => {
    const turn = continueConversation(streaming, campaign, start.state, {
      phoneNumber,
      text: "5",
      receivedAt: at("2024-06-18T23:27:00Z"),
    });
    expect(turn.events).toEqual([{ kind: "handoff", to: { type: "campaign", campaignId: 13011, continueAt: null } }]);
    expect(turn.state.status).toBe("handed_off");
    expect(turn.replies).toEqual([]);
  });

  it("hands the conversation to a person for Live Chat", () => {
    const turn = continueConversation(streaming, campaign, start.state, {
      phoneNumber,
      text: "talk to us",
      receivedAt: at("2024-06-18T23:27:00Z"),
    });
    expect(turn.events).toEqual([
      {
        kind: "handoff",
        to: { type: "live_chat", entryId: "e4", settings: expect.objectContaining({ teamId: null }) },
      },
    ]);
    expect(turn.replies.map((r) => r.text)).toEqual([LIVE_CHAT_WAIT]);
    expect(turn.state.status).toBe("live_chat");
  });

  it("hands over with the entry's own message and team when it has Live Chat settings", () => {
    const settings = {
      handoverMessage: "Ana from support will answer.",
      teamId: "00000000-0000-4000-8000-00000000000a",
      timeoutMinutes: 5,
      openingHours: null,
      onTimeout: { action: "end" as const, message: "Nobody is here." },
    };
    const withSettings = {
      ...streaming,
      nodes: streaming.nodes.map((n) => ({
        ...n,
        entries: n.entries.map((e) => (e.redirectType === "live_chat" ? { ...e, liveChat: settings } : e)),
      })),
    };
    const turn = continueConversation(withSettings, campaign, start.state, {
      phoneNumber,
      text: "talk to us",
      receivedAt: at("2024-06-18T23:27:00Z"),
    });
    expect(turn.events).toEqual([{ kind: "handoff", to: { type: "live_chat", entryId: "e4", settings } }]);
    expect(turn.replies.map((r) => r.text)).toEqual(["Ana from support will answer."]);
  });

  it("ends after a node with no entries", () => {
    const turn = continueConversation(streaming, campaign, start.state, {
      phoneNumber,
      text: "3",
      receivedAt: at("2024-06-18T23:27:00Z"),
    });
    expect(turn.replies.map((r) => r.text)).toEqual(["A whole year!"]);
    expect(turn.state.status).toBe("ended");
  });
});

describe("WhatsApp menus", () => {
  const whatsapp = { ...streaming, channel: "whatsapp" as const };
  it("sends options for a list rather than as text lines", () => {
    const start = startConversation(whatsapp, campaign, { phoneNumber, text: "hi", receivedAt: new Date() });
    expect(start.replies[0]).toMatchObject({
      text: "Welcome to EliPackage, enter the best option for streaming membership:",
      style: "list",
    });
  });
  it("sends up to three short options as buttons", () => {
    const three = {
      ...whatsapp,
      nodes: [
        { ...whatsapp.nodes[0], entries: whatsapp.nodes[0]?.entries.slice(0, 3) ?? [] },
        ...whatsapp.nodes.slice(1),
      ],
    } as typeof whatsapp;
    expect(
      startConversation(three, campaign, { phoneNumber, text: "hi", receivedAt: new Date() }).replies[0]?.style,
    ).toBe("buttons");
  });
});

describe("a campaign that is over", () => {
  it("answers with its closing text when it has ended", () => {
    const turn = startConversation(
      streaming,
      { ...campaign, status: "ended" },
      { phoneNumber, text: "STREAM", receivedAt: new Date() },
    );
    expect(turn.replies.map((r) => r.text)).toEqual(["This campaign has ended. Thank you!"]);
    expect(turn.state.status).toBe("ended");
  });
  it("answers with its closing text once past its expiry, even mid-conversation", () => {
    const start = startConversation(
      streaming,
      { ...campaign, endsAt: at("2030-01-01T00:00:00Z") },
      { phoneNumber, text: "x", receivedAt: at("2029-12-31T23:59:00Z") },
    );
    const turn = continueConversation(streaming, { ...campaign, endsAt: at("2030-01-01T00:00:00Z") }, start.state, {
      phoneNumber,
      text: "1",
      receivedAt: at("2030-01-01T00:00:00Z"),
    });
    expect(turn.replies.map((r) => r.text)).toEqual(["This campaign has ended. Thank you!"]);
    expect(turn.events).toEqual([]);
  });
  it("says nothing when it has no closing text", () => {
    expect(
      startConversation(
        streaming,
        { ...campaign, status: "ended", closingText: null },
        { phoneNumber, text: "x", receivedAt: new Date() },
      ).replies,
    ).toEqual([]);
  });
});
