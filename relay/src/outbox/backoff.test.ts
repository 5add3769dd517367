import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  it('doubles from the base and stops at the cap', () => {
    const full = (step: number) => backoffMs(step, 1000, 60_000, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(full)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('jitters between half and all of the step', () => {
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffMs(3, 1000, 60_000, () => 0.5)).toBe(3000);
    expect(backoffMs(1000, 1000, 60_000, () => 0)).toBe(30_000);
  });
});
