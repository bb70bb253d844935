import { describe, expect, it } from "vitest";
import { formPath } from "../src/features/editor/model/entry-form";
import { checkLiveChatForm, toLiveChatForm, toLiveChatSettings } from "../src/features/editor/model/live-chat-form";

const NODE = "00000000-0000-4000-8000-000000000002";
const TEAM = "00000000-0000-4000-8000-00000000000a";

describe("the Live Chat settings in the entry panel", () => {
  it("round-trips the API's settings, each opening period a row (a day with a lunch break has two)", () => {
    const settings = {
      handoverMessage: "Ana will answer.",
      teamId: TEAM,
      timeoutMinutes: 5,
      openingHours: {
        timeZone: "America/Mexico_City",
        days: [
          { day: 1, from: "09:00", to: "13:00" },
          { day: 1, from: "14:00", to: "18:00" },
          { day: 6, from: "10:00", to: "12:00" },
        ],
      },
      onTimeout: { action: "bot" as const, message: "Nobody is free.", nodeId: NODE },
    };
    const form = toLiveChatForm({ liveChat: settings });
    expect(form.hours).toMatchObject({
      enabled: true,
      periods: [
        { day: "1", from: "09:00", to: "13:00" },
        { day: "1", from: "14:00", to: "18:00" },
        { day: "6", from: "10:00", to: "12:00" },
      ],
    });
    expect(toLiveChatSettings(form)).toEqual(settings);
    expect(checkLiveChatForm(form)).toEqual([]);
  });

  it("starts an entry without settings at every agent, ten minutes, then the end", () => {
    const form = toLiveChatForm({ liveChat: null });
    expect(toLiveChatSettings(form)).toMatchObject({ teamId: null, timeoutMinutes: 10, openingHours: null });
    expect(checkLiveChatForm(form)).toEqual([]);
  });

  it("names each problem at its field", () => {
    const form = toLiveChatForm({ liveChat: null });
    form.timeoutMinutes = "0";
    form.onTimeout = { action: "bot", message: "", nodeId: "" };
    form.hours = { enabled: true, timeZone: "Mars/Olympus", periods: [] };
    const at = Object.fromEntries(checkLiveChatForm(form).map((i) => [i.path.join("."), i.message]));
    expect(at["liveChat.timeoutMinutes"]).toBe("The timeout is at least 1 minute.");
    expect(at["liveChat.onTimeout.nodeId"]).toBe("Choose the node to go back to.");
    expect(at["liveChat.onTimeout.message"]).toBe("The timeout message is required.");
    expect(at["liveChat.hours.periods"]).toBe("Add at least one opening period.");
    expect(at["liveChat.hours.timeZone"]).toMatch(/^Not a time zone/);
  });

  it("names a period's problem at its row", () => {
    const form = toLiveChatForm({ liveChat: null });
    form.hours = {
      enabled: true,
      timeZone: "UTC",
      periods: [
        { day: "1", from: "09:00", to: "18:00" },
        { day: "2", from: "18:00", to: "09:00" },
      ],
    };
    expect(checkLiveChatForm(form)).toEqual([
      {
        path: ["liveChat", "hours", "periods", "1", "to"],
        code: "invalid",
        message: "Opening time must be before closing time.",
      },
    ]);
  });

  it("places the API's problems with the opening hours at the panel's rows", () => {
    expect(formPath(["body", "liveChat", "openingHours", "days", 2, "to"])).toBe("liveChat.hours.periods.2.to");
    expect(formPath(["body", "liveChat", "openingHours", "days"])).toBe("liveChat.hours.periods");
    expect(formPath(["body", "liveChat", "openingHours", "timeZone"])).toBe("liveChat.hours.timeZone");
    expect(formPath(["body", "liveChat", "teamId"])).toBe("liveChat.teamId");
  });
});
