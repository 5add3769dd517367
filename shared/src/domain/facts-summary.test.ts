import { describe, expect, it } from 'vitest';
import type { BookedBy } from '../contract/booking.js';
import { quickFigures, walkedFigures } from './booked-figures.js';
import { kthOfTwo, medianAndP90OfTwo, summarize, type FactsDigest } from './facts-summary.js';
import { emptyFacts, finalizeMetrics, finalizeParts, mergeFacts, type Facts } from './metrics.js';
import { medianAndP90 } from './stats.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sample = (r: () => number, n: number) => Array.from({ length: n }, () => (r() < 0.3 ? Math.floor(r() * 5) : Math.round(r() * 1000) / 10));

describe('order statistics of two sorted samples', () => {
  it('equal those of sorting both together, for random samples with ties', () => {
    const r = random(7);
    for (let round = 0; round < 400; round++) {
      const a = Float64Array.from(sample(r, Math.floor(r() * 40))).sort();
      const b = Float64Array.from(sample(r, Math.floor(r() * 12))).sort();
      const all = Float64Array.from([...a, ...b]).sort();
      for (let k = 0; k < all.length; k++) expect(kthOfTwo(a, b, k)).toBe(all[k]);
      expect(medianAndP90OfTwo(a, b)).toEqual(medianAndP90([...a, ...b]));
    }
  });

  it('places NaN last, as a typed-array sort does', () => {
    const a = Float64Array.from([3, 1, NaN]).sort();
    const b = Float64Array.from([2, NaN]).sort();
    expect([0, 1, 2, 3, 4].map((k) => kthOfTwo(a, b, k))).toEqual([1, 2, 3, NaN, NaN]);
    expect(() => kthOfTwo(a, b, 5)).toThrow(RangeError);
  });
});

const BY: BookedBy[] = ['assistant', 'self', 'staff'];
const at = (r: () => number) => new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 4) * 3_600_000).toISOString();

/** Facts of a window over a small pool of threads, so parts share threads, resolutions and bookings. */
function randomFacts(r: () => number, size: number): Facts {
  const f = emptyFacts();
  const id = () => `t${Math.floor(r() * 30)}`;
  const staff = () => (r() < 0.5 ? 'st_a' : r() < 0.5 ? 'st_b' : 'st_c');
  for (const k of ['inbound', 'answered', 'missed', 'smsCapable', 'texted', 'delivered', 'failed', 'staffReplies', 'claimed', 'optOuts', 'lateClaims', 'segments'] as const) f[k] = Math.floor(r() * size);
  for (let i = 0; i < size; i++) {
    if (r() < 0.5) f.repliedThreads.add(id());
    if (r() < 0.4) f.answeredThreads.add(id());
    if (r() < 0.2) f.assistantQualified.add(id());
    if (r() < 0.3) {
      const s = staff();
      // Mostly whole values and one name per person (the quick path), sometimes a fraction or a second name; two people share a name.
      const value = r() < 0.85 ? (r() < 0.5 ? 120 : 80) : 35.5;
      f.resolutions.set(id(), { threadId: '', at: at(r), outcome: r() < 0.6 ? 'booked' : 'other', value, staffId: s, staffName: r() < 0.95 ? (s === 'st_a' ? 'Ana' : 'Twin') : 'Renamed' });
    }
    if (r() < 0.2) {
      const t = id();
      f.bookings.set(t, { threadId: t, bookingId: `b${i}`, at: at(r), by: BY[Math.floor(r() * 3)]!, value: r() < 0.9 ? 95 : 80.25 });
    }
    if (r() < 0.2) {
      const t = id();
      const s = staff();
      f.bookedResolutions.set(t, { threadId: t, at: at(r), outcome: 'booked', value: 50, staffId: s, staffName: s });
    }
    if (r() < 0.2) f.variantBooked.add(`exp/${r() < 0.5 ? 'a' : 'b'}\n${id()}`);
  }
  for (const [t, e] of f.resolutions) e.threadId = t;
  f.timesToText = sample(r, size);
  f.timesToClaim = sample(r, Math.floor(size / 2));
  f.timesToHumanReply = sample(r, Math.floor(size / 3));
  f.timesToBooking = sample(r, Math.floor(size / 4));
  for (let h = 0; h < 24; h++) {
    f.missedByHour[h] = Math.floor(r() * 3);
    f.answeredByHour[h] = Math.floor(r() * 3);
  }
  f.staff.set(staff(), { name: 'Someone', claimed: Math.floor(r() * 4), replied: Math.floor(r() * 4) });
  f.variantTexted.set(`exp/${r() < 0.5 ? 'a' : 'c'}`, Math.floor(r() * 9));
  return f;
}

const input = {
  threads: [],
  from: new Date('2026-01-01T00:00:00Z'),
  to: new Date('2026-01-02T00:00:00Z'),
  now: new Date('2026-01-02T00:00:00Z'),
  slaMinutes: 10,
  openHours: () => ({ hours: null, timezone: 'UTC' }) as never,
  locationId: null,
  economics: { monthlyCost: 99, averageValue: 150, smsUnitCost: 0.01, assumedBookingRate: 0.3, minutesSavedPerText: 3 },
};

describe('finalizeParts', () => {
  it('gives the figures of the merged facts without merging them, for random parts sharing threads', () => {
    const r = random(11);
    for (let round = 0; round < 300; round++) {
      // A big part (a span of days) between small ends, in any position; sometimes parts of equal size.
      const parts = Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomFacts(r, r() < 0.3 ? 40 : 6));
      const digests = new WeakMap<Facts, FactsDigest>();
      const expected = finalizeMetrics(mergeFacts(parts), input);
      expect(finalizeParts(parts, input, digests)).toEqual(expected);
      // The second time the biggest part's digest is reused, to the same figures.
      expect(finalizeParts(parts, input, digests)).toEqual(expected);
    }
  });

  it('counts bookings from the base part\'s totals whenever that is sure to agree with walking the merged maps', () => {
    const r = random(5);
    let quick = 0;
    for (let round = 0; round < 300; round++) {
      const parts = [randomFacts(r, 40), randomFacts(r, 4)];
      const s = summarize(parts);
      const fast = quickFigures(s);
      if (fast) quick++;
      if (fast) expect(fast).toEqual(walkedFigures(s));
    }
    expect(quick).toBeGreaterThan(50);
  });

  it('does not change the parts it reads', () => {
    const r = random(3);
    const parts = [randomFacts(r, 40), randomFacts(r, 6)];
    const before = JSON.stringify(parts, (_k, v) => (v instanceof Set || v instanceof Map ? [...v] : v));
    finalizeParts(parts, input);
    expect(JSON.stringify(parts, (_k, v) => (v instanceof Set || v instanceof Map ? [...v] : v))).toBe(before);
  });
});
