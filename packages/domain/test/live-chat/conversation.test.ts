import { describe, expect, it } from "vitest";
import { actRefusal, replyRefusal, takeRefusal, timeoutDue, waitSeconds } from "../../src/live-chat/conversation";
import { isOpen } from "../../src/live-chat/opening-hours";

const now = new Date("2026-11-26T10:30:00Z"); // a Thursday

describe("opening hours", () => {
  const hours = { timeZone: "Europe/Berlin", days: [{ day: 4, from: "09:00", to: "17:00" }] };
  it("is open inside a period in the entry's time zone and closed outside it", () => {
    expect(isOpen(hours, now)).toBe(true); // 11:30 in Berlin
    expect(isOpen(hours, new Date("2026-11-26T16:00:00Z"))).toBe(false); // 17:00 in Berlin: closing minute
    expect(isOpen(hours, new Date("2026-11-27T10:30:00Z"))).toBe(false); // Friday
  });
  it("is always open without opening hours", () => {
    expect(isOpen(null, now)).toBe(true);
  });
});

describe("taking and acting", () => {
  it("refuses a taken conversation naming who took it", () => {
    expect(takeRefusal({ state: "waiting", agentId: null }, null)).toBeNull();
    // Its agent was deleted: nobody's, so anyone may take it.
    expect(takeRefusal({ state: "assigned", agentId: null }, null)).toBeNull();
    expect(takeRefusal({ state: "assigned", agentId: "a" }, "Ana")).toEqual({
      code: "live-chat-taken",
      detail: "Ana has already taken this conversation.",
    });
    expect(takeRefusal({ state: "closed", agentId: "a" }, "Ana")?.code).toBe("live-chat-closed");
  });
  it("lets only the assigned agent act", () => {
    expect(actRefusal({ state: "assigned", agentId: "a" }, "a")).toBeNull();
    expect(actRefusal({ state: "assigned", agentId: "a" }, "b")?.code).toBe("live-chat-not-yours");
    expect(actRefusal({ state: "waiting", agentId: null }, "a")?.code).toBe("live-chat-not-taken");
  });
});

describe("replies", () => {
  const ok = {
    provider: "whatsapp_cloud" as const,
    optedOut: false,
    lastInboundAt: new Date(now.getTime() - 60_000),
    now,
  };
  it("refuses opted-out numbers, the closed WhatsApp window and over-long texts", () => {
    expect(replyRefusal("Hello", ok)).toBeNull();
    expect(replyRefusal("Hello", { ...ok, optedOut: true })?.code).toBe("recipient-opted-out");
    const old = new Date(now.getTime() - 25 * 3600_000);
    expect(replyRefusal("Hello", { ...ok, lastInboundAt: old })?.code).toBe("outside-whatsapp-window");
    expect(replyRefusal("Hello", { ...ok, provider: "twilio_sms", lastInboundAt: old })).toBeNull();
    expect(replyRefusal("x".repeat(1025), ok)?.code).toBe("reply-too-long");
    expect(replyRefusal("x".repeat(1025), { ...ok, provider: "twilio_sms" })).toBeNull();
  });
});

describe("timeouts", () => {
  const rule = { timeoutMinutes: 10, openingHours: null };
  it("is due after the configured minutes, at once outside opening hours", () => {
    const since = new Date(now.getTime() - 9 * 60_000);
    expect(timeoutDue(since, rule, now)).toBe(false);
    expect(timeoutDue(since, rule, new Date(now.getTime() + 60_000))).toBe(true);
    const closed = { timeZone: "UTC", days: [{ day: 1, from: "09:00", to: "17:00" }] };
    expect(timeoutDue(since, { ...rule, openingHours: closed }, now)).toBe(true);
  });
  it("counts waiting seconds until taken", () => {
    const since = new Date(now.getTime() - 90_000);
    expect(waitSeconds(since, null, now)).toBe(90);
    expect(waitSeconds(since, new Date(since.getTime() + 5_000), now)).toBe(5);
  });
});
