import { describe, expect, it } from 'vitest';
import type { Hours } from '../contract/config.js';
import { openMillisBetween, slaDeadline, slaElapsed, zonedInstant } from './business-time.js';

const MIN = 60_000;
const tz = 'America/Chicago';
// Mon–Fri 08:00–12:00 and 13:00–17:00.
const week: Hours = {
  mon: [['08:00', '12:00'], ['13:00', '17:00']],
  tue: [['08:00', '12:00'], ['13:00', '17:00']],
  wed: [['08:00', '12:00'], ['13:00', '17:00']],
  thu: [['08:00', '12:00'], ['13:00', '17:00']],
  fri: [['08:00', '12:00'], ['13:00', '17:00']],
};
// 2024-03-04 is a Monday; Chicago is UTC-6 until 2024-03-10 (DST), then UTC-5.
const at = (iso: string) => new Date(iso);

describe('zonedInstant', () => {
  it('maps local wall time to UTC on both sides of DST', () => {
    expect(new Date(zonedInstant('2024-03-04', 8 * 60, tz)).toISOString()).toBe('2024-03-04T14:00:00.000Z');
    expect(new Date(zonedInstant('2024-03-11', 8 * 60, tz)).toISOString()).toBe('2024-03-11T13:00:00.000Z');
  });
});

describe('openMillisBetween', () => {
  it('counts only open time inside the range', () => {
    // Monday 11:50 → 13:10 local: 10 min before lunch + 10 min after.
    expect(openMillisBetween(week, tz, at('2024-03-04T17:50:00Z'), at('2024-03-04T19:10:00Z'))).toBe(20 * MIN);
  });
  it('a call at night waits for the morning', () => {
    // Monday 22:00 local → Tuesday 08:03 local: 3 open minutes.
    expect(openMillisBetween(week, tz, at('2024-03-05T04:00:00Z'), at('2024-03-05T14:03:00Z'))).toBe(3 * MIN);
  });
  it('skips the weekend', () => {
    // Friday 16:58 → Monday 08:02 local: 2 + 2 minutes.
    expect(openMillisBetween(week, tz, at('2024-03-08T22:58:00Z'), at('2024-03-11T13:02:00Z'))).toBe(4 * MIN);
  });
  it('is zero for an empty or reversed range and with no hours', () => {
    expect(openMillisBetween(week, tz, at('2024-03-04T15:00:00Z'), at('2024-03-04T15:00:00Z'))).toBe(0);
    expect(openMillisBetween(week, tz, at('2024-03-04T16:00:00Z'), at('2024-03-04T15:00:00Z'))).toBe(0);
    expect(openMillisBetween({}, tz, at('2024-03-04T00:00:00Z'), at('2024-03-09T00:00:00Z'))).toBe(0);
  });
  it('counts a whole open day across midnight for 24-hour hours', () => {
    const always: Hours = { sun: [['00:00', '24:00']], mon: [['00:00', '24:00']] };
    expect(openMillisBetween(always, tz, at('2024-03-04T05:30:00Z'), at('2024-03-04T06:30:00Z'))).toBe(60 * MIN);
  });
});

describe('slaElapsed', () => {
  it('breaches after the minutes of open time', () => {
    const since = at('2024-03-04T14:00:00Z'); // Monday 08:00
    expect(slaElapsed(week, tz, since, at('2024-03-04T14:04:59Z'), 5)).toBe(false);
    expect(slaElapsed(week, tz, since, at('2024-03-04T14:05:00Z'), 5)).toBe(true);
  });
});

describe('slaDeadline', () => {
  const iso = (since: string, minutes: number, hours: Hours = week) => new Date(slaDeadline(hours, tz, at(since), minutes)).toISOString();
  it('is where the open minutes run out: same shift, over lunch, over the night and the weekend, across DST', () => {
    expect(iso('2024-03-04T15:00:00Z', 5)).toBe('2024-03-04T15:05:00.000Z'); // Monday 09:00 → 09:05
    expect(iso('2024-03-04T17:58:00Z', 5)).toBe('2024-03-04T19:03:00.000Z'); // 11:58 → 13:03
    expect(iso('2024-03-05T07:30:00Z', 5)).toBe('2024-03-05T14:05:00.000Z'); // Tuesday 01:30 → 08:05
    expect(iso('2024-03-08T22:58:00Z', 5)).toBe('2024-03-11T13:03:00.000Z'); // Friday 16:58 → Monday 08:03 (now UTC−5)
  });
  it('agrees with the open time counted forward, minute by minute', () => {
    for (let m = 0; m < 3 * 24 * 60; m += 37) {
      const since = new Date(Date.parse('2024-03-08T00:00:00Z') + m * 60_000);
      const end = slaDeadline(week, tz, since, 7);
      expect(openMillisBetween(week, tz, since, new Date(end))).toBe(7 * MIN);
      expect(slaElapsed(week, tz, since, new Date(end - 1), 7)).toBe(false);
      expect(slaElapsed(week, tz, since, new Date(end), 7)).toBe(true);
    }
  });
  it('never comes with no open hours, and at once for no minutes', () => {
    expect(slaDeadline({}, tz, at('2024-03-04T15:00:00Z'), 5)).toBe(Infinity);
    expect(slaElapsed({}, tz, at('2024-03-04T15:00:00Z'), at('2025-03-04T15:00:00Z'), 5)).toBe(false);
    expect(slaDeadline(week, tz, at('2024-03-04T15:00:00Z'), 0)).toBe(Date.parse('2024-03-04T15:00:00Z'));
  });
});
