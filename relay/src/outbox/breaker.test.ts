import { describe, expect, it } from 'vitest';
import { Breaker } from './breaker.js';

const breaker = () => new Breaker({ threshold: 3, baseMs: 1000, maxMs: 8000, random: () => 1 });

describe('Breaker', () => {
  it('opens after the threshold of consecutive failures, not before', () => {
    const b = breaker();
    b.failure(0, false);
    b.failure(0, false);
    b.success(); // an answer in between resets the run
    b.failure(0, false);
    b.failure(0, false);
    expect(b.open).toBe(false);
    b.failure(10, false);
    expect(b.open).toBe(true);
    expect(b.nextProbeAt).toBe(1010);
    expect(b.probeDue(1009)).toBe(false);
    expect(b.probeDue(1010)).toBe(true);
  });

  it('only a failed probe moves the next probe out, with capped backoff', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.failure(0, false);
    b.failure(500, false); // a straggler that was already under way
    expect(b.nextProbeAt).toBe(1000);
    const probes: number[] = [];
    let now = 1000;
    for (let i = 0; i < 5; i++) {
      b.failure(now, true);
      probes.push(b.nextProbeAt! - now);
      now = b.nextProbeAt!;
    }
    expect(probes).toEqual([2000, 4000, 8000, 8000, 8000]);
  });

  it('an answer closes it and says so once; trip opens it with a probe due at once', () => {
    const b = breaker();
    expect(b.success()).toBe(false);
    b.trip(42);
    expect(b.probeDue(42)).toBe(true);
    expect(b.success()).toBe(true);
    expect(b.open).toBe(false);
    expect(b.success()).toBe(false);
  });
});
