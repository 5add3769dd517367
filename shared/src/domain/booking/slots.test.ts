import { describe, expect, it } from 'vitest';
import { scheduleSchema, type Schedule, type Slot } from '../../contract/booking.js';
import { freeSlots, pickOffers, slotIsFree } from './slots.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const chicago = 'America/Chicago';
const london = 'Europe/London';
// December 2026 in Chicago is CST, UTC-6: local 09:00 is 15:00Z. 2026-12-07 is a Monday.
const cst = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00-06:00`);
const iso = (t: number) => new Date(t).toISOString();
const starts = (slots: Slot[]) => slots.map((s) => s.start);

function schedule(extra: Partial<Schedule>): Schedule {
  return scheduleSchema.parse({ hours: {}, minNoticeMinutes: 0, ...extra });
}

function slots(s: Schedule, o: { minutes: number; busy?: { start: number; end: number }[]; from: number; to: number; now?: number; timezone?: string }) {
  return freeSlots({ schedule: s, timezone: o.timezone ?? chicago, minutes: o.minutes, busy: o.busy ?? [], from: o.from, to: o.to, now: o.now ?? o.from });
}

describe('freeSlots', () => {
  const mon = (hhmm: string) => iso(cst('2026-12-07', hhmm));
  const day = { from: cst('2026-12-07', '00:00'), to: cst('2026-12-08', '00:00') };

  it('offers the grid inside the shift where the appointment fits', () => {
    const s = schedule({ hours: { mon: [['09:00', '12:00']] } });
    expect(starts(slots(s, { minutes: 60, ...day }))).toEqual([mon('09:00'), mon('09:30'), mon('10:00'), mon('10:30'), mon('11:00')]);
    expect(slots(s, { minutes: 60, ...day })[0]).toEqual({ start: '2026-12-07T15:00:00.000Z', end: '2026-12-07T16:00:00.000Z' });
  });

  it('counts the grid from the shift start, across two shifts a day', () => {
    const s = schedule({ hours: { mon: [['13:15', '14:30'], ['08:15', '09:30']] }, stepMinutes: 30 });
    expect(starts(slots(s, { minutes: 30, ...day }))).toEqual([mon('08:15'), mon('08:45'), mon('13:15'), mon('13:45')]);
  });

  it('leaves out slots overlapping a busy interval, but not back-to-back ones', () => {
    const s = schedule({ hours: { mon: [['09:00', '12:00']] } });
    const busy = [{ start: cst('2026-12-07', '10:00'), end: cst('2026-12-07', '11:00') }];
    expect(starts(slots(s, { minutes: 60, busy, ...day }))).toEqual([mon('09:00'), mon('11:00')]);
  });

  it('keeps the buffer free after busy time and after the new appointment, inside the shift', () => {
    const s = schedule({ hours: { mon: [['08:00', '13:00']] }, bufferMinutes: 15 });
    const busy = [{ start: cst('2026-12-07', '10:00'), end: cst('2026-12-07', '11:00') }];
    // 09:30 would run its buffer to 10:15; 11:00 sits in the busy buffer (to 11:15); 12:30 + 30 + 15 > 13:00.
    expect(starts(slots(s, { minutes: 30, busy, ...day }))).toEqual([mon('08:00'), mon('08:30'), mon('09:00'), mon('11:30'), mon('12:00')]);
  });

  it('allows `capacity` appointments at once, counting the ones running at the same moment', () => {
    const s = schedule({ hours: { mon: [['09:00', '12:00']] }, capacity: 2 });
    const a = { start: cst('2026-12-07', '09:00'), end: cst('2026-12-07', '10:00') };
    const b = { start: cst('2026-12-07', '10:00'), end: cst('2026-12-07', '11:00') };
    // a and b never run together: every slot still has a free chair.
    expect(slots(s, { minutes: 60, busy: [a, b], ...day })).toHaveLength(5);
    const c = { start: cst('2026-12-07', '09:30'), end: cst('2026-12-07', '10:30') };
    expect(starts(slots(s, { minutes: 60, busy: [b, c, a], ...day }))).toEqual([mon('10:30'), mon('11:00')]);
    const one = schedule({ hours: { mon: [['09:00', '12:00']] }, capacity: 1 });
    expect(starts(slots(one, { minutes: 60, busy: [a, b], ...day }))).toEqual([mon('11:00')]);
  });

  it('offers a start once when shifts overlap, and nothing when the appointment is longer than the shift', () => {
    const s = schedule({ hours: { mon: [['09:00', '11:00'], ['10:00', '11:30']] }, stepMinutes: 30 });
    expect(starts(slots(s, { minutes: 60, ...day }))).toEqual([mon('09:00'), mon('09:30'), mon('10:00'), mon('10:30')]);
    expect(slots(s, { minutes: 180, ...day })).toEqual([]);
  });

  it('applies buffers and capacity together', () => {
    // Two chairs, 15 minutes to clean up: a 09:00–09:45 and a 09:30–10:15 appointment hold both chairs until 10:00.
    const s = schedule({ hours: { mon: [['09:00', '12:00']] }, capacity: 2, bufferMinutes: 15, stepMinutes: 15 });
    const busy = [
      { start: cst('2026-12-07', '09:00'), end: cst('2026-12-07', '09:45') },
      { start: cst('2026-12-07', '09:30'), end: cst('2026-12-07', '10:15') },
    ];
    const got = starts(slots(s, { minutes: 30, busy, ...day }));
    // With buffers the two block [09:00, 10:00) and [09:30, 10:30): both chairs are taken 09:30–10:00, which every
    // start before 10:00 would need (09:00 runs with its buffer to 09:45). From 10:00 one chair is free again.
    expect(got.slice(0, 3)).toEqual([mon('10:00'), mon('10:15'), mon('10:30')]);
    // Without the buffers 09:00 would fit: it is the buffers that block it.
    const bare = schedule({ hours: { mon: [['09:00', '12:00']] }, capacity: 2, stepMinutes: 15 });
    expect(starts(slots(bare, { minutes: 30, busy, ...day }))[0]).toBe(mon('09:00'));
    expect(got.at(-1)).toBe(mon('11:15'));
  });

  it('offers nothing on a holiday', () => {
    const s = schedule({ hours: { mon: [['09:00', '12:00']], tue: [['09:00', '10:00']] }, holidays: ['2026-12-07'] });
    const to = cst('2026-12-09', '00:00');
    expect(starts(slots(s, { minutes: 60, from: day.from, to }))).toEqual([iso(cst('2026-12-08', '09:00'))]);
  });

  it('respects the minimum notice and the horizon', () => {
    const s = schedule({ hours: { mon: [['09:00', '12:00']], tue: [['09:00', '12:00']] }, minNoticeMinutes: 60, horizonDays: 1 });
    const now = cst('2026-12-07', '09:10');
    const got = starts(slots(s, { minutes: 60, from: day.from, to: cst('2026-12-20', '00:00'), now }));
    // Not before 10:10 today; not after 09:10 tomorrow.
    expect(got).toEqual([mon('10:30'), mon('11:00'), iso(cst('2026-12-08', '09:00'))]);
  });

  it('returns nothing for an empty range or a schedule with no hours', () => {
    const s = schedule({ hours: { mon: [['09:00', '12:00']] } });
    expect(slots(s, { minutes: 60, from: day.to, to: day.from })).toEqual([]);
    expect(slots(schedule({ hours: {} }), { minutes: 60, ...day })).toEqual([]);
  });

  it('fits a shift ending at midnight', () => {
    const s = schedule({ hours: { mon: [['22:00', '24:00']] } });
    expect(starts(slots(s, { minutes: 60, from: day.from, to: cst('2026-12-09', '00:00') }))).toEqual([mon('22:00'), mon('22:30'), mon('23:00')]);
  });

  it('ignores busy intervals that are empty, reversed or not numbers', () => {
    const s = schedule({ hours: { mon: [['09:00', '10:00']] } });
    const t = cst('2026-12-07', '09:00');
    const busy = [{ start: t, end: t }, { start: t + HOUR, end: t }, { start: NaN, end: t + HOUR }];
    expect(starts(slots(s, { minutes: 60, busy, ...day }))).toEqual([mon('09:00')]);
  });

  it('keeps wall-clock hours across the US DST changes (2026-03-08, 2026-11-01)', () => {
    const s = schedule({ hours: { sat: [['09:00', '10:00']], sun: [['09:00', '10:00']] } });
    const from = Date.parse('2026-03-07T00:00:00Z');
    // Saturday 09:00 CST = 15:00Z; Sunday 09:00 CDT = 14:00Z.
    expect(starts(slots(s, { minutes: 30, from, to: from + 3 * 24 * HOUR }))).toEqual([
      '2026-03-07T15:00:00.000Z',
      '2026-03-07T15:30:00.000Z',
      '2026-03-08T14:00:00.000Z',
      '2026-03-08T14:30:00.000Z',
    ]);
    const fall = Date.parse('2026-10-31T00:00:00Z');
    // Saturday 09:00 CDT = 14:00Z; Sunday 09:00 CST = 15:00Z.
    expect(starts(slots(s, { minutes: 60, from: fall, to: fall + 3 * 24 * HOUR }))).toEqual(['2026-10-31T14:00:00.000Z', '2026-11-01T15:00:00.000Z']);
  });

  it('skips the hour clocks jump over and offers a repeated hour once', () => {
    const s = schedule({ hours: { sun: [['00:00', '06:00']] }, stepMinutes: 60 });
    const spring = Date.parse('2026-03-08T00:00:00Z');
    // 00:00 and 01:00 CST (UTC-6), no 02:00, then 03:00–05:00 CDT (UTC-5); the shift is 5 real hours long.
    expect(starts(slots(s, { minutes: 60, from: spring, to: spring + 24 * HOUR }))).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
      '2026-03-08T09:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
    ]);
    const night = schedule({ hours: { sun: [['00:00', '03:00']] } });
    const fall = Date.parse('2026-11-01T00:00:00Z');
    // 00:00–01:30 CDT (UTC-5), 01:00 repeats, 02:00 and 02:30 CST (UTC-6); the shift ends 03:00 CST = 09:00Z.
    const got = slots(night, { minutes: 30, from: fall, to: fall + 24 * HOUR });
    expect(starts(got)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T08:00:00.000Z',
      '2026-11-01T08:30:00.000Z',
    ]);
    // Every slot lasts the service's real length.
    for (const slot of got) expect(Date.parse(slot.end) - Date.parse(slot.start)).toBe(30 * MIN);
  });

  it('keeps wall-clock hours across the UK DST changes (2026-03-29, 2026-10-25)', () => {
    const s = schedule({ hours: { sat: [['09:00', '09:30']], sun: [['09:00', '09:30']] } });
    const spring = Date.parse('2026-03-28T00:00:00Z');
    expect(starts(slots(s, { minutes: 30, from: spring, to: spring + 2 * 24 * HOUR, timezone: london }))).toEqual([
      '2026-03-28T09:00:00.000Z', // GMT
      '2026-03-29T08:00:00.000Z', // BST
    ]);
    const fall = Date.parse('2026-10-24T00:00:00Z');
    expect(starts(slots(s, { minutes: 30, from: fall, to: fall + 2 * 24 * HOUR, timezone: london }))).toEqual([
      '2026-10-24T08:00:00.000Z',
      '2026-10-25T09:00:00.000Z',
    ]);
  });

  it('stays bounded for absurd inputs', () => {
    const always = { sun: [['00:00', '24:00']], mon: [['00:00', '24:00']], tue: [['00:00', '24:00']], wed: [['00:00', '24:00']], thu: [['00:00', '24:00']], fri: [['00:00', '24:00']], sat: [['00:00', '24:00']] } as Schedule['hours'];
    const s = { ...schedule({ hours: always, stepMinutes: 5 }), horizonDays: 1e9, stepMinutes: 0 };
    const now = cst('2026-12-07', '00:00');
    const busy = Array.from({ length: 5000 }, (_, i) => ({ start: now + i * 7 * MIN, end: now + i * 7 * MIN + 3 * MIN }));
    const t0 = performance.now();
    const got = freeSlots({ schedule: s, timezone: chicago, minutes: 5, busy, from: 0, to: 1e15, now });
    expect(performance.now() - t0).toBeLessThan(5000);
    // At most 400 days of a 5-minute grid.
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(400 * 288);
    expect(Date.parse(got.at(-1)!.start)).toBeLessThanOrEqual(now + 400 * 24 * HOUR);
  });
});

describe('freeSlots against a minute-by-minute count', () => {
  // A small seeded generator, so a failure names a case that can be replayed.
  function random(seed: number) {
    let x = seed >>> 0 || 1;
    return (n: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
  }

  it('agrees on 300 random days of shifts, bookings, buffers and capacity', () => {
    const date = '2026-12-07'; // a Monday in CST: no DST change, so wall minutes are real minutes
    const midnight = cst(date, '00:00');
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const shifts: [string, string][] = [];
      for (let i = 0; i <= r(2); i++) {
        const a = 6 * 60 + r(48) * 15;
        shifts.push([clock(a), clock(Math.min(24 * 60, a + 60 + r(24) * 15))]);
      }
      const s = schedule({ hours: { mon: shifts }, capacity: 1 + r(3), bufferMinutes: [0, 5, 10, 15][r(4)]!, stepMinutes: [10, 15, 20, 30][r(4)]! });
      const minutes = [15, 20, 30, 45, 60][r(5)]!;
      const busy = Array.from({ length: r(12) }, () => {
        const a = midnight + (5 * 60 + r(18 * 12) * 5) * MIN;
        return { start: a, end: a + (5 + r(24) * 5) * MIN };
      });
      const now = midnight + r(14 * 60) * MIN;
      const got = new Set(starts(freeSlots({ schedule: s, timezone: chicago, minutes, busy, from: midnight, to: midnight + 24 * HOUR, now })));

      // The rule stated directly: every minute the appointment and its buffer need has fewer than `capacity`
      // appointments (each with its buffer) running.
      const want = new Set<string>();
      const running = (t: number) => busy.filter((b) => b.start <= t && t < b.end + s.bufferMinutes * MIN).length;
      for (const [a, b] of shifts) {
        const [from, to] = [a, b].map((c) => Number(c.slice(0, 2)) * 60 + Number(c.slice(3)));
        for (let m = from!; m + minutes + s.bufferMinutes <= to!; m += s.stepMinutes) {
          const start = midnight + m * MIN;
          if (start < now + s.minNoticeMinutes * MIN) continue;
          let free = true;
          for (let t = start; t < start + (minutes + s.bufferMinutes) * MIN && free; t += MIN) free = running(t) < s.capacity;
          if (free) want.add(iso(start));
        }
      }
      expect([...got].sort(), `seed ${seed}`).toEqual([...want].sort());
    }
  });
});

describe('slotIsFree', () => {
  const s = schedule({ hours: { mon: [['09:00', '12:00']] } });
  const now = cst('2026-12-06', '12:00');
  const slot = { start: iso(cst('2026-12-07', '10:00')), end: iso(cst('2026-12-07', '11:00')) };
  it('accepts a free slot and refuses a taken, off-grid, too long or past one', () => {
    expect(slotIsFree({ schedule: s, timezone: chicago, busy: [], now, slot })).toBe(true);
    const busy = [{ start: cst('2026-12-07', '10:30'), end: cst('2026-12-07', '10:45') }];
    expect(slotIsFree({ schedule: s, timezone: chicago, busy, now, slot })).toBe(false);
    const offGrid = { start: iso(cst('2026-12-07', '10:10')), end: iso(cst('2026-12-07', '11:10')) };
    expect(slotIsFree({ schedule: s, timezone: chicago, busy: [], now, slot: offGrid })).toBe(false);
    const late = { start: iso(cst('2026-12-07', '11:30')), end: iso(cst('2026-12-07', '12:30')) };
    expect(slotIsFree({ schedule: s, timezone: chicago, busy: [], now, slot: late })).toBe(false);
    expect(slotIsFree({ schedule: s, timezone: chicago, busy: [], now: cst('2026-12-07', '10:30'), slot })).toBe(false);
  });
});

describe('pickOffers', () => {
  const tue = (hhmm: string) => iso(cst('2026-12-08', hhmm));
  // Tuesday every half hour 09:00–16:30, 30-minute appointments.
  const day: Slot[] = [];
  for (let m = 9 * 60; m < 17 * 60; m += 30) {
    const t = cst('2026-12-08', '00:00') + m * MIN;
    day.push({ start: iso(t), end: iso(t + 30 * MIN) });
  }
  const wish = (from: string, to: string) => ({ from: tue(from), to: tue(to) });

  it('spreads the earliest offers an hour apart', () => {
    expect(starts(pickOffers(day, { wish: null, count: 3, timezone: chicago }))).toEqual([tue('09:00'), tue('10:00'), tue('11:00')]);
  });

  it('offers inside the wish', () => {
    expect(starts(pickOffers(day, { wish: wish('12:00', '17:00'), count: 3, timezone: chicago }))).toEqual([tue('12:00'), tue('13:00'), tue('14:00')]);
  });

  it('fills a small wish with close slots, then the nearest after it', () => {
    // Inside 13:00–14:00 only 13:00 and 13:30; then 14:30 (an hour after 13:30).
    expect(starts(pickOffers(day, { wish: wish('13:00', '14:00'), count: 3, timezone: chicago }))).toEqual([tue('13:00'), tue('13:30'), tue('14:30')]);
  });

  it('falls back to the nearest before the wish when nothing is after it', () => {
    expect(starts(pickOffers(day, { wish: wish('20:00', '22:00'), count: 2, timezone: chicago }))).toEqual([tue('15:30'), tue('16:30')]);
  });

  it('does not spread slots on different days and sorts by time', () => {
    const two = [day[15]!, { start: iso(cst('2026-12-09', '09:00')), end: iso(cst('2026-12-09', '09:30')) }, day[14]!];
    expect(starts(pickOffers(two, { wish: null, count: 5, timezone: chicago }))).toEqual([tue('16:00'), tue('16:30'), iso(cst('2026-12-09', '09:00'))]);
    expect(pickOffers(day, { wish: null, count: 0, timezone: chicago })).toEqual([]);
    expect(starts(pickOffers(day, { wish: { from: 'soon', to: '' }, count: 2, timezone: chicago }))).toEqual([tue('09:00'), tue('10:00')]);
    expect(pickOffers([], { wish: null, count: 3, timezone: chicago })).toEqual([]);
  });
});
