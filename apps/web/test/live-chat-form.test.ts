import { describe, expect, it } from "vitest";
import { checkLiveChatForm, toLiveChatForm, toLiveChatSettings } from "../src/features/editor/model/live-chat-form";

const NODE = "00000000-0000-4000-8000-000000000002";
const TEAM = "00000000-0000-4000-8000-00000000000a";

describe("the Live Chat settings in the entry panel", () => {
  it("round-trips the API's settings, opening hours as one period on the ticked days", () => {
    const settings = {
      handoverMessage: "Ana will answer.",
      teamId: TEAM,
      timeoutMinutes: 5,
      openingHours: {
        timeZone: "America/Mexico_City",
        days: [
          { day: 1, from: "09:00", to: "18:00" },
          { day: 2, from: "09:00", to: "18:00" },
        ],
      },
      onTimeout: { action: "bot" as const, message: "Nobody is free.", nodeId: NODE },
    };
    const form = toLiveChatForm({ liveChat: settings });
    expect(form.hours).toMatchObject({ enabled: true, days: ["1", "2"], from: "09:00", to: "18:00" });
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
    form.hours = { enabled: true, timeZone: "Mars/Olympus", days: [], from: "18:00", to: "09:00" };
    const at = Object.fromEntries(checkLiveChatForm(form).map((i) => [i.path.join("."), i.message]));
    expect(at["liveChat.timeoutMinutes"]).toBe("The timeout is at least 1 minute.");
    expect(at["liveChat.onTimeout.nodeId"]).toBe("Choose the node to go back to.");
    expect(at["liveChat.onTimeout.message"]).toBe("The timeout message is required.");
    expect(at["liveChat.hours.days"]).toBe("Tick at least one day.");
    expect(at["liveChat.hours.timeZone"]).toMatch(/^Not a time zone/);
  });
});
