import { describe, expect, it } from 'vitest';
import { monthProblem, rangeProblem } from './figure-range.js';

const now = new Date('2026-12-02T09:00:00Z');
const d = (iso: string) => new Date(iso);

describe('rangeProblem', () => {
  it('accepts a range inside the bounds, up to 1100 days long', () => {
    expect(rangeProblem(d('2026-11-01T00:00:00Z'), d('2026-12-01T00:00:00Z'), now)).toBeNull();
    expect(rangeProblem(d('2000-01-01T00:00:00Z'), d('2003-01-05T00:00:00Z'), now)).toBeNull(); // exactly 1100 days
    expect(rangeProblem(d('2027-01-01T00:00:00Z'), d('2027-12-03T00:00:00Z'), now)).toBeNull(); // a year and a day ahead
  });

  it('refuses ends before 2000 or more than a year ahead', () => {
    expect(rangeProblem(d('0001-01-01T00:00:00Z'), d('2026-01-01T00:00:00Z'), now)).toMatchObject({ code: 'out-of-range' });
    expect(rangeProblem(d('1999-12-31T23:59:59Z'), d('2000-01-02T00:00:00Z'), now)?.message).toBe('"from" must be between 2000-01-01 and 2027-12-03 (a year ahead)');
    expect(rangeProblem(d('2026-01-01T00:00:00Z'), d('9999-12-31T00:00:00Z'), now)).toMatchObject({ code: 'out-of-range', message: expect.stringMatching(/^"to"/) });
    expect(rangeProblem(d('2027-12-04T00:00:00Z'), d('2027-12-05T00:00:00Z'), now)).toMatchObject({ code: 'out-of-range' });
    expect(rangeProblem(new Date(NaN), d('2026-01-01T00:00:00Z'), now)).toMatchObject({ code: 'out-of-range' });
  });

  it('refuses an empty or backwards range, and one longer than 1100 days with the limit in the message', () => {
    expect(rangeProblem(d('2026-11-02T00:00:00Z'), d('2026-11-02T00:00:00Z'), now)).toMatchObject({ code: 'invalid' });
    expect(rangeProblem(d('2026-11-03T00:00:00Z'), d('2026-11-02T00:00:00Z'), now)).toMatchObject({ code: 'invalid' });
    expect(rangeProblem(d('2000-01-01T00:00:00Z'), d('2003-01-05T00:00:01Z'), now)).toEqual({
      code: 'range-too-large',
      message: 'a range may span at most 1100 days; this one spans 1101',
    });
  });
});

describe('monthProblem', () => {
  it('accepts months from 2000-01 to a year ahead', () => {
    for (const m of ['2000-01', '2026-12', '2027-12']) expect(monthProblem(m, now)).toBeNull();
  });
  it('refuses the rest', () => {
    for (const m of ['0001-01', '1999-12', '2028-01', '9999-12']) {
      expect(monthProblem(m, now)).toEqual({ code: 'out-of-range', message: 'month must be between 2000-01 and 2027-12' });
    }
  });
});
