import { describe, expect, it } from 'vitest';
import { isoMs } from './iso-time.js';

describe('isoMs', () => {
  it('agrees with Date.parse', () => {
    for (const s of ['2026-11-23T13:21:25.576Z', '2024-02-29T23:59:59.999Z', '1999-12-31T00:00:00.000Z', '2026-03-08T08:30:00Z', '2026-03-08T02:30:00-06:00']) {
      expect(isoMs(s)).toBe(Date.parse(s));
    }
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7_777_777) expect(isoMs(new Date(t).toISOString())).toBe(t);
  });

  it('is NaN for nothing or nonsense', () => {
    expect(isoMs(null)).toBeNaN();
    expect(isoMs('')).toBeNaN();
    expect(isoMs('2026-11-23T1x:21:25.576Z')).toBeNaN();
    expect(isoMs('yesterday')).toBeNaN();
  });
});
