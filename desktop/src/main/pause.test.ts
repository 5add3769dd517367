import { describe, expect, it } from 'vitest';
import { isPaused, pauseEnd, pauseLabel } from './pause.js';

const tz = 'America/Chicago';

describe('pause windows', () => {
  it('30 minutes is 30 minutes', () => {
    const now = Date.parse('2026-03-02T20:00:00Z');
    expect(pauseEnd('30m', now, tz)).toBe(now + 30 * 60_000);
  });

  it('until tomorrow ends at 7:00 the next local morning', () => {
    // 4 PM in Chicago (CST, UTC-6) on Monday → Tuesday 7:00 CST = 13:00 UTC.
    expect(new Date(pauseEnd('tomorrow', Date.parse('2026-03-02T22:00:00Z'), tz)).toISOString()).toBe('2026-03-03T13:00:00.000Z');
    // 11:30 PM local is still "today": tomorrow is the next calendar day.
    expect(new Date(pauseEnd('tomorrow', Date.parse('2026-03-03T05:30:00Z'), tz)).toISOString()).toBe('2026-03-03T13:00:00.000Z');
  });

  it('until tomorrow is DST-safe (Chicago springs forward on 8 March 2026)', () => {
    // Saturday 7 March, 8 PM CST → Sunday 8 March 7:00 CDT (UTC-5) = 12:00 UTC.
    expect(new Date(pauseEnd('tomorrow', Date.parse('2026-03-08T02:00:00Z'), tz)).toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('is paused only before the end', () => {
    expect(isPaused(null, 5)).toBe(false);
    expect(isPaused(10, 5)).toBe(true);
    expect(isPaused(10, 10)).toBe(false);
  });

  it('labels the end in local time', () => {
    const now = Date.parse('2026-03-02T20:00:00Z'); // 2 PM CST
    expect(pauseLabel(now + 30 * 60_000, now, tz)).toBe('Paused until 2:30 PM');
    expect(pauseLabel(pauseEnd('tomorrow', now, tz), now, tz)).toBe('Paused until tomorrow 7:00 AM');
  });
});
