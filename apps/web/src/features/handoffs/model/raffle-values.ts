import type { HandoffSettings, raffleSettingsInput } from "@switchboard/contracts/handoffs";
import type { z } from "zod";

export type RaffleInput = z.input<typeof raffleSettingsInput>;
type RaffleSettings = Extract<HandoffSettings, { type: "raffle_giveaway" }>;

/**
 * The form keeps both draws' numbers so switching modes loses nothing; the saved draw holds only the chosen one's
 * (the contract's draw is a strict object per mode).
 */
export interface RaffleFormValues extends Omit<RaffleInput, "draw"> {
  draw: { mode: "instant" | "every_nth"; winProbability: number; every: number };
}

export function raffleFormValues(settings: RaffleSettings): RaffleFormValues {
  return {
    type: "raffle_giveaway",
    // The id goes back with the prize, so that renaming it keeps its awarded count.
    prizes: settings.prizes.map((p) => ({ ...(p.id ? { id: p.id } : {}), name: p.name, quantity: p.quantity })),
    draw: {
      mode: settings.draw.mode,
      winProbability: settings.draw.mode === "instant" ? settings.draw.winProbability : 0.5,
      every: settings.draw.mode === "every_nth" ? settings.draw.every : 10,
    },
    messages: { ...settings.messages },
    webhook: settings.webhook,
  };
}

export function raffleInput(values: RaffleFormValues): RaffleInput {
  const { draw, ...rest } = values;
  return {
    ...rest,
    draw:
      draw.mode === "instant"
        ? { mode: "instant", winProbability: draw.winProbability }
        : { mode: "every_nth", every: draw.every },
  };
}

/** The fields an API error may name, most specific first, so each message lands beside its own field. */
export function raffleErrorFields(prizeCount: number): string[] {
  const prizes = Array.from({ length: prizeCount }, (_, i) => [`prizes.${i}.name`, `prizes.${i}.quantity`]).flat();
  return [
    ...prizes,
    "prizes",
    "draw.winProbability",
    "draw.every",
    "draw",
    "messages.win",
    "messages.lose",
    "messages.alreadyEntered",
    "messages.over",
  ];
}
