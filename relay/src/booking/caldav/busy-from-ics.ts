import ICAL from 'ical.js';
import { zonedInstant } from '@ringback/shared';
import type { BusyInterval } from '../calendar-port.js';

/** Occurrences read per recurring series at most: a degenerate rule (every second since 1970) cannot stall a read. */
export const MAX_OCCURRENCES = 20_000;

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type Event = InstanceType<typeof ICAL.Event>;

const knownZones = new Map<string, boolean>();
/** Whether the platform's time-zone data knows this TZID (IANA names like America/Chicago). */
function isIanaZone(tzid: string): boolean {
  let known = knownZones.get(tzid);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tzid });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(tzid, known);
  }
  return known;
}

/** Offsets run from UTC-12 to UTC+14. */
const ZONE_SLACK = 15 * 3_600_000;

/** The wall-clock reading as if it were UTC: within ZONE_SLACK of the real instant, and cheap. */
const wallMs = (t: Time) => Date.UTC(t.year, t.month - 1, t.day, t.isDate ? 0 : t.hour, t.isDate ? 0 : t.minute, t.isDate ? 0 : t.second);

/**
 * The instant of an iCalendar time. All-day dates mean the location's local day; UTC times are exact;
 * a TZID the platform knows is converted with its own rules (fuller than a VTIMEZONE that only lists
 * recent years); otherwise the object's VTIMEZONE; floating times are the location's wall clock.
 */
function instant(t: Time, tzid: string | null, locationZone: string): number {
  // Date.UTC normalises fields ical.js may leave overflowing (day 32 after "end = start + 1 day").
  const wall = wallMs(t);
  const date = new Date(wall).toISOString().slice(0, 10);
  const msOfDay = wall - Date.parse(`${date}T00:00:00Z`);
  const local = (zone: string) => zonedInstant(date, Math.floor(msOfDay / 60_000), zone) + (msOfDay % 60_000);
  if (t.isDate) return local(locationZone);
  if (t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === 'UTC') return wall;
  if (tzid && isIanaZone(tzid)) return local(tzid);
  if (t.zone && t.zone !== ICAL.Timezone.localTimezone && t.zone.component) return t.toUnixTime() * 1000;
  return local(locationZone);
}

const tzidOf = (c: Component, prop: 'dtstart' | 'dtend'): string | null => {
  const p = c.getFirstProperty(prop) ?? (prop === 'dtend' ? c.getFirstProperty('dtstart') : null);
  const tzid = p?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : null;
};

/** Transparent ("free") and cancelled events do not block time. */
function blocks(c: Component): boolean {
  const transp = String(c.getFirstPropertyValue('transp') ?? '').toUpperCase();
  const status = String(c.getFirstPropertyValue('status') ?? '').toUpperCase();
  return transp !== 'TRANSPARENT' && status !== 'CANCELLED';
}

/** Clip to [from, to), drop what is empty, sort, and merge overlapping or touching stretches. */
export function clipAndMerge(intervals: BusyInterval[], from: number, to: number): BusyInterval[] {
  const clipped = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  const merged: BusyInterval[] = [];
  for (const i of clipped) {
    const last = merged.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

export interface BusyRead {
  intervals: BusyInterval[];
  /** Calendar objects that could not be parsed (left out; the adapter logs how many). */
  unreadable: number;
}

/**
 * Busy time in [from, to) from the events of calendar objects (iCalendar texts, as a calendar-query
 * returns them): recurring series expanded with their EXDATEs and moved or cancelled occurrences,
 * transparent and cancelled events skipped, all-day events blocking their whole local day.
 */
export function busyFromIcs(objects: string[], from: number, to: number, locationZone: string): BusyRead {
  const out: BusyInterval[] = [];
  let unreadable = 0;
  for (const text of objects) {
    let events: Component[];
    try {
      events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    } catch {
      unreadable++;
      continue;
    }
    // A series is its master plus overrides (RECURRENCE-ID) sharing its UID, possibly in one object.
    const series = new Map<string, { master: Component | null; overrides: Component[] }>();
    for (const [n, c] of events.entries()) {
      const uid = String(c.getFirstPropertyValue('uid') ?? `#${n}`);
      const s = series.get(uid) ?? { master: null, overrides: [] };
      if (c.hasProperty('recurrence-id')) s.overrides.push(c);
      else s.master = c;
      series.set(uid, s);
    }
    try {
      for (const { master, overrides } of series.values()) {
        if (!master) {
          for (const o of overrides) single(o);
          continue;
        }
        const event = new ICAL.Event(master, { exceptions: overrides });
        if (event.isRecurring()) expand(event, overrides);
        else single(master);
      }
    } catch {
      unreadable++;
    }
  }
  return { intervals: clipAndMerge(out, from, to), unreadable };

  function single(c: Component): void {
    if (!c.hasProperty('dtstart') || !blocks(c)) return;
    const e = new ICAL.Event(c);
    out.push({ start: instant(e.startDate, tzidOf(c, 'dtstart'), locationZone), end: instant(e.endDate, tzidOf(c, 'dtend'), locationZone) });
  }

  /**
   * A daily or weekly series without COUNT repeats the same way from any start a whole number of periods
   * later: start there, shortly before the window, instead of at a DTSTART years back. (That start is
   * yielded even if the rule would not pick it, but it lies before the window.)
   */
  function fastForward(event: Event, length: number): Time | undefined {
    const rules = event.component.getAllProperties('rrule');
    if (rules.length !== 1) return undefined;
    const rule = rules[0]!.getFirstValue() as InstanceType<typeof ICAL.Recur>;
    if (rule.count || (rule.freq !== 'DAILY' && rule.freq !== 'WEEKLY')) return undefined;
    const periodDays = (rule.interval || 1) * (rule.freq === 'DAILY' ? 1 : 7);
    const k = Math.floor((from - ZONE_SLACK - length - wallMs(event.startDate)) / (periodDays * 86_400_000));
    if (k < 2) return undefined;
    const moved = event.startDate.clone();
    moved.adjust(k * periodDays, 0, 0, 0);
    return moved;
  }

  function expand(event: Event, overrides: Component[]): void {
    const zone = tzidOf(event.component, 'dtstart');
    const length = event.duration.toSeconds() * 1000;
    const it = event.iterator(fastForward(event, length));
    // Wall-clock readings are within a zone's offset of the instant: occurrences clearly outside the window
    // are passed over without converting them, which keeps a long-running daily series cheap.
    let skippedUpTo = -Infinity;
    let stoppedAt = Infinity;
    for (let n = 0; n < MAX_OCCURRENCES; n++) {
      const next = it.next();
      if (!next) break;
      const approx = wallMs(next);
      if (approx + length + ZONE_SLACK < from) {
        skippedUpTo = approx;
        continue;
      }
      if (approx - ZONE_SLACK >= to || instant(next, zone, locationZone) >= to) {
        stoppedAt = approx;
        break;
      }
      const d = event.getOccurrenceDetails(next);
      const item = d.item.component;
      if (!blocks(item)) continue;
      const itemZone = item === event.component ? zone : tzidOf(item, 'dtstart');
      out.push({ start: instant(d.startDate, itemZone, locationZone), end: instant(d.endDate, itemZone, locationZone) });
    }
    // An occurrence due outside the window but moved into it is read from its override.
    for (const o of overrides) {
      const rid = o.getFirstPropertyValue('recurrence-id') as Time | null;
      if (!rid) continue;
      const at = wallMs(rid);
      if (at <= skippedUpTo || at >= stoppedAt) single(o);
    }
  }
}
