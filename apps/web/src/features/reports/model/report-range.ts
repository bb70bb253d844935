/** A range of local days (the installation's time zone), both included. */
export interface DateRange {
  from: string;
  to: string;
}

export type Preset = "today" | "7" | "30" | "custom";

export const presetLabels: Record<Preset, string> = {
  today: "Today",
  "7": "7 days",
  "30": "30 days",
  custom: "Custom",
};

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The range a preset covers, ending on the installation's `today`. */
export function presetRange(preset: Exclude<Preset, "custom">, today: string): DateRange {
  const days = preset === "today" ? 1 : Number(preset);
  return { from: addDays(today, 1 - days), to: today };
}

/** Why a custom range cannot be asked for, or null. */
export function customRangeError(range: DateRange): string | null {
  if (!range.from || !range.to) return "Choose both days.";
  if (range.from > range.to) return "The last day must be on or after the first.";
  return null;
}

/** One day is shown hour by hour; longer ranges day by day. */
export const granularityOf = (range: DateRange | null): "day" | "hour" =>
  range && range.from === range.to ? "hour" : "day";
