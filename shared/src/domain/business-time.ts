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
 * so an after-hours call does not page anyone before the office opens.
 */
export function openMillisBetween(hours: Hours, timezone: string, from: Date, to: Date): number {
  if (to <= from) return 0;
  const a = from.getTime();
  const b = Math.min(to.getTime(), a + MAX_DAYS * DAY);
  let total = 0;
  // One day before too: a shift ending at 24:00 on the local date before `from` may still overlap after DST.
  let date = localTime(new Date(a - DAY), timezone).date;
  const last = localTime(new Date(b), timezone).date;
  for (let i = 0; i < MAX_DAYS + 2 && date <= last; i++) {
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
 * The instant a wait that began at `since` has used up `minutes` of open business time; Infinity when the hours
 * never open. Walks forward shift by shift, so a wait that began at night costs a day or two of calendar.
 */
export function slaDeadline(hours: Hours, timezone: string, since: Date, minutes: number): number {
  const a = since.getTime();
  let left = minutes * MINUTE;
  if (!(left > 0)) return a;
  // From the day before: a shift ending at 24:00 on the local date before `since` may still be running.
  let date = localTime(new Date(a - DAY), timezone).date;
  for (let i = 0; i < MAX_DAYS + 2; i++) {
    const weekday = weekdays[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    const shifts = (hours[weekday] ?? []).map(([s, e]) => [zonedInstant(date, clockMinutes(s), timezone), zonedInstant(date, clockMinutes(e), timezone)] as const).sort((x, y) => x[0] - y[0]);
    for (const [start, end] of shifts) {
      const from = Math.max(start, a);
      if (end <= from) continue;
      if (end - from >= left) return from + left;
      left -= end - from;
    }
    date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  }
  return Infinity;
}

/** Deadlines already worked out, per hours object: escalations and figures ask about the same waits every tick. */
const deadlines = new WeakMap<Hours, Map<string, number>>();
const DEADLINES_KEPT = 20_000;

function cachedDeadline(hours: Hours, timezone: string, since: Date, minutes: number): number {
  let byWait = deadlines.get(hours);
  if (!byWait) deadlines.set(hours, (byWait = new Map()));
  const key = `${timezone}|${since.getTime()}|${minutes}`;
  let at = byWait.get(key);
  if (at === undefined) {
    if (byWait.size >= DEADLINES_KEPT) byWait.clear();
    byWait.set(key, (at = slaDeadline(hours, timezone, since, minutes)));
  }
  return at;
}

/**
 * The SLA, one definition for the escalations, the figures and the wall: has a wait that began at `since` used up
 * `minutes` of open business time by `now`? A call at 01:30 is not late at 07:30; it is 5 open minutes after opening.
 */
export function slaElapsed(hours: Hours, timezone: string, since: Date, now: Date, minutes: number): boolean {
  // Open time never exceeds clock time: a short wait needs no calendar.
  if (now.getTime() - since.getTime() < minutes * MINUTE) return false;
  return now.getTime() >= cachedDeadline(hours, timezone, since, minutes);
}
