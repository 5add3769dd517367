import { localTime, type Slot } from '@ringback/shared';

/** Words for the caller, in the location's zone: "Tuesday, December 8", "9:00 AM". */
const fmt = (timezone: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { timeZone: timezone, ...o });

export const dayWords = (at: Date, timezone: string): string => fmt(timezone, { weekday: 'long', month: 'long', day: 'numeric' }).format(at);
export const timeWords = (at: Date, timezone: string): string => fmt(timezone, { hour: 'numeric', minute: '2-digit' }).format(at);
/** "Central Time": callers in another zone see which clock the times are on. */
export const zoneWords = (at: Date, timezone: string): string =>
  fmt(timezone, { timeZoneName: 'longGeneric' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timezone;

/** "Today · Wednesday, December 2", "Tomorrow · …", else the day alone. */
export function dayHeading(date: string, timezone: string, now: Date): string {
  const at = new Date(`${date}T12:00:00Z`);
  const words = fmt('UTC', { weekday: 'long', month: 'long', day: 'numeric' }).format(at);
  const today = localTime(now, timezone).date;
  if (date === today) return `Today · ${words}`;
  if (date === nextDate(today)) return `Tomorrow · ${words}`;
  return words;
}

export interface Day {
  date: string;
  slots: Slot[];
}

/** Slots grouped by the location's local date, in time order. */
export function byDay(slots: Slot[], timezone: string): Day[] {
  const days: Day[] = [];
  for (const s of slots) {
    const date = localTime(new Date(s.start), timezone).date;
    const last = days.at(-1);
    if (last?.date === date) last.slots.push(s);
    else days.push({ date, slots: [s] });
  }
  return days;
}

/** The date after `date` (YYYY-MM-DD). */
export function nextDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
