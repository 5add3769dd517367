import { describe, expect, it } from 'vitest';
import { callbackTime, mdrTime, parseFilterTime, voiceTime } from './plivo-time.js';

describe('plivo times', () => {
  const d = new Date('2026-03-04T05:06:07.089Z');

  it('formats MDR, callback and voice times in UTC', () => {
    expect(mdrTime(d)).toBe('2026-03-04 05:06:07.089000+00:00');
    expect(callbackTime(d)).toBe('2026-03-04 05:06:07.089000');
    expect(voiceTime(d)).toBe('2026-03-04 05:06:07');
  });

  it('parses Plivo filter times as UTC, and ISO strings', () => {
    expect(parseFilterTime('2026-03-04 05:06')).toBe(Date.UTC(2026, 2, 4, 5, 6));
    expect(parseFilterTime('2026-03-04 05:06:07')).toBe(Date.UTC(2026, 2, 4, 5, 6, 7));
    expect(parseFilterTime('2026-03-04 05:06:07.089123')).toBe(d.getTime());
    expect(parseFilterTime('2026-03-04T05:06:07.089Z')).toBe(d.getTime());
    expect(parseFilterTime('2026-03-04T07:06:07.089+02:00')).toBe(d.getTime());
    expect(parseFilterTime(mdrTime(d))).toBe(d.getTime());
    expect(parseFilterTime('yesterday')).toBeNull();
  });
});
