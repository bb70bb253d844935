import type { MenuEntry } from "@switchboard/contracts/flow";
import { describe, expect, it } from "vitest";
import { checkEntryForm, entryFormSchema, toForm, toPatch } from "../src/features/editor/model/entry-form";
import { parseJsonText } from "../src/features/editor/model/json-text";
import { previewPayload } from "../src/features/editor/model/sample-payload";

const W = "11111111-1111-4111-8111-111111111111";
const A = "22222222-2222-4222-8222-222222222222";
const ctx = {
  nodeId: W,
  targets: { nodes: [{ value: A, label: "Interaction 1" }], campaigns: [], integrations: [] },
  allowHttp: false,
};

const stored: MenuEntry = {
  id: "44444444-4444-4444-8444-444444444444",
  nodeId: W,
  position: 0,
  keyword: "1",
  menuText: "One month",
  redirectType: "interaction",
  redirectTo: A,
  attribute: null,
  webhookEnabled: true,
  hasWebhook: true,
  webhook: {
    url: "https://example.com/hook",
    body: { source: "chatbot" },
    headers: [{ id: "55555555-5555-4555-8555-555555555555", name: "X-Api-Key", value: "••••1234", secret: true }],
    disabledAt: null,
    disabledReason: null,
  },
};

describe("the entry panel's form", () => {
  it("sends a stored secret by id without a value, so the server keeps it", () => {
    const patch = toPatch(toForm(stored));
    expect(patch.webhook?.headers).toEqual([
      { id: "55555555-5555-4555-8555-555555555555", name: "X-Api-Key", secret: true },
    ]);
    expect(patch.webhook?.body).toEqual({ source: "chatbot" });
  });

  it("sends an admin-made secret header by its id, never with a value", () => {
    const S = "77777777-7777-4777-8777-777777777777";
    const withRef: MenuEntry = {
      ...stored,
      webhook: {
        ...(stored.webhook as NonNullable<MenuEntry["webhook"]>),
        headers: [
          {
            id: "55555555-5555-4555-8555-555555555555",
            name: "X-Crm-Key",
            value: "••••wxyz",
            secret: true,
            secretHeaderId: S,
          },
        ],
      },
    };
    const form = toForm(withRef);
    expect(form.headers[0]).toMatchObject({ secretHeaderId: S, masked: "••••wxyz", value: "" });
    expect(toPatch(form).webhook?.headers).toEqual([
      { id: "55555555-5555-4555-8555-555555555555", name: "X-Crm-Key", secret: true, secretHeaderId: S },
    ]);
  });

  it("clears Menu Text, Redirect To and the toggle for Redirect Type Webhook", () => {
    const patch = toPatch({ ...toForm(stored), redirectType: "webhook" });
    expect(patch).toMatchObject({ redirectType: "webhook", menuText: null, redirectTo: null, webhookEnabled: false });
  });

  it("reports a Body syntax error at its line and column", () => {
    const issues = checkEntryForm({ ...toForm(stored), bodyText: '{\n  "a": 1,\n  "b": }' }, ctx);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(["bodyText"]);
    expect(issues[0]?.message).toBe('Body is not valid JSON. Line 3, column 8: unexpected "}".');
  });

  it("refuses standard payload fields in the Body, and http:// when the installation does not allow it", () => {
    const issues = checkEntryForm(
      { ...toForm(stored), url: "http://example.com", bodyText: '{"phoneNumber": "x"}' },
      ctx,
    );
    expect(issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["url", "insecure_scheme"],
      ["bodyText", "reserved_field"],
    ]);
  });

  it("requires a URL once the toggle is on", () => {
    const issues = checkEntryForm({ ...toForm({ ...stored, webhook: null }), webhookEnabled: true }, ctx);
    expect(issues.map((i) => i.path.join("."))).toContain("url");
  });

  it("shows the Body's depth limit and a header value HTTP cannot carry beside their fields", () => {
    const issues = checkEntryForm(
      {
        ...toForm(stored),
        bodyText: `{"a": ${"[".repeat(40)}${"]".repeat(40)}}`,
        headers: [{ name: "X-Team", value: "snow☃man", secret: false, storedSecret: false }],
      },
      ctx,
    );
    expect(issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["bodyText", "too_deep"],
      ["headers.0.value", "not_latin1"],
    ]);
    expect(issues[0]?.message).toBe(
      "Body may nest objects and arrays at most 32 levels deep (the Body itself is level 1).",
    );
  });

  it("refuses text the server cannot store where it is typed", () => {
    const result = entryFormSchema(ctx).safeParse({ ...toForm(stored), menuText: "One\u0000month" });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["menuText", "Must not contain a NUL character (U+0000)."],
    ]);
  });
});

describe("JSON text", () => {
  it("accepts an empty Body as no extra parameters", () => {
    expect(parseJsonText("  ")).toEqual({ ok: true, value: {} });
  });

  it.each([
    ['{"a": 1,}', 1, 9, "a comma before } is not allowed"],
    ["{'a': 1}", 1, 2, "a property name in double quotes was expected"],
    ['{"a": 1', 1, 8, '"," or "}" was expected'],
    ['{"a": tru}', 1, 10, 'unexpected "}"'],
    ['{"a": 1}\n x', 2, 2, "nothing may follow the JSON value"],
    ['{"a": "line\nbreak"}', 1, 12, "line breaks and control characters must be escaped inside a string"],
  ])("places the error in %j at line %i, column %i", (text, line, column, reason) => {
    expect(parseJsonText(text)).toEqual({
      ok: false,
      line,
      column,
      message: `Line ${line}, column ${column}: ${reason}.`,
    });
  });
});

describe("the payload preview", () => {
  it("shows the option fields in the specification's order, Body extras after them", () => {
    const text = previewPayload(
      { mode: "option", campaignId: 10001, label: "Welcome Message", option: "One month", keyword: "1" },
      { source: "chatbot" },
      new Date("2024-06-18T23:22:36.560Z"),
    );
    expect(JSON.parse(text)).toEqual({
      campaignId: "10001",
      label: "Welcome Message",
      option: "One month",
      keyword: 1,
      phoneNumber: "+525500000000",
      date: "2024-06-18T23:22:36.560Z",
      source: "chatbot",
    });
    expect(text.indexOf('"option"')).toBeLessThan(text.indexOf('"phoneNumber"'));
  });

  it("shows response for a question", () => {
    const text = previewPayload(
      { mode: "response", campaignId: 10001, label: "Interaction 1", option: "", keyword: "1" },
      {},
      new Date("2024-06-18T23:22:36.560Z"),
    );
    expect(Object.keys(JSON.parse(text))).toEqual(["campaignId", "label", "phoneNumber", "date", "response"]);
  });
});

describe("When finished, continue at", () => {
  it("is sent with Redirect Type Campaign and dropped with any other", () => {
    const handoff = { ...stored, redirectType: "campaign" as const, redirectTo: "10002", continueAt: A };
    const form = toForm(handoff);
    expect(form.continueAt).toBe(A);
    expect(toPatch(form).continueAt).toBe(A);
    expect(toPatch({ ...form, continueAt: "" }).continueAt).toBeNull();
    expect(toPatch({ ...form, redirectType: "interaction", redirectTo: A }).continueAt).toBeNull();
  });
});
