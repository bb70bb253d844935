import { describe, expect, it } from "vitest";
import { attemptRounds, maskPhoneNumber, payloadFacts } from "../src/delivery/delivery-view";

describe("the Deliveries view's facts", () => {
  it("reads the option and the phone number of a payload, and nothing from one that is not JSON", () => {
    expect(payloadFacts('{"option":"Pizza","keyword":1,"phoneNumber":"+525512345678"}')).toEqual({
      option: "Pizza",
      phoneNumber: "+525512345678",
    });
    expect(payloadFacts('{"response":"yes","phoneNumber":"+525512345678"}').option).toBeNull();
    expect(payloadFacts("not json")).toEqual({ option: null, phoneNumber: null });
  });

  it("masks a phone number to its last four digits", () => {
    expect(maskPhoneNumber("+52 55 1234-5678")).toBe("••••5678");
  });

  it("orders attempts by time and starts a new round where a resend starts again at 1", () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const rounds = attemptRounds([
      { number: 1, startedAt: at(50) },
      { number: 2, startedAt: at(20) },
      { number: 1, startedAt: at(10) },
      { number: 2, startedAt: at(60) },
      { number: 1, startedAt: at(70) },
    ]);
    expect(rounds.map((a) => [a.round, a.number])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
      [3, 1],
    ]);
  });
});
