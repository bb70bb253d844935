import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiTokenInput, auditQuery, userInput, userPatch } from "../src/auth";
import { campaignInput, campaignListQuery, campaignPatch } from "../src/campaigns";
import { userText } from "../src/common";
import { deliveryListQuery } from "../src/deliveries";
import { menuEntryInput, menuEntryPatch, nodeInput, nodePatch, webhookInput } from "../src/flow";
import { integrationInput, integrationPatch } from "../src/integrations";
import { inboundMessage, simulatorMessage } from "../src/messages";
import { secretHeaderInput, secretHeaderPatch } from "../src/secret-headers";
import { senderInput, senderPatch } from "../src/senders";

const senderId = "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d";
const flaws = [
  ["a NUL character", "a\u0000b", "Must not contain a NUL character (U+0000)."],
  [
    "an unpaired surrogate",
    "a\ud800b",
    "Must not contain an unpaired surrogate (half of an emoji or other character, such as \\ud800 alone).",
  ],
] as const;

/** [the schema's name, the path of a text field, the schema, a valid input, how to put text at the path]. */
const fields: [string, string, z.ZodType, Record<string, unknown>, (t: string) => Record<string, unknown>][] = [
  ["senderInput", "name", senderInput, { channel: "sms", address: "+525500000000" }, (t) => ({ name: t })],
  ["senderPatch", "name", senderPatch, {}, (t) => ({ name: t })],
  ["campaignInput", "name", campaignInput, { type: "chatbot", channel: "sms", senderId }, (t) => ({ name: t })],
  ["campaignPatch", "triggerKeywords.0", campaignPatch, {}, (t) => ({ triggerKeywords: [t] })],
  ["campaignPatch", "closingText", campaignPatch, {}, (t) => ({ closingText: t })],
  ["campaignListQuery", "q", campaignListQuery, {}, (t) => ({ q: t })],
  ["nodeInput", "label", nodeInput, {}, (t) => ({ label: t })],
  ["nodeInput", "message", nodeInput, {}, (t) => ({ message: t })],
  ["nodePatch", "confirmationText", nodePatch, {}, (t) => ({ confirmationText: t })],
  ["menuEntryInput", "keyword", menuEntryInput, {}, (t) => ({ keyword: t })],
  ["menuEntryPatch", "menuText", menuEntryPatch, {}, (t) => ({ menuText: t })],
  ["menuEntryPatch", "redirectTo", menuEntryPatch, {}, (t) => ({ redirectTo: t })],
  ["menuEntryPatch", "attribute", menuEntryPatch, {}, (t) => ({ attribute: t })],
  ["webhookInput", "url", webhookInput, {}, (t) => ({ url: t })],
  ["webhookInput", "headers.0.name", webhookInput, { url: "u" }, (t) => ({ headers: [{ name: t, value: "v" }] })],
  ["webhookInput", "headers.0.value", webhookInput, { url: "u" }, (t) => ({ headers: [{ name: "X", value: t }] })],
  ["webhookInput", "body.a.0", webhookInput, { url: "u" }, (t) => ({ body: { a: [t] } })],
  ["webhookInput", "body.a", webhookInput, { url: "u" }, (t) => ({ body: { a: { [t]: 1 } } })],
  [
    "inboundMessage",
    "text",
    inboundMessage,
    { channel: "sms", from: "+525500000001", to: "+5255" },
    (t) => ({ text: t }),
  ],
  ["inboundMessage", "to", inboundMessage, { channel: "sms", from: "+525500000001", text: "hi" }, (t) => ({ to: t })],
  [
    "inboundMessage",
    "messageId",
    inboundMessage,
    { channel: "sms", from: "+525500000001", to: "+5255", text: "hi" },
    (t) => ({ messageId: t }),
  ],
  [
    "inboundMessage",
    "replyId",
    inboundMessage,
    { channel: "sms", from: "+525500000001", to: "+5255", text: "hi" },
    (t) => ({ replyId: t }),
  ],
  ["simulatorMessage", "text", simulatorMessage, {}, (t) => ({ text: t })],
  ["userInput", "name", userInput, { email: "ana@example.com", role: "viewer" }, (t) => ({ name: t })],
  ["userPatch", "name", userPatch, {}, (t) => ({ name: t })],
  ["apiTokenInput", "name", apiTokenInput, { scopes: ["read"] }, (t) => ({ name: t })],
  ["auditQuery", "actor", auditQuery, {}, (t) => ({ actor: t })],
  ["deliveryListQuery", "entryId", deliveryListQuery, {}, (t) => ({ entryId: t })],
  [
    "secretHeaderInput",
    "label",
    secretHeaderInput,
    { name: "X-Key", value: "v", allowedHosts: ["example.com"] },
    (t) => ({ label: t }),
  ],
  ["secretHeaderPatch", "value", secretHeaderPatch, {}, (t) => ({ value: t })],
  ["integrationInput", "alias", integrationInput, { url: "https://example.com" }, (t) => ({ alias: t })],
  ["integrationPatch", "headers.0.value", integrationPatch, {}, (t) => ({ headers: [{ name: "X", value: t }] })],
];

describe("user text", () => {
  it("keeps what a person may type, and the field's own rules after it", () => {
    const name = userText().trim().min(1, "Name is required.").max(5);
    expect(name.parse("  café ")).toBe("café");
    expect(name.parse("🎉☃")).toBe("🎉☃");
    expect(name.safeParse("   ").error?.issues[0]?.message).toBe("Name is required.");
  });

  it.each(flaws)("refuses %s with one issue naming it", (_what, text, message) => {
    expect(userText().safeParse(text).error?.issues).toEqual([
      expect.objectContaining({
        code: "custom",
        params: { code: expect.stringMatching(/^(nul_character|unpaired_surrogate)$/) },
        path: [],
        message,
      }),
    ]);
  });

  describe.each(flaws)("in every field a person or a channel fills: %s", (_what, text, message) => {
    it.each(fields)("%s refuses it at %s", (_name, path, schema, valid, put) => {
      expect(schema.safeParse({ ...valid, ...put("ok") }).success).toBe(true);
      const issues = schema.safeParse({ ...valid, ...put(text) }).error?.issues ?? [];
      expect(issues.map((i) => [i.path.join("."), i.message])).toContainEqual([
        path,
        path === "body.a" ? message.replace("Must", "Keys must") : message,
      ]);
    });
  });
});

describe("a webhook's Body", () => {
  const nested = (levels: number) => {
    let value: unknown = {};
    for (let i = 1; i < levels; i++) value = { a: value };
    return value;
  };

  it("nests at most 32 levels deep, the Body being level 1", () => {
    expect(webhookInput.safeParse({ url: "u", body: nested(32) }).success).toBe(true);
    const issues = webhookInput.safeParse({ url: "u", body: nested(33) }).error?.issues;
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["body", ...Array.from({ length: 32 }, () => "a")],
        message: "Body may nest objects and arrays at most 32 levels deep (the Body itself is level 1).",
      }),
    ]);
  });

  it("is checked without recursion, however deep it is", () => {
    let deep: unknown = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(webhookInput.safeParse({ url: "u", body: { a: deep } }).error?.issues).toHaveLength(1);
  });

  it("documents its limits in the OpenAPI schema", () => {
    const schema = z.toJSONSchema(webhookInput, { io: "input", unrepresentable: "any" }) as unknown as {
      $defs: { WebhookInput: { properties: { body: { description: string } } } };
    };
    const { description } = schema.$defs.WebhookInput.properties.body;
    expect(description).toContain("at most 32 levels deep");
    expect(description).toContain("NUL character");
  });
});
