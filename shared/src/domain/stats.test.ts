import { describe, it, expect } from 'vitest';
import { median, percentile } from './stats.js';

describe('percentile (nearest rank)', () => {
  const values = [15, 20, 35, 40, 50];
  it.each([
    [0, 15],
    [5, 15],
    [30, 20],
    [40, 20],
    [50, 35],
    [90, 50],
    [100, 50],
  ])('p%d → %d', (p, v) => {
    expect(percentile(values, p)).toBe(v);
  });
  it('sorts a copy and leaves the input alone', () => {
    const input = [50, 15, 40, 20, 35];
    expect(percentile(input, 50)).toBe(35);
    expect(input).toEqual([50, 15, 40, 20, 35]);
  });
  it('sorts numerically, not as strings', () => {
    expect(percentile([100, 9, 20], 100)).toBe(100);
    expect(percentile([100, 9, 20], 1)).toBe(9);
  });
  it('returns null for no values and rejects p outside [0, 100]', () => {
    expect(percentile([], 90)).toBeNull();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], NaN)).toThrow(RangeError);
  });
});

describe('median', () => {
  it('takes the middle value or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });
  it('does not mutate its input', () => {
    const input = [3, 1, 2];
    median(input);
    expect(input).toEqual([3, 1, 2]);
  });
});
