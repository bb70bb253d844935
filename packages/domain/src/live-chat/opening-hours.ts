/** Opening hours of a Live Chat entry: periods per weekday in one IANA time zone. */
export interface OpeningPeriod {
  /** 0 is Sunday. */
  day: number;
  /** "HH:MM", 24-hour clock. */
  from: string;
  to: string;
}
export interface OpeningHours {
  timeZone: string;
  days: readonly OpeningPeriod[];
}

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The weekday and "HH:MM" of an instant in a time zone (Intl does the daylight-saving arithmetic). */
export function localTime(now: Date, timeZone: string): { day: number; time: string } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: weekdays.indexOf(get("weekday")), time: `${get("hour")}:${get("minute")}` };
}

/** Whether agents are on duty; no opening hours means always open. The closing minute itself is closed. */
export function isOpen(hours: OpeningHours | null, now: Date): boolean {
  if (hours === null) return true;
  const { day, time } = localTime(now, hours.timeZone);
  return hours.days.some((p) => p.day === day && p.from <= time && time < p.to);
}
