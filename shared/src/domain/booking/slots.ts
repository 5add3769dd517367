import type { Schedule, Slot } from '../../contract/booking.js';
import { weekdays } from '../../contract/config.js';
import { zonedInstant } from '../business-time.js';
import { clockMinutes, localTime } from '../hours.js';

/*
 * Free slots and the offers picked from them. Choices:
 * - Slots start on a wall-clock grid of `stepMinutes` counted from each shift's start (a shift 08:15–12:00 with a
 *   30-minute step offers 08:15, 08:45, …), in the location's zone; wall times a DST change skips are not offered,
 *   and a repeated wall time (the hour clocks fall back) is offered once.
 * - The appointment plus `bufferMinutes` must end by the shift's end; lengths are real minutes, so a slot that spans
 *   a DST change lasts as long as any other.
 * - Buffers keep time free after every appointment, ours and the calendar's: a busy interval blocks [start, end +
 *   buffer), and a candidate needs [start, end + buffer) — so a new booking neither starts in another's buffer nor
 *   lets its own buffer run into the next one.
 * - Capacity counts appointments running at the same moment (chairs, crews): a candidate is free when at no moment
 *   of it are `capacity` busy intervals running. For intervals that is exactly when the bookings can be assigned to
 *   `capacity` chairs without moving any.
 * - Min notice and horizon are real time from now: no start before now + minNotice, none after now + horizonDays.
 * - Holidays are local dates; a shift on a holiday offers nothing (a shift past midnight belongs to its start date).
 * - Work is bounded: at most 400 local days are walked, whatever the range, and invalid busy intervals are ignored.
 * - Offers: the earliest slots inside the caller's wish, at least an hour apart on the same local day when there are
 *   enough of them; then the nearest after the wish, then the nearest before it; always returned in time order.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_DAYS = 400;

export interface BusyTime {
  start: number;
  end: number;
}

export interface FreeSlotsInput {
  schedule: Schedule;
  timezone: string;
  /** The appointment's length (the service's minutes). */
  minutes: number;
  busy: BusyTime[];
  /** Range of slot starts asked for, ms since the epoch; [from, to). */
  from: number;
  to: number;
  now: number;
}

/** Each candidate start (ms since the epoch), in time order, without duplicates. */
function candidates(o: FreeSlotsInput, from: number, to: number, length: number): number[] {
  const { schedule, timezone } = o;
  const step = Math.max(5, Math.floor(schedule.stepMinutes) || 30);
  const holidays = new Set(schedule.holidays);
  const out: number[] = [];
  // From the day before: a shift ending at 24:00 on the previous local date can still hold a slot.
  let date = localTime(new Date(from - DAY), timezone).date;
  const last = localTime(new Date(to), timezone).date;
  for (let i = 0; i < MAX_DAYS && date <= last; i++) {
    if (!holidays.has(date)) {
      const weekday = weekdays[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
      for (const [s, e] of schedule.hours[weekday] ?? []) {
        const startMin = clockMinutes(s);
        const endMin = clockMinutes(e);
        if (!(endMin > startMin)) continue;
        const shiftStart = zonedInstant(date, startMin, timezone);
        const shiftEnd = zonedInstant(date, endMin, timezone);
        // Without a DST change inside the shift, wall minutes are real minutes: no zone lookups per step.
        const plain = shiftEnd - shiftStart === (endMin - startMin) * MINUTE && localTime(new Date(shiftStart), timezone).minutes === startMin;
        for (let m = startMin; m < endMin; m += step) {
          const start = plain ? shiftStart + (m - startMin) * MINUTE : zonedInstant(date, m, timezone);
          if (start + length > shiftEnd) break;
          if (start < from || start >= to) continue;
          if (!plain) {
            const wall = localTime(new Date(start), timezone);
            if (wall.date !== date || wall.minutes !== m) continue; // a wall time the DST change skips
          }
          out.push(start);
        }
      }
    }
    date = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  }
  out.sort((a, b) => a - b);
  return out.filter((c, i) => i === 0 || c !== out[i - 1]);
}

/** Most busy intervals running at one moment inside [from, to). */
function peak(intervals: BusyTime[], from: number, to: number): number {
  const edges: [number, number][] = [];
  for (const b of intervals) {
    const s = Math.max(b.start, from);
    const e = Math.min(b.end, to);
    if (s < e) edges.push([s, 1], [e, -1]);
  }
  // Ends before starts at the same instant: back-to-back appointments do not overlap.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let depth = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (depth += d));
  return most;
}

/** Busy intervals as they block time: valid ones only, each extended by the buffer, sorted by start. */
function blocking(busy: BusyTime[], bufferMs: number): BusyTime[] {
  return busy
    .filter((b) => Number.isFinite(b.start) && Number.isFinite(b.end) && b.end > b.start)
    .map((b) => ({ start: b.start, end: b.end + bufferMs }))
    .sort((a, b) => a.start - b.start);
}

/** Free slots for an appointment of `minutes`: on the grid, inside the shifts, within notice and horizon, under capacity. */
export function freeSlots(o: FreeSlotsInput): Slot[] {
  const { schedule } = o;
  const lengthMs = Math.max(1, Math.floor(o.minutes)) * MINUTE;
  const bufferMs = Math.max(0, schedule.bufferMinutes) * MINUTE;
  const capacity = Math.max(1, schedule.capacity);
  const from = Math.max(o.from, o.now + Math.max(0, schedule.minNoticeMinutes) * MINUTE);
  const to = Math.min(o.to, o.now + Math.min(Math.max(0, schedule.horizonDays), MAX_DAYS) * DAY + 1);
  if (!(from < to)) return [];
  const busy = blocking(o.busy, bufferMs);
  const out: Slot[] = [];
  // Sweep: candidates come in time order, so intervals that ended before one candidate never matter again.
  let next = 0;
  let active: BusyTime[] = [];
  for (const start of candidates(o, from, to, lengthMs + bufferMs)) {
    const end = start + lengthMs;
    const needed = end + bufferMs;
    while (next < busy.length && busy[next]!.start < needed) active.push(busy[next++]!);
    active = active.filter((b) => b.end > start);
    if (active.length >= capacity && peak(active, start, needed) >= capacity) continue;
    out.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  }
  return out;
}

/**
 * Whether [start, end) is still bookable: a free slot of the schedule for that length. The re-check before
 * writing a booking, with the same rules as the offers (grid, shifts, holidays, notice, horizon, capacity).
 */
export function slotIsFree(o: Omit<FreeSlotsInput, 'minutes' | 'from' | 'to'> & { slot: Slot }): boolean {
  const start = Date.parse(o.slot.start);
  const end = Date.parse(o.slot.end);
  if (!(end > start)) return false;
  const minutes = (end - start) / MINUTE;
  if (!Number.isInteger(minutes)) return false;
  return freeSlots({ ...o, minutes, from: start, to: start + 1 }).some((s) => s.start === new Date(start).toISOString());
}

export interface OfferInput {
  /** The caller's wish as a window of ISO instants; null when they named none. */
  wish: { from: string; to: string } | null;
  count: number;
  timezone: string;
}

const SPREAD = 60 * MINUTE;

/** The slots to offer: the next `count` inside the wish, spread out, else the nearest after (then before) it. */
export function pickOffers(slots: Slot[], o: OfferInput): Slot[] {
  const count = Math.max(0, Math.min(Math.floor(o.count), slots.length));
  if (count === 0) return [];
  const timed = slots.map((slot) => ({ slot, at: Date.parse(slot.start) })).sort((a, b) => a.at - b.at);
  // A wish that does not read as two instants is no wish: the earliest slots are offered.
  const asked = o.wish ? { from: Date.parse(o.wish.from), to: Date.parse(o.wish.to) } : null;
  const valid = asked !== null && Number.isFinite(asked.from) && Number.isFinite(asked.to);
  const wishFrom = valid ? asked.from : -Infinity;
  const wishTo = valid ? asked.to : Infinity;
  const inside = timed.filter((s) => s.at >= wishFrom && s.at < wishTo);
  const after = timed.filter((s) => s.at >= wishTo);
  const before = timed.filter((s) => s.at < wishFrom).reverse();
  const picked: typeof timed = [];
  const day = (at: number) => localTime(new Date(at), o.timezone).date;
  const crowded = (s: (typeof timed)[number]) => picked.some((p) => Math.abs(p.at - s.at) < SPREAD && day(p.at) === day(s.at));
  for (const group of [inside, after, before]) {
    // First pass keeps offers apart; the second fills up with what is left when the group is too small.
    for (const spread of [true, false]) {
      for (const s of group) {
        if (picked.length >= count) break;
        if (picked.includes(s) || (spread && crowded(s))) continue;
        picked.push(s);
      }
    }
  }
  return picked.sort((a, b) => a.at - b.at).map((s) => s.slot);
}
