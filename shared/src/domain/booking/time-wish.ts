import * as chrono from 'chrono-node';
import type { Schedule, Slot } from '../../contract/booking.js';
import { weekdays } from '../../contract/config.js';
import { zonedInstant } from '../business-time.js';
import { clockMinutes, localTime } from '../hours.js';

/** A caller's wish: their words and the window they mean, ISO instants [from, to). */
export interface TimeWish {
  text: string;
  from: string;
  to: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** "asap" means any slot from now on: as far as a schedule's horizon can reach. */
const ASAP_DAYS = 180;
/** Several days named in one text ("Monday or Tuesday") make one window, if they are close together. */
const MAX_SPAN_DAYS = 31;

// Parts of the day, local minutes [from, to).
const PARTS: [RegExp, number, number][] = [
  [/\bmornings?\b/, 8 * 60, 12 * 60],
  [/\bafternoons?\b/, 12 * 60, 17 * 60],
  [/\b(?:evenings?|tonight|after work)\b/, 17 * 60, 20 * 60],
  [/\b(?:lunch(?:time| ?break)?|noon|midday)\b/, 11 * 60 + 30, 13 * 60 + 30],
];
const ASAP = /\b(?:asap|a\.s\.a\.p|soonest|as soon as (?:possible|you can)|earliest|any ?time|whenever|right away|(?:right )?now|first available|next available)\b/;
// A clock time in words: "3", "3pm", "10:30", "3 p.m.", "noon", "lunch".
// Not a count of something else: "after 2 weeks", "about 3 days".
const NOT_A_COUNT = String.raw`(?!\s*(?:weeks?|days?|months?|years?|hours?|hrs?|mins?|minutes?|times?)\b)`;
const CLOCK = String.raw`(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?![\d:])${NOT_A_COUNT}|(noon|midday|lunch(?:time)?|work|school)`;
const AFTER = new RegExp(String.raw`\b(?:after|past|from|later than|no earlier than)\s+(?:${CLOCK})`);
const BEFORE = new RegExp(String.raw`\b(?:before|by|until|till|til|no later than|earlier than)\s+(?:${CLOCK})`);
const BETWEEN = new RegExp(String.raw`\b(?:between|from)\s+(?:${CLOCK})\s*(?:and|to|-|–)\s*(?:${CLOCK})`);
const AROUND = new RegExp(String.raw`\b(?:around|about|approx(?:imately)?|roughly|close to)\s+(?:${CLOCK})|\b(?:${CLOCK})\s*-?ish\b`);
const NAMED: Record<string, number> = { noon: 12 * 60, midday: 12 * 60, lunch: 12 * 60, lunchtime: 12 * 60, work: 17 * 60, school: 15 * 60 };
// "after lunch" means once lunch is over; "before work" and "before school" mean early in the day.
const NAMED_AFTER: Record<string, number> = { lunch: 13 * 60, lunchtime: 13 * 60 };
const NAMED_BEFORE: Record<string, number> = { work: 9 * 60, school: 8 * 60 };
const WEEKDAY_WORD = /\b(?:sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:day|nesday|sday|urday)?\b/;

/** Texts longer than this are cut before parsing: a wish is a few words, and chrono's work grows with length. */
const MAX_TEXT = 500;

// Text-message spellings chrono does not know.
const SPELLINGS: [RegExp, string][] = [
  [/\b(?:tmrw|tmrow|tmw|tmr|tomoz|tomorow|tommorow|tommorrow|tomorro|2moro|2morrow|2mrw)\b/gi, 'tomorrow'],
  [/\b(?:2day|tday)\b/gi, 'today'],
  [/\b(?:2nite|2night|tonite)\b/gi, 'tonight'],
  [/\bnxt\b/gi, 'next'],
  [/\btues\b/gi, 'tuesday'],
  [/\bweds\b/gi, 'wednesday'],
  [/\bthur\b/gi, 'thursday'],
  [/\bwknd\b/gi, 'weekend'],
  [/\bmorn\b/gi, 'morning'],
  [/\barvo\b/gi, 'afternoon'],
];

function textSpeak(text: string): string {
  return SPELLINGS.reduce((t, [re, word]) => t.replace(re, word), text);
}

interface Span {
  index: number;
  end: number;
}

/** The zone's offset (minutes east of UTC) at `at`: chrono takes a fixed offset, not a zone name. */
function offsetAt(at: Date, timezone: string): number {
  const { date, minutes } = localTime(at, timezone);
  return Math.round((Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE - Math.floor(at.getTime() / MINUTE) * MINUTE) / MINUTE);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The first date on or after `today` whose day of the month is `day` (skipping months too short for it). */
function dayOfMonthAhead(today: string, day: number): string | null {
  if (!(day >= 1 && day <= 31)) return null;
  let [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  for (let i = 0; i < 3; i++) {
    const date = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const t = Date.parse(`${date}T12:00:00Z`);
    const real = Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === date;
    if (real && date >= today) return date;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return null;
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date.slice(0, 7)}-01T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** The first and last day of the month `date` lies in, not before `today`. */
function monthDays(date: string, today: string): [string, string] {
  const start = `${date.slice(0, 7)}-01`;
  const end = addDays(addMonths(start, 1), -1);
  return [start < today ? today : start, end];
}

function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/** The day's opening span [first shift start, last shift end], when the schedule is known. */
function openSpan(hours: Schedule['hours'] | undefined, date: string): [number, number] | null {
  const shifts = hours?.[weekdays[weekdayOf(date)]!] ?? [];
  if (shifts.length === 0) return null;
  return [Math.min(...shifts.map(([s]) => clockMinutes(s))), Math.max(...shifts.map(([, e]) => clockMinutes(e)))];
}

/**
 * Local minutes for a clock time. A bare hour ("after 3", "at 10") is the one inside the day's hours, or without
 * hours the afternoon for 1–7 and the morning for 8–11: people book 3 pm, not 3 am.
 */
function clockMinutesOf(h: number, min: number, meridiem: 'a' | 'p' | null, open: [number, number] | null): number | null {
  if (!(Number.isInteger(h) && h >= 0 && h <= 24 && min >= 0 && min < 60)) return null;
  if (meridiem && h >= 1 && h <= 12) return ((h % 12) + (meridiem === 'p' ? 12 : 0)) * 60 + min;
  if (h >= 1 && h <= 11) {
    const am = h * 60 + min;
    const within = (t: number) => open !== null && open[0] <= t && t <= open[1];
    if ((within(am + 720) && !within(am)) || (!within(am) && h <= 7)) return am + 720;
  }
  return h * 60 + min;
}

/** The clock time of a regex match whose CLOCK groups start at `i`. */
function clockFrom(m: RegExpExecArray, i: number, open: [number, number] | null, side: 'after' | 'before' | 'at'): number | null {
  const named = m[i + 3];
  if (named) return (side === 'after' ? NAMED_AFTER[named] : side === 'before' ? NAMED_BEFORE[named] : undefined) ?? NAMED[named] ?? null;
  const meridiem = m[i + 2]?.[0];
  return clockMinutesOf(Number(m[i]), m[i + 1] ? Number(m[i + 1]) : 0, meridiem === 'a' || meridiem === 'p' ? meridiem : null, open);
}

interface Part {
  from: number;
  to: number;
  span: Span;
}

/** The part of the day named in the text, as local minutes, given the day's opening hours (for bare hours). */
function partOfDay(lower: string, open: [number, number] | null): Part | null {
  const dayStart = open?.[0] ?? 0;
  const dayEnd = open?.[1] ?? 24 * 60;
  const span = (m: RegExpExecArray) => ({ index: m.index, end: m.index + m[0].length });
  const between = BETWEEN.exec(lower);
  if (between) {
    const a = clockFrom(between, 1, open, 'after');
    let b = clockFrom(between, 5, open, 'before');
    // "between 11 and 1": the second hour is after the first.
    if (a !== null && b !== null && b <= a && b + 12 * 60 <= 24 * 60 && !between[7]) b += 12 * 60;
    if (a !== null && b !== null && a < b) return { from: a, to: b, span: span(between) };
  }
  const around = AROUND.exec(lower);
  if (around) {
    const t = around[1] !== undefined || around[4] !== undefined ? clockFrom(around, 1, open, 'at') : clockFrom(around, 5, open, 'at');
    if (t !== null) return { from: Math.max(0, t - 60), to: Math.min(24 * 60, t + 60), span: span(around) };
  }
  const after = AFTER.exec(lower);
  const before = BEFORE.exec(lower);
  const a = after ? clockFrom(after, 1, open, 'after') : null;
  const b = before ? clockFrom(before, 1, open, 'before') : null;
  if (a !== null && b !== null && a < b) {
    return { from: a, to: b, span: { index: Math.min(after!.index, before!.index), end: Math.max(span(after!).end, span(before!).end) } };
  }
  if (a !== null) return { from: a, to: Math.max(dayEnd, a + 60), span: span(after!) };
  if (b !== null) return { from: Math.min(dayStart, Math.max(0, b - 60)), to: b, span: span(before!) };
  for (const [re, from, to] of PARTS) {
    const m = re.exec(lower);
    if (m) return { from, to, span: span(m) };
  }
  return null;
}

/** Words that look like dates to chrono but are not, in a text message ("yes I may", "the sun"). */
function isFalseDate(text: string): boolean {
  return /^(?:may|sun|march|now|second|sec)$/.test(text.trim());
}

/**
 * The window of time a caller asks for, in the location's zone: "tomorrow after 3", "next Tue morning", "Friday",
 * "asap". Null when the text names no time. chrono finds the days; the parts of the day are ours, and so is
 * the arithmetic: chrono is given the zone's offset at `now` and only its calendar fields are used, so a window
 * across a DST change keeps its wall-clock hours and the host's own zone never leaks in (chrono #553).
 */
export function timeWish(said: string, o: { now: Date; timezone: string; hours?: Schedule['hours'] }): TimeWish | null {
  const text = textSpeak(said.slice(0, MAX_TEXT));
  const lower = text.toLowerCase();
  const now = o.now.getTime();
  const local = localTime(o.now, o.timezone);
  const today = local.date;
  const spans: Span[] = [];
  let first: string | null = null;
  let last: string | null = null;

  const nextWeek = /\b(?:(early|late|end of) )?next week\b/.exec(lower);
  const thisWeek = /\b(?:this|rest of the) week\b/.exec(lower);
  const weekend = /\b(?:this |next |the )?weekend\b/.exec(lower);
  const month = /\b(this|next) month\b/.exec(lower);
  if (!WEEKDAY_WORD.test(lower) && (nextWeek || thisWeek || weekend)) {
    const wd = weekdayOf(today);
    if (nextWeek) {
      const monday = addDays(today, (8 - wd) % 7 || 7);
      // Early: Monday to Wednesday; late or the end: Thursday to Sunday.
      first = nextWeek[1] && nextWeek[1] !== 'early' ? addDays(monday, 3) : monday;
      last = nextWeek[1] === 'early' ? addDays(monday, 2) : addDays(monday, 6);
    } else if (thisWeek) {
      first = today;
      last = addDays(today, (7 - wd) % 7);
    } else {
      first = wd === 0 ? today : addDays(today, 6 - wd);
      last = addDays(today, wd === 0 ? 0 : 7 - wd);
    }
    const m = (nextWeek ?? thisWeek ?? weekend)!;
    spans.push({ index: m.index, end: m.index + m[0].length });
  } else if (month && !WEEKDAY_WORD.test(lower) && !/\d/.test(lower)) {
    [first, last] = monthDays(month[1] === 'next' ? addMonths(today, 1) : today, today);
    spans.push({ index: month.index, end: month.index + month[0].length });
  } else {
    const results = chrono.parse(text, { instant: o.now, timezone: offsetAt(o.now, o.timezone) }, { forwardDate: true });
    const dates: string[] = [];
    for (const r of results) {
      if (isFalseDate(r.text)) continue;
      const c = r.start;
      if (!(c.isCertain('day') || c.isCertain('weekday') || c.isCertain('month'))) continue;
      let date = `${String(c.get('year')).padStart(4, '0')}-${String(c.get('month')).padStart(2, '0')}-${String(c.get('day')).padStart(2, '0')}`;
      // A month alone ("in January") is the whole month, from today on.
      if (c.isCertain('month') && !c.isCertain('day') && !c.isCertain('weekday')) {
        dates.push(...monthDays(date, today));
        spans.push({ index: r.index, end: r.index + r.text.length });
        continue;
      }
      // A bare weekday is the coming one (today until noon, as chrono means it), worked out here from the local
      // date: chrono's own forward step compares in the host's zone and may land a week off (#553).
      if (c.isCertain('weekday') && !c.isCertain('day') && !/\b(?:next|last|past|previous)\b/.test(r.text.toLowerCase())) {
        const ahead = (c.get('weekday')! - weekdayOf(today) + 7) % 7;
        date = addDays(today, ahead === 0 && local.minutes >= 12 * 60 ? 7 : ahead);
      }
      dates.push(date);
      if (r.end && (r.end.isCertain('day') || r.end.isCertain('weekday'))) {
        dates.push(`${r.end.get('year')}-${String(r.end.get('month')).padStart(2, '0')}-${String(r.end.get('day')).padStart(2, '0')}`);
      }
      spans.push({ index: r.index, end: r.index + r.text.length });
    }
    // "on the 10th": chrono needs a month; the next date with that day of the month. Only after "on"/"for"/"by":
    // a bare "the 2nd" is more often the second of the times offered.
    const nth = dates.length === 0 ? /\b(?:on|for|by) the (\d{1,2})(?:st|nd|rd|th)\b(?!\s*(?:one|option|choice|slot|time)s?\b)/.exec(lower) : null;
    if (nth) {
      const date = dayOfMonthAhead(today, Number(nth[1]));
      if (date) {
        dates.push(date);
        spans.push({ index: nth.index, end: nth.index + nth[0].length });
      }
    }
    if (dates.length > 0) {
      let lo: string = dates[0]!;
      let hi: string = lo;
      for (const d of dates.slice(1)) {
        const a = d < lo ? d : lo;
        const b = d > hi ? d : hi;
        if (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`) < MAX_SPAN_DAYS * DAY) [lo, hi] = [a, b];
      }
      [first, last] = [lo, hi];
    }
    // A clock time chrono found without a day ("3pm"), or with one ("Friday at 10"): an hour from it.
    const timed = results.find((r) => r.start.isCertain('hour') && !isFalseDate(r.text));
    if (timed && !partOfDay(lower, openSpan(o.hours, first ?? today))) {
      const open = openSpan(o.hours, first ?? today);
      const minutesOf = (c: chrono.ParsedComponents) =>
        clockMinutesOf(c.get('hour')!, c.get('minute') ?? 0, c.isCertain('meridiem') ? (c.get('meridiem') === 1 ? 'p' : 'a') : null, open);
      const from = minutesOf(timed.start) ?? 0;
      const endsAt = timed.end?.isCertain('hour') ? minutesOf(timed.end) : null;
      spans.push({ index: timed.index, end: timed.index + timed.text.length });
      return windowOf(text, spans, o, first ?? null, last ?? null, { from, to: endsAt !== null && endsAt > from ? endsAt : from + 60 });
    }
  }

  const part = first === null || first === last ? partOfDay(lower, openSpan(o.hours, first ?? today)) : null;
  if (part) spans.push(part.span);
  if (first === null && !part) {
    const asap = ASAP.exec(lower);
    if (!asap) return null;
    return { text: text.slice(asap.index, asap.index + asap[0].length), from: new Date(now).toISOString(), to: new Date(now + ASAP_DAYS * DAY).toISOString() };
  }
  return windowOf(text, spans, o, first, last, part);
}

/** The window for days [first, last] (today or the next day the part is still ahead when none) and a part of the day. */
function windowOf(text: string, spans: Span[], o: { now: Date; timezone: string }, first: string | null, last: string | null, part: { from: number; to: number } | null): TimeWish {
  const now = o.now.getTime();
  const at = (date: string, minutes: number) => zonedInstant(date, minutes, o.timezone);
  if (first === null || last === null) {
    const today = localTime(o.now, o.timezone).date;
    first = last = part && at(today, part.to) <= now ? addDays(today, 1) : today;
  }
  let from = at(first, part?.from ?? 0);
  const to = at(last, part?.to ?? 24 * 60);
  // Asked for today: the window starts now, not earlier in the day.
  if (from < now && now < to) from = now;
  const index = Math.min(...spans.map((s) => s.index));
  const end = Math.max(...spans.map((s) => s.end));
  const words = spans.length > 0 ? text.slice(index, end).trim().replace(/[\s,.;:!?]+$/, '') : text.trim();
  return { text: words, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

const labels = new Map<string, Intl.DateTimeFormat>();
function labelFormat(timezone: string): Intl.DateTimeFormat {
  let f = labels.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true });
    labels.set(timezone, f);
  }
  return f;
}

/** How a slot reads in a text: "Tue Dec 8, 9:00 AM", or "Today, 3:30 PM" / "Tomorrow, 9:00 AM". */
export function slotLabel(slot: Slot, timezone: string, now: Date): string {
  const start = new Date(slot.start);
  const parts: Record<string, string> = {};
  for (const p of labelFormat(timezone).formatToParts(start)) parts[p.type] = p.value;
  const time = `${parts.hour}:${parts.minute} ${(parts.dayPeriod ?? '').toUpperCase()}`.trim();
  const date = localTime(start, timezone).date;
  const today = localTime(now, timezone).date;
  if (date === today) return `Today, ${time}`;
  if (date === addDays(today, 1)) return `Tomorrow, ${time}`;
  return `${parts.weekday} ${parts.month} ${parts.day}, ${time}`;
}
