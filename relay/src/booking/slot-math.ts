import { clockMinutes, localTime, zonedInstant, type Schedule, type Slot } from '@ringback/shared';
import * as chrono from 'chrono-node';
import type { BusyInterval } from './calendar-port.js';

/**
 * The slot arithmetic the booking service needs, behind one small surface: free slots of a schedule, the
 * offers that fit a wish, a wish read from the caller's words, and a slot as a text shows it.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A caller's wish as a window of instants (ms), with the words it came from. */
export interface Wish {
  text: string;
  from: number;
  to: number;
}

export interface FreeQuery {
  schedule: Schedule;
  timezone: string;
  busy: readonly BusyInterval[];
  minutes: number;
  from: number;
  to: number;
  now: number;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Every bookable start in [from, to) that fits hours, notice, horizon, holidays, buffers and capacity. */
export function freeSlotsOf(q: FreeQuery): Slot[] {
  const { schedule: s, timezone, busy } = q;
  const earliest = Math.max(q.from, q.now + s.minNoticeMinutes * MINUTE);
  const latest = Math.min(q.to, q.now + s.horizonDays * DAY);
  const out: Slot[] = [];
  const buffer = s.bufferMinutes * MINUTE;
  for (let day = earliest - DAY; day < latest + DAY; day += DAY) {
    const date = localTime(new Date(day), timezone).date;
    if (s.holidays.includes(date)) continue;
    const weekday = WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    for (const [open, close] of s.hours[weekday] ?? []) {
      for (let m = clockMinutes(open); m + q.minutes <= clockMinutes(close); m += s.stepMinutes) {
        const start = zonedInstant(date, m, timezone);
        const end = start + q.minutes * MINUTE;
        if (start < earliest || start >= latest) continue;
        const overlapping = busy.filter((b) => b.start < end + buffer && start < b.end + buffer).length;
        if (overlapping >= s.capacity) continue;
        out.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((x) => !seen.has(x.start) && seen.add(x.start)).sort((a, b) => a.start.localeCompare(b.start));
}

/** The first `n` free slots inside the wish, else the `n` nearest after its start; without a wish, the soonest. */
export function offersFor(free: readonly Slot[], wish: Wish | null, n: number): Slot[] {
  if (!wish) return free.slice(0, n);
  const inside = free.filter((x) => Date.parse(x.start) >= wish.from && Date.parse(x.start) < wish.to);
  if (inside.length > 0) return inside.slice(0, n);
  return free.filter((x) => Date.parse(x.start) >= wish.from).slice(0, n);
}

const PARTS: [RegExp, number, number][] = [
  [/\bmorning\b/, 8 * 60, 12 * 60],
  [/\b(afternoon|after lunch)\b/, 12 * 60, 17 * 60],
  [/\b(evening|after work)\b/, 17 * 60, 21 * 60],
  [/\b(lunch|noon|midday)\b/, 11 * 60 + 30, 13 * 60 + 30],
];

/** A wish in the caller's words ("tomorrow after 3", "next Tue morning", "Friday") as a window in the location's zone. */
export function wishOf(text: string, now: number, timezone: string): Wish | null {
  // chrono takes the zone as an offset in minutes (IANA names are not understood): the offset now.
  const local = localTime(new Date(now), timezone);
  const offset = Math.round((Date.parse(`${local.date}T00:00:00Z`) + local.minutes * MINUTE - Math.floor(now / MINUTE) * MINUTE) / MINUTE);
  const results = chrono.casual.parse(text, { instant: new Date(now), timezone: offset }, { forwardDate: true });
  const t = text.toLowerCase();
  const part = PARTS.find(([re]) => re.test(t));
  const r = results[0];
  if (!r && !part) return null;
  const at = r ? r.start.date().getTime() : now;
  const date = localTime(new Date(at), timezone).date;
  const wholeDay = (from: number, to: number) => ({ text: r?.text ?? text.trim(), from: zonedInstant(date, from, timezone), to: zonedInstant(date, to, timezone) });
  if (part) return wholeDay(part[1], part[2]);
  if (r && r.start.isCertain('hour')) {
    const minutes = localTime(new Date(at), timezone).minutes;
    const after = /\b(after|from|later than)\b/.test(t);
    return after ? wholeDay(minutes, 24 * 60) : { text: r.text, from: at, to: at + 60 * MINUTE };
  }
  return wholeDay(0, 24 * 60);
}

const labels = new Map<string, Intl.DateTimeFormat>();
/** "Thu Dec 3, 9:00 AM" in the location's zone. */
export function labelOf(slot: Slot, timezone: string): string {
  let f = labels.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    labels.set(timezone, f);
  }
  return f.format(new Date(slot.start)).replace(/ at /, ', ');
}
