import { describe, expect, it } from "vitest";
import { countSms } from "../src/channel-limits";
import {
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  optOutCommand,
} from "../src/messaging/opt-out";
import { providerAddress, toE164 } from "../src/messaging/provider";
import { numberedText, twilioFields, whatsappCloudBody, whatsappShape } from "../src/messaging/render";
import { fromTwilioStatus, statusAdvances } from "../src/messaging/status";
import { insideServiceWindow, outsideWindowReason } from "../src/messaging/window";

const options = (titles: string[]) => titles.map((title, i) => ({ id: `e${i}`, keyword: String(i + 1), title }));
const defaults = { optOut: DEFAULT_OPT_OUT_KEYWORDS, optIn: DEFAULT_OPT_IN_KEYWORDS, help: DEFAULT_HELP_KEYWORDS };

describe("provider addresses", () => {
  it("turns whatsapp:+…, digits-only and E.164 numbers into E.164, and refuses anything else", () => {
    expect(toE164("whatsapp:+5215512345678")).toBe("+5215512345678");
    expect(toE164("5215512345678")).toBe("+5215512345678");
    expect(toE164(" +15005550006 ")).toBe("+15005550006");
    expect(toE164("whatsapp:abc")).toBeNull();
    expect(toE164("+0123")).toBeNull();
    expect(providerAddress("twilio_whatsapp", "+52155")).toBe("whatsapp:+52155");
    expect(providerAddress("whatsapp_cloud", "+52155")).toBe("52155");
    expect(providerAddress("twilio_sms", "+52155")).toBe("+52155");
  });
});

describe("WhatsApp message shapes, within Meta's limits", () => {
  it("uses reply buttons for ≤ 3 titles of ≤ 20 characters, a list for ≤ 10 of ≤ 24, numbered text otherwise", () => {
    expect(whatsappShape({ options: [] })).toBe("text");
    expect(whatsappShape({ options: options(["Yes", "No", "Maybe"]) })).toBe("buttons");
    expect(whatsappShape({ options: options(["a", "b", "c", "d"]) })).toBe("list");
    expect(whatsappShape({ options: options(["Exactly twenty chars", "x"]) })).toBe("buttons");
    expect(whatsappShape({ options: options(["Twenty-one characters", "x"]) })).toBe("list");
    expect(whatsappShape({ options: options(["Twenty-five characters...", "x"]) })).toBe("text");
    expect(whatsappShape({ options: options(Array.from({ length: 11 }, (_, i) => `o${i}`)) })).toBe("text");
  });

  it("writes Meta's documented bodies, our id as biz_opaque_callback_data", () => {
    const buttons = whatsappCloudBody(
      { text: "Pick", options: options(["Yes", "No"]), style: "buttons" },
      "52155",
      "id1",
    );
    expect(buttons).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "52155",
      biz_opaque_callback_data: "id1",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Pick" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "e0", title: "Yes" } },
            { type: "reply", reply: { id: "e1", title: "No" } },
          ],
        },
      },
    });
    const list = whatsappCloudBody({ text: "Pick", options: options(["a", "b", "c", "d"]), style: "list" }, "1", "x");
    expect(list).toMatchObject({ type: "interactive", interactive: { type: "list" } });
    const many = options(Array.from({ length: 11 }, (_, i) => `o${i}`));
    const text = whatsappCloudBody({ text: "Pick", options: many, style: "list" }, "1", "x");
    expect(text.type).toBe("text");
    expect((text as { text: { body: string } }).text.body.split("\n")).toHaveLength(12);
  });

  it("keeps SMS replies as the engine wrote them (menu lines included) and numbers WhatsApp options", () => {
    expect(numberedText({ text: "Pick\n1. Yes", options: options(["Yes"]), style: "text" })).toBe("Pick\n1. Yes");
    expect(numberedText({ text: "Pick", options: options(["Yes", "No"]), style: "list" })).toBe("Pick\n1. Yes\n2. No");
    expect(twilioFields("Hi", "+1", "+2", "https://x/status")).toEqual({
      To: "+2",
      From: "+1",
      Body: "Hi",
      StatusCallback: "https://x/status",
    });
  });

  it("counts SMS segments as GSM-7 or UCS-2", () => {
    expect(countSms("a".repeat(160))).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(countSms("a".repeat(161))).toMatchObject({ encoding: "GSM-7", segments: 2 });
    expect(countSms("ñ".repeat(70))).toMatchObject({ encoding: "GSM-7" });
    expect(countSms("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSms("日".repeat(71))).toMatchObject({ encoding: "UCS-2", segments: 2 });
  });
});

describe("opt-out keywords", () => {
  it("matches whole messages in any case, ignoring surrounding punctuation", () => {
    expect(optOutCommand("stop", defaults)).toBe("opt_out");
    expect(optOutCommand(" Unsubscribe. ", defaults)).toBe("opt_out");
    expect(optOutCommand("STOPALL", defaults)).toBe("opt_out");
    expect(optOutCommand("start", defaults)).toBe("opt_in");
    expect(optOutCommand("UNSTOP", defaults)).toBe("opt_in");
    expect(optOutCommand("help!", defaults)).toBe("help");
    expect(optOutCommand("please stop", defaults)).toBeNull();
    expect(optOutCommand("", defaults)).toBeNull();
    expect(optOutCommand("basta", { ...defaults, optOut: ["BASTA"] })).toBe("opt_out");
  });
});

describe("provider statuses", () => {
  it("maps Twilio's statuses and never moves a status back", () => {
    expect(fromTwilioStatus("undelivered")).toBe("failed");
    expect(fromTwilioStatus("queued")).toBe("sent");
    expect(fromTwilioStatus("receiving")).toBeNull();
    expect(statusAdvances(null, "sent")).toBe(true);
    expect(statusAdvances("read", "delivered")).toBe(false);
    expect(statusAdvances("delivered", "read")).toBe(true);
    expect(statusAdvances("failed", "read")).toBe(false);
  });

  it("knows WhatsApp's 24-hour window", () => {
    const at = new Date("2026-01-02T00:00:00Z");
    expect(insideServiceWindow(new Date("2026-01-01T00:00:01Z"), at)).toBe(true);
    expect(insideServiceWindow(new Date("2026-01-01T00:00:00Z"), at)).toBe(false);
    expect(insideServiceWindow(null, at)).toBe(false);
    expect(outsideWindowReason(new Date("2026-01-01T00:00:00Z"))).toBe(
      "Outside WhatsApp's 24-hour window: the user last wrote at 2026-01-01T00:00:00.000Z; templates are not supported yet.",
    );
    expect(outsideWindowReason(null)).toContain("never wrote");
  });
});
