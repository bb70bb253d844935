/** Raffle Giveaway: how a participant is drawn, and what the raffle answers. Randomness is handed in. */

export const PRIZES_MAX = 50;
export const PRIZE_NAME_MAX = 100;
export const PRIZE_QUANTITY_MAX = 1_000_000;
export const EVERY_NTH_MAX = 1_000_000;

export type RaffleDraw = { mode: "instant"; winProbability: number } | { mode: "every_nth"; every: number };

export interface RaffleMessages {
  /** Sent to a winner; `{{prize}}` is replaced by the prize's name. */
  win: string;
  lose: string;
  alreadyEntered: string;
  /** Sent when the raffle ended (its end date) or has no prizes left. */
  over: string;
}

export interface RafflePrizeSetting {
  /**
   * The prize's stable id (its raffle_prize row), given at its first save: awards are counted against it, so renaming a
   * prize keeps its awarded count. Absent on a prize not saved yet.
   */
  id?: string;
  name: string;
  quantity: number;
}

export interface RaffleSettings {
  prizes: RafflePrizeSetting[];
  draw: RaffleDraw;
  messages: RaffleMessages;
}

export const defaultRaffleMessages: RaffleMessages = {
  win: "Congratulations! You won {{prize}}.",
  lose: "Thanks for taking part. No prize this time, good luck next time!",
  alreadyEntered: "You have already entered this raffle. Only one entry per phone number.",
  over: "This raffle is over. Thanks for your interest!",
};

/**
 * Whether a participant would win, before any prize is taken: `random` is a number in [0, 1) from the injected source;
 * `participantNumber` counts entries from 1 in the order the database took them.
 */
export function wouldWin(draw: RaffleDraw, participantNumber: number, random: () => number): boolean {
  if (draw.mode === "every_nth") return participantNumber % draw.every === 0;
  if (draw.winProbability <= 0) return false;
  if (draw.winProbability >= 1) return true;
  return random() < draw.winProbability;
}

export type RaffleOutcome =
  | { kind: "won"; prize: string }
  | { kind: "lost" }
  | { kind: "already_entered" }
  | { kind: "over" };

/** Whether a raffle still takes entries: it runs, its end date is not reached, and a prize is left. */
export function raffleOpen(prizesLeft: number, running: boolean): boolean {
  return running && prizesLeft > 0;
}

/** The reply for an outcome, in the marketer's words. */
export function raffleReply(messages: RaffleMessages, outcome: RaffleOutcome): string {
  switch (outcome.kind) {
    case "won":
      return messages.win.replaceAll("{{prize}}", outcome.prize);
    case "lost":
      return messages.lose;
    case "already_entered":
      return messages.alreadyEntered;
    case "over":
      return messages.over;
  }
}

/**
 * Which stored prize each of the next settings' prizes is: the one with its id, else (a client that sends no ids) the
 * one with its name; -1 for a new prize. A stored prize is matched at most once.
 */
export function matchPrizes(
  next: readonly Pick<RafflePrizeSetting, "id" | "name">[],
  stored: readonly { id: string; name: string }[],
): number[] {
  const taken = new Set<number>();
  const byId = next.map((p) => (p.id === undefined ? -1 : stored.findIndex((s) => s.id === p.id)));
  for (const i of byId) if (i >= 0) taken.add(i);
  return next.map((p, k) => {
    if ((byId[k] ?? -1) >= 0) return byId[k] as number;
    if (p.id !== undefined) return -1;
    const i = stored.findIndex((s, j) => !taken.has(j) && s.name === p.name);
    if (i >= 0) taken.add(i);
    return i;
  });
}

/** Prize quantities may change, but never below what was already awarded (`awarded[i]`: the count of next[i]). */
export function prizeShrinkIssues(
  next: readonly RafflePrizeSetting[],
  awarded: readonly number[],
): { index: number; message: string }[] {
  return next.flatMap((p, index) => {
    const taken = awarded[index] ?? 0;
    return p.quantity < taken
      ? [{ index, message: `${taken} of "${p.name}" were already awarded; the quantity cannot be less.` }]
      : [];
  });
}

/** A small, seedable generator (mulberry32), for tests and reproducible draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
