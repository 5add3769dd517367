import type { Hours, Weekday } from '../contract/config.js';

// Formatters are costly to build and are reused for every minute step, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23', // never "24:05" at midnight
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** Wall-clock reading in `timezone`: weekday, minutes since local midnight, local date 'YYYY-MM-DD'. */
export function localTime(at: Date, timezone: string): { weekday: Weekday; minutes: number; date: string } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timezone).formatToParts(at)) parts[p.type] = p.value;
  return {
    weekday: (parts.weekday ?? '').toLowerCase() as Weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** 'HH:MM' → minutes since midnight; '24:00' → 1440. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Open when the local time falls in one of today's [start, end) shifts; a weekday without shifts is closed. */
export function isOpen(hours: Hours, timezone: string, at: Date): boolean {
  const { weekday, minutes } = localTime(at, timezone);
  return (hours[weekday] ?? []).some(([s, e]) => clockMinutes(s) <= minutes && minutes < clockMinutes(e));
}

/** Inside the daily window [start, end), which wraps midnight when start > end. start === end is an empty window. */
export function inWindow(start: string, end: string, timezone: string, at: Date): boolean {
  const s = clockMinutes(start);
  const e = clockMinutes(end); // '24:00' stays 1440 so '00:00'–'24:00' is the whole day
  const m = localTime(at, timezone).minutes;
  return s < e ? s <= m && m < e : s > e ? m >= s || m < e : false;
}

const MINUTE = 60_000;

/** The zone's UTC offset in minutes at `at` (wall clock minus UTC), at minute precision. */
function offsetMinutes(at: Date, timezone: string): number {
  const { date, minutes } = localTime(at, timezone);
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE;
  return Math.round((wall - Math.floor(at.getTime() / MINUTE) * MINUTE) / MINUTE);
}

/** The instant the window containing `at` ends (first minute at which it no longer applies); `at` when outside it. */
export function nextWindowEnd(start: string, end: string, timezone: string, at: Date): Date {
  if (!inWindow(start, end, timezone, at)) return at;
  const wallLeft = (clockMinutes(end) - localTime(at, timezone).minutes + 1440) % 1440 || 1440;
  const first = Math.floor(at.getTime() / MINUTE) * MINUTE + MINUTE;
  // Common case: no UTC-offset change before the end, so the wall-clock distance is the real distance.
  const guess = first + (wallLeft - 1) * MINUTE;
  const inside = (t: number): boolean => inWindow(start, end, timezone, new Date(t));
  const sameOffset = offsetMinutes(at, timezone) === offsetMinutes(new Date(guess), timezone);
  if (sameOffset && inside(guess - MINUTE) && !inside(guess)) return new Date(guess);
  // A DST change lies ahead: walk minute by minute, which also finds ends inside a skipped or repeated hour.
  // Bounded by the wall-clock distance plus a generous 3 h for the size of the jump.
  const limit = first + (wallLeft + 180) * MINUTE;
  for (let t = first; t < limit; t += MINUTE) {
    if (!inside(t)) return new Date(t);
  }
  return new Date(limit); // only a whole-day window ('00:00'–'24:00') gets here: it never ends
}

/** The first instant of the local calendar day containing `at` (23 or 25 hours long on DST days). */
export function startOfLocalDay(at: Date, timezone: string): Date {
  const { date } = localTime(at, timezone);
  const wallMidnight = Date.parse(`${date}T00:00:00Z`);
  // Use the offset in force at midnight, not at `at`: they differ on DST days.
  let t = wallMidnight - offsetMinutes(at, timezone) * MINUTE;
  t = wallMidnight - offsetMinutes(new Date(t), timezone) * MINUTE;
  // Where a DST change skips midnight itself, the day starts at the first minute that carries its date.
  for (let i = 0; i < 180 && localTime(new Date(t), timezone).date !== date; i++) t += MINUTE;
  return new Date(t);
}
