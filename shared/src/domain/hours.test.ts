import { describe, it, expect, afterEach } from 'vitest';
import type { Hours } from '../contract/config.js';
import { clockMinutes, inWindow, isOpen, localTime, nextWindowEnd, startOfLocalDay } from './hours.js';

const at = (iso: string) => new Date(iso);
const CHI = 'America/Chicago';
const NY = 'America/New_York';

describe('localTime', () => {
  it('reads the wall clock in the zone', () => {
    expect(localTime(at('2026-01-06T14:30:00Z'), CHI)).toEqual({ weekday: 'tue', minutes: 8 * 60 + 30, date: '2026-01-06' });
    expect(localTime(at('2026-01-07T05:59:00Z'), CHI)).toEqual({ weekday: 'tue', minutes: 23 * 60 + 59, date: '2026-01-06' });
    expect(localTime(at('2026-01-07T06:00:00Z'), CHI)).toEqual({ weekday: 'wed', minutes: 0, date: '2026-01-07' });
  });
  it('follows the spring-forward gap and the repeated fall-back hour (New York 2026)', () => {
    expect(localTime(at('2026-03-08T06:59:00Z'), NY).minutes).toBe(60 + 59);
    expect(localTime(at('2026-03-08T07:00:00Z'), NY).minutes).toBe(3 * 60);
    expect(localTime(at('2026-11-01T05:59:00Z'), NY).minutes).toBe(60 + 59);
    expect(localTime(at('2026-11-01T06:00:00Z'), NY).minutes).toBe(60);
  });
});

describe('clockMinutes', () => {
  it('parses HH:MM and 24:00', () => {
    expect(clockMinutes('00:00')).toBe(0);
    expect(clockMinutes('13:05')).toBe(785);
    expect(clockMinutes('24:00')).toBe(1440);
  });
});

describe('isOpen', () => {
  const split: Hours = {
    tue: [
      ['08:00', '12:00'],
      ['13:00', '17:00'],
    ],
    sat: [['18:00', '24:00']],
  };

  it.each([
    ['2026-01-06T13:59:00Z', false], // 07:59 CST
    ['2026-01-06T14:00:00Z', true], // 08:00
    ['2026-01-06T17:59:59Z', true], // 11:59:59
    ['2026-01-06T18:00:00Z', false], // 12:00 lunch
    ['2026-01-06T18:30:00Z', false], // 12:30 lunch
    ['2026-01-06T19:00:00Z', true], // 13:00
    ['2026-01-06T22:59:00Z', true], // 16:59
    ['2026-01-06T23:00:00Z', false], // 17:00
    ['2026-01-07T16:00:00Z', false], // wed 10:00: no shifts that day
    ['2026-07-07T13:00:00Z', true], // tue 08:00 CDT
    ['2026-07-07T12:30:00Z', false], // tue 07:30 CDT
    ['2026-01-11T05:59:00Z', true], // sat 23:59, shift ends 24:00
    ['2026-01-11T06:00:00Z', false], // sun 00:00
  ])('Chicago split shift at %s → %s', (iso, open) => {
    expect(isOpen(split, CHI, at(iso))).toBe(open);
  });

  it('America/Phoenix keeps UTC-7 all year', () => {
    const hours: Hours = { mon: [['09:00', '17:00']] };
    expect(isOpen(hours, 'America/Phoenix', at('2026-01-05T16:00:00Z'))).toBe(true);
    expect(isOpen(hours, 'America/Phoenix', at('2026-07-06T16:00:00Z'))).toBe(true);
    expect(isOpen(hours, 'America/Phoenix', at('2026-07-06T15:59:00Z'))).toBe(false);
    // Denver, same winter offset, does shift in summer.
    expect(isOpen(hours, 'America/Denver', at('2026-07-06T15:00:00Z'))).toBe(true);
  });

  it('uses the new offset on both US DST days 2026', () => {
    const sunday: Hours = { sun: [['09:00', '12:00']] };
    expect(isOpen(sunday, NY, at('2026-03-08T13:00:00Z'))).toBe(true); // 09:00 EDT
    expect(isOpen(sunday, NY, at('2026-03-08T12:59:00Z'))).toBe(false);
    expect(isOpen(sunday, NY, at('2026-11-01T14:00:00Z'))).toBe(true); // 09:00 EST
    expect(isOpen(sunday, NY, at('2026-11-01T13:59:00Z'))).toBe(false);
    expect(isOpen(sunday, CHI, at('2026-03-08T14:00:00Z'))).toBe(true); // 09:00 CDT
    expect(isOpen(sunday, CHI, at('2026-11-01T15:00:00Z'))).toBe(true); // 09:00 CST
    expect(isOpen(sunday, CHI, at('2026-11-01T14:59:00Z'))).toBe(false);
  });

  it('Pacific/Honolulu', () => {
    expect(isOpen({ tue: [['08:00', '17:00']] }, 'Pacific/Honolulu', at('2026-01-06T18:00:00Z'))).toBe(true);
    expect(isOpen({ tue: [['08:00', '17:00']] }, 'Pacific/Honolulu', at('2026-01-06T17:59:00Z'))).toBe(false);
  });

  it('empty hours are always closed', () => {
    expect(isOpen({}, CHI, at('2026-01-06T16:00:00Z'))).toBe(false);
  });
});

describe('server time zone does not matter', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  it('gives the same answers with the process in UTC or elsewhere', () => {
    const t = at('2026-03-08T14:00:00Z');
    process.env.TZ = 'UTC';
    const utc = [localTime(t, CHI), inWindow('20:00', '09:00', CHI, t), nextWindowEnd('20:00', '09:00', NY, at('2026-03-08T02:00:00Z'))];
    process.env.TZ = 'Asia/Kolkata';
    const ist = [localTime(t, CHI), inWindow('20:00', '09:00', CHI, t), nextWindowEnd('20:00', '09:00', NY, at('2026-03-08T02:00:00Z'))];
    expect(ist).toEqual(utc);
    expect(utc[0]).toEqual({ weekday: 'sun', minutes: 9 * 60, date: '2026-03-08' });
  });
  it('works for a location whose zone is UTC', () => {
    expect(isOpen({ tue: [['08:00', '17:00']] }, 'UTC', at('2026-01-06T08:00:00Z'))).toBe(true);
    expect(nextWindowEnd('20:00', '09:00', 'UTC', at('2026-01-06T22:15:00Z'))).toEqual(at('2026-01-07T09:00:00Z'));
  });
});

describe('inWindow', () => {
  it.each([
    ['2026-01-07T02:00:00Z', true], // 20:00 CST
    ['2026-01-07T01:59:00Z', false], // 19:59
    ['2026-01-07T14:59:00Z', true], // 08:59 next day
    ['2026-01-07T15:00:00Z', false], // 09:00
    ['2026-01-07T06:00:00Z', true], // midnight
  ])('wrapping quiet window 20:00–09:00 Chicago at %s → %s', (iso, inside) => {
    expect(inWindow('20:00', '09:00', CHI, at(iso))).toBe(inside);
  });
  it('handles a same-day window, an empty one and the whole day', () => {
    expect(inWindow('12:00', '13:00', 'UTC', at('2026-01-06T12:30:00Z'))).toBe(true);
    expect(inWindow('12:00', '13:00', 'UTC', at('2026-01-06T13:00:00Z'))).toBe(false);
    expect(inWindow('09:00', '09:00', 'UTC', at('2026-01-06T09:00:00Z'))).toBe(false);
    expect(inWindow('00:00', '24:00', 'UTC', at('2026-01-06T23:59:00Z'))).toBe(true);
    expect(inWindow('21:00', '24:00', 'UTC', at('2026-01-06T23:59:00Z'))).toBe(true);
    expect(inWindow('21:00', '24:00', 'UTC', at('2026-01-07T00:00:00Z'))).toBe(false);
  });
});

describe('nextWindowEnd', () => {
  const quiet = (iso: string, tz: string) => nextWindowEnd('20:00', '09:00', tz, at(iso)).toISOString();

  it('returns `at` itself when outside the window', () => {
    const t = at('2026-01-06T18:00:00Z');
    expect(nextWindowEnd('20:00', '09:00', CHI, t)).toBe(t);
  });
  it('ends at the next local 09:00 on ordinary nights', () => {
    expect(quiet('2026-01-07T04:00:00Z', CHI)).toBe('2026-01-07T15:00:00.000Z'); // 22:00 CST → 09:00 CST
    expect(quiet('2026-01-07T02:00:00Z', CHI)).toBe('2026-01-07T15:00:00.000Z'); // starts exactly at 20:00
    expect(quiet('2026-01-07T14:59:30Z', CHI)).toBe('2026-01-07T15:00:00.000Z'); // 30 s before the end
    expect(quiet('2026-01-07T09:00:00Z', 'Pacific/Honolulu')).toBe('2026-01-07T19:00:00.000Z'); // 23:00 HST → 09:00 HST (UTC-10)
    expect(quiet('2026-07-07T06:00:00Z', 'America/Phoenix')).toBe('2026-07-07T16:00:00.000Z'); // 23:00 MST
  });
  it('lands on 09:00 local across the spring-forward night (Mar 8 2026)', () => {
    expect(quiet('2026-03-08T05:00:00Z', CHI)).toBe('2026-03-08T14:00:00.000Z'); // 23:00 CST → 09:00 CDT
    expect(quiet('2026-03-08T02:00:00Z', NY)).toBe('2026-03-08T13:00:00.000Z'); // 21:00 EST → 09:00 EDT
  });
  it('lands on 09:00 local across the fall-back night (Nov 1 2026)', () => {
    expect(quiet('2026-11-01T04:00:00Z', CHI)).toBe('2026-11-01T15:00:00.000Z'); // 23:00 CDT → 09:00 CST
    expect(quiet('2026-11-01T01:00:00Z', NY)).toBe('2026-11-01T14:00:00.000Z'); // 21:00 EDT → 09:00 EST
  });
  it('finds ends inside the skipped hour and the repeated hour', () => {
    const end = (s: string, e: string, iso: string) => nextWindowEnd(s, e, NY, at(iso)).toISOString();
    // 01:00–02:30 on Mar 8: the clock jumps 01:59 EST → 03:00 EDT, which is already past 02:30.
    expect(end('01:00', '02:30', '2026-03-08T06:30:00Z')).toBe('2026-03-08T07:00:00.000Z');
    // 00:00–01:30 on Nov 1: the first 01:30 (EDT) ends it.
    expect(end('00:00', '01:30', '2026-11-01T05:10:00Z')).toBe('2026-11-01T05:30:00.000Z');
    // 01:00–02:00 on Nov 1: 01:00–01:59 happens twice, so it ends at 02:00 EST.
    expect(end('01:00', '02:00', '2026-11-01T05:30:00Z')).toBe('2026-11-01T07:00:00.000Z');
    // 01:30–03:00 on Nov 1: the clock falls back to 01:00, before the window's start.
    expect(end('01:30', '03:00', '2026-11-01T05:45:00Z')).toBe('2026-11-01T06:00:00.000Z');
  });
  it('is consistent with inWindow around every result (sampled over DST weeks)', () => {
    for (let t = Date.parse('2026-03-06T00:00:00Z'); t < Date.parse('2026-03-10T00:00:00Z'); t += 37 * 60_000) {
      for (const tz of [NY, CHI, 'America/Phoenix', 'Pacific/Honolulu']) {
        const from = new Date(t);
        const endAt = nextWindowEnd('20:00', '09:00', tz, from);
        if (!inWindow('20:00', '09:00', tz, from)) {
          expect(endAt).toBe(from);
          continue;
        }
        expect(inWindow('20:00', '09:00', tz, endAt)).toBe(false);
        expect(inWindow('20:00', '09:00', tz, new Date(endAt.getTime() - 60_000))).toBe(true);
        expect(localTime(endAt, tz).minutes).toBe(9 * 60);
        expect(endAt.getTime() - t).toBeLessThanOrEqual(14 * 3_600_000);
      }
    }
  });
  it('stays bounded for a window that covers the whole day', () => {
    const t = at('2026-01-06T12:00:00Z');
    const endAt = nextWindowEnd('00:00', '24:00', 'UTC', t);
    expect(endAt.getTime()).toBeGreaterThan(t.getTime());
    expect(endAt.getTime() - t.getTime()).toBeLessThanOrEqual(28 * 3_600_000);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    ['2026-01-06T18:00:00Z', CHI, '2026-01-06T06:00:00.000Z'],
    ['2026-01-07T05:59:00Z', CHI, '2026-01-06T06:00:00.000Z'], // 23:59 local is still the 6th
    ['2026-03-08T20:00:00Z', NY, '2026-03-08T05:00:00.000Z'], // spring-forward day began in EST
    ['2026-03-09T20:00:00Z', NY, '2026-03-09T04:00:00.000Z'],
    ['2026-11-01T20:00:00Z', NY, '2026-11-01T04:00:00.000Z'], // fall-back day began in EDT
    ['2026-07-07T20:00:00Z', 'America/Phoenix', '2026-07-07T07:00:00.000Z'],
    ['2026-01-06T20:00:00Z', 'Pacific/Honolulu', '2026-01-06T10:00:00.000Z'],
    ['2026-01-06T20:00:00Z', 'UTC', '2026-01-06T00:00:00.000Z'],
    ['2026-09-06T12:00:00Z', 'America/Santiago', '2026-09-06T04:00:00.000Z'], // midnight skipped: the day starts at 01:00
  ])('%s in %s → %s', (iso, tz, start) => {
    expect(startOfLocalDay(at(iso), tz).toISOString()).toBe(start);
  });
});
