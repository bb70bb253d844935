import { describe, expect, it } from "vitest";
import {
  defaultRaffleMessages,
  matchPrizes,
  prizeShrinkIssues,
  raffleReply,
  seededRandom,
  wouldWin,
} from "../../src/handoff/raffle";

describe("raffle draw", () => {
  it("wins every Nth participant, and only them", () => {
    const draw = { mode: "every_nth", every: 3 } as const;
    const never = () => {
      throw new Error("every Nth needs no randomness");
    };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => wouldWin(draw, n, never))).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it("wins instantly with the probability given, from the injected randomness", () => {
    const draw = { mode: "instant", winProbability: 0.3 } as const;
    expect(wouldWin(draw, 1, () => 0.29)).toBe(true);
    expect(wouldWin(draw, 1, () => 0.3)).toBe(false);
    const random = seededRandom(42);
    const wins = Array.from({ length: 10_000 }, (_, i) => wouldWin(draw, i + 1, random)).filter(Boolean).length;
    expect(wins).toBeGreaterThan(2800);
    expect(wins).toBeLessThan(3200);
  });

  it("always wins at probability 1 and never at 0, whatever the randomness says", () => {
    expect(wouldWin({ mode: "instant", winProbability: 1 }, 1, () => 0.999)).toBe(true);
    expect(wouldWin({ mode: "instant", winProbability: 0 }, 1, () => 0)).toBe(false);
  });

  it("draws the same sequence from the same seed", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(seededRandom(8)()).not.toBe(seededRandom(7)());
  });
});

describe("raffle replies and prizes", () => {
  it("answers each outcome with the marketer's message, the prize's name in a win", () => {
    const m = { ...defaultRaffleMessages, win: "You won {{prize}}! Show {{prize}} at the desk." };
    expect(raffleReply(m, { kind: "won", prize: "a Cap" })).toBe("You won a Cap! Show a Cap at the desk.");
    expect(raffleReply(m, { kind: "lost" })).toBe(m.lose);
    expect(raffleReply(m, { kind: "already_entered" })).toBe(m.alreadyEntered);
    expect(raffleReply(m, { kind: "over" })).toBe(m.over);
  });

  it("knows a stored prize by its id, so a renamed prize stays the same prize; by name only without ids", () => {
    const stored = [
      { id: "p1", name: "Cap" },
      { id: "p2", name: "Mug" },
    ];
    // Renamed, reordered, one new: matched by id.
    expect(
      matchPrizes([{ id: "p2", name: "Big mug" }, { name: "Hat" }, { id: "p1", name: "Blue cap" }], stored),
    ).toEqual([1, -1, 0]);
    // A client without ids: by name; an unknown id is a new prize, not another one's row.
    expect(matchPrizes([{ name: "Mug" }, { id: "gone", name: "Cap" }], stored)).toEqual([1, -1]);
    // Two prizes cannot take the same stored row.
    expect(matchPrizes([{ id: "p1", name: "Cap" }, { name: "Cap" }], stored)).toEqual([0, -1]);
  });

  it("refuses a prize quantity below what was awarded", () => {
    expect(prizeShrinkIssues([{ name: "Cap", quantity: 3 }], [3])).toEqual([]);
    expect(
      prizeShrinkIssues(
        [
          { name: "Mug", quantity: 1 },
          { name: "Cap", quantity: 2 },
        ],
        [0, 3],
      ),
    ).toEqual([{ index: 1, message: '3 of "Cap" were already awarded; the quantity cannot be less.' }]);
  });
});
