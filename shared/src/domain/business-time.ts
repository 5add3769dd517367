import { weekdays, type Hours } from '../contract/config.js';
import { clockMinutes, localTime } from './hours.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Longer waits than this are counted as this long: a thread open for a year is simply breached. */
const MAX_DAYS = 400;

/** The instant a wall-clock time on a local date happens in `timezone` (DST-safe: guess, then correct). */
export function zonedInstant(date: string, minutes: number, timezone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE;
  const offsetAt = (t: number) => {
    const l = localTime(new Date(t), timezone);
    return Date.parse(`${l.date}T00:00:00Z`) + l.minutes * MINUTE - Math.floor(t / MINUTE) * MINUTE;
  };
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}

/** Where a wait is measured: a location's open hours in its time zone (a config Location is one). */
export interface OpenHours {
  hours: Hours;
  timezone: string;
}

/**
 * Milliseconds of open business time in [from, to): the SLA clock, which stops at night and on closed days,
 * so an after-hours call does not page anyone before the office opens. Counting stops once `cap` is reached.
 */
export function openMillisBetween(hours: Hours, timezone: string, from: Date, to: Date, cap = Infinity): number {
  if (to <= from) return 0;
  const a = from.getTime();
  const b = Math.min(to.getTime(), a + MAX_DAYS * DAY);
  let total = 0;
  // One day before too: a shift ending at 24:00 on the local date before `from` may still overlap after DST.
  let date = localTime(new Date(a - DAY), timezone).date;
  const last = localTime(new Date(b), timezone).date;
  for (let i = 0; i < MAX_DAYS + 2 && date <= last && total < cap; i++) {
    const weekday = weekdays[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    for (const [s, e] of hours[weekday] ?? []) {
      const start = zonedInstant(date, clockMinutes(s), timezone);
      const end = zonedInstant(date, clockMinutes(e), timezone);
      total += Math.max(0, Math.min(end, b) - Math.max(start, a));
    }
    date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  }
  return total;
}

/**
 * The SLA, one definition for the escalations, the figures and the wall: has a wait that began at `since` used up
 * `minutes` of open business time by `now`? A call at 01:30 is not late at 07:30; it is 5 open minutes after opening.
 */
export function slaElapsed(hours: Hours, timezone: string, since: Date, now: Date, minutes: number): boolean {
  const limit = minutes * MINUTE;
  // Open time never exceeds clock time: a short wait needs no calendar.
  if (now.getTime() - since.getTime() < limit) return false;
  return openMillisBetween(hours, timezone, since, now, limit) >= limit;
}
