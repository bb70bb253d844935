import { describe, expect, it } from "vitest";
import { buildPayload, formatPayload, keywordValue, serializePayload } from "../src/payload";
import {
  optionExample,
  optionExampleInline,
  responseExample,
  responseExampleInline,
  stripJsonWhitespace,
} from "./spec-examples";

const responseEvent = {
  kind: "response",
  campaignId: 13010,
  label: "Welcome Message",
  phoneNumber: "+525500000000",
  receivedAt: new Date(Date.UTC(2024, 5, 18, 23, 22, 36, 560)),
  response: "John Doe",
} as const;

const optionEvent = {
  kind: "option",
  campaignId: 13010,
  label: "Welcome Message",
  option: "One month",
  keyword: "1",
  phoneNumber: "+525500000000",
  receivedAt: new Date(Date.UTC(2024, 5, 18, 23, 26, 14, 206)),
} as const;

describe("the payload builder", () => {
  it("sends the Webhook redirect type's payload byte for byte as the document shows it", () => {
    const wire = serializePayload(buildPayload(responseEvent));
    expect(wire).toBe(stripJsonWhitespace(responseExample));
    expect(wire).toBe(stripJsonWhitespace(responseExampleInline));
  });

  it("sends the toggle's payload byte for byte as the document shows it", () => {
    const wire = serializePayload(buildPayload(optionEvent));
    expect(wire).toBe(stripJsonWhitespace(optionExample));
    expect(wire).toBe(stripJsonWhitespace(optionExampleInline));
  });

  it("sends campaignId as a string and a numeric keyword as a JSON number", () => {
    const parsed = JSON.parse(serializePayload(buildPayload(optionEvent)));
    expect(parsed.campaignId).toBe("13010");
    expect(parsed.keyword).toBe(1);
  });

  it("keeps keywords that are not plain numbers as text", () => {
    expect(keywordValue("A")).toBe("A");
    expect(keywordValue("01")).toBe("01");
    expect(keywordValue("0")).toBe(0);
    expect(keywordValue("10")).toBe(10);
    expect(keywordValue("1a")).toBe("1a");
    expect(keywordValue("١")).toBe("١");
  });

  it("writes the date in UTC with milliseconds and Z, whatever the date's zone", () => {
    const receivedAt = new Date("2024-06-18T17:22:36.5-06:00");
    const parsed = JSON.parse(serializePayload(buildPayload({ ...responseEvent, receivedAt })));
    expect(parsed.date).toBe("2024-06-18T23:22:36.500Z");
  });

  it("adds the Body's extra parameters after the standard fields, in order", () => {
    const wire = serializePayload(buildPayload(optionEvent, { source: "chatbot", tier: { gold: true }, "7": 7 }));
    expect(wire).toBe(
      `${stripJsonWhitespace(optionExample).slice(0, -1)},"7":7,"source":"chatbot","tier":{"gold":true}}`,
    );
  });

  it("never lets extra parameters replace a standard field", () => {
    const parsed = JSON.parse(
      serializePayload(buildPayload(responseEvent, { label: "forged", option: "x", keyword: 9, extra: 1 })),
    );
    expect(parsed).toEqual({
      campaignId: "13010",
      label: "Welcome Message",
      phoneNumber: "+525500000000",
      date: "2024-06-18T23:22:36.560Z",
      response: "John Doe",
      extra: 1,
    });
  });

  it("escapes whatever the end user typed so the payload stays valid JSON", () => {
    const response = 'He said "hi"\n\u2028<script>';
    const parsed = JSON.parse(serializePayload(buildPayload({ ...responseEvent, response })));
    expect(parsed.response).toBe(response);
  });

  it("formats the same fields, in the same order, for people to read", () => {
    const text = formatPayload(buildPayload(optionEvent, { tags: ["a"] }));
    expect(text.split("\n")[1]).toBe('  "campaignId": "13010",');
    expect(JSON.parse(text)).toEqual({ ...JSON.parse(optionExample), tags: ["a"] });
  });
});

describe("UTF-8 length", () => {
  it("counts bytes as UTF-8 encodes them", async () => {
    const { utf8Length } = await import("../src/platform");
    expect(utf8Length("a")).toBe(1);
    expect(utf8Length("ñ")).toBe(2);
    expect(utf8Length("€")).toBe(3);
    expect(utf8Length("😀")).toBe(4);
  });
});
