import { describe, expect, it } from 'vitest';
import { experimentSchema, type Experiment } from '../contract/config.js';
import type { Message } from '../contract/model.js';
import { assignVariant, compareProportions, experimentFor, experimentResults, normalCdf } from './experiments.js';

const experiment = (over: Partial<Experiment> = {}): Experiment =>
  experimentSchema.parse({
    id: 'hook-cta',
    template: 'missed',
    minSamplePerVariant: 10,
    variants: [
      { id: 'A', text: 'Sorry we missed you. Book: {{bookingUrl}}' },
      { id: 'B', text: 'Hi! Reply YES for a callback today.' },
    ],
    ...over,
  });

describe('statistics', () => {
  it('normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 4);
  });

  it('two-proportion z-test against hand-computed values', () => {
    // 10 % vs 16 % of 500 each: z = 2.8209, p = 0.00479, difference 6 points ± 4.15.
    const c = compareProportions(50, 500, 80, 500);
    expect(c.pValue).toBeCloseTo(0.004789, 5);
    expect(c.lift).toBeCloseTo(0.6, 10);
    expect(c.ci95![0]).toBeCloseTo(0.018478, 5);
    expect(c.ci95![1]).toBeCloseTo(0.101522, 5);
    expect(compareProportions(10, 100, 12, 100).pValue).toBeCloseTo(0.65128, 4);
    expect(compareProportions(0, 0, 3, 10)).toEqual({ lift: null, pValue: null, ci95: null });
    expect(compareProportions(0, 10, 0, 10).pValue).toBe(1);
  });
});

describe('assignment', () => {
  it('is deterministic per call and follows the weights', () => {
    const e = experiment({ variants: [{ id: 'A', weight: 1, text: 'a' }, { id: 'B', weight: 3, text: 'b' }] });
    expect(assignVariant(e, 'call-1').id).toBe(assignVariant(e, 'call-1').id);
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (assignVariant(e, `call-${i}`).id === 'B') b++;
    expect(b / 10_000).toBeGreaterThan(0.73);
    expect(b / 10_000).toBeLessThan(0.77);
  });

  it('finds the experiment for a template and location', () => {
    const e = experiment({ locations: ['main'] });
    expect(experimentFor([e], 'missed', 'main')).toBe(e);
    expect(experimentFor([e], 'missed', 'north')).toBeUndefined();
    expect(experimentFor([e], 'voicemail', 'main')).toBeUndefined();
  });

  it('rejects an experiment with one variant or repeated ids', () => {
    expect(experimentSchema.safeParse({ id: 'x', template: 'missed', variants: [{ id: 'A', text: 'a' }] }).success).toBe(false);
    expect(experimentSchema.safeParse({ id: 'x', template: 'missed', variants: [{ id: 'A', text: 'a' }, { id: 'A', text: 'b' }] }).success).toBe(false);
  });
});

const t0 = Date.parse('2026-11-02T15:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
function textBack(i: number, variant: string): Message {
  return {
    id: `m${i}`, threadId: `t${i}`, seq: i, direction: 'out', kind: 'text-back', text: 'x', at: iso(t0 + i * 60_000), sentAt: iso(t0 + i * 60_000 + 1000),
    status: 'delivered', statusReason: null, plivoUuid: null, staffId: null, staffName: null, clientId: null, variant: { experiment: 'hook-cta', variant },
  };
}
const reply = (i: number, afterMs: number): Message => ({ ...textBack(i, 'A'), id: `r${i}`, direction: 'in', kind: 'inbound', at: iso(t0 + i * 60_000 + afterMs), sentAt: null, variant: null });

describe('results', () => {
  it('counts outcomes in their windows and calls a winner only when significant with enough data', () => {
    const messages: Message[] = [];
    // 40 text-backs per variant; A gets 4 replies, B 20 (one of A's comes after the 7-day window and does not count).
    for (let i = 0; i < 80; i++) messages.push(textBack(i, i < 40 ? 'A' : 'B'));
    for (let i = 0; i < 5; i++) messages.push(reply(i, i === 4 ? 8 * 86_400_000 : 3_600_000));
    for (let i = 40; i < 60; i++) messages.push(reply(i, 600_000));
    const resolutions = [{ threadId: 't41', at: iso(t0 + 41 * 60_000 + 86_400_000), outcome: 'booked' as const, value: 350, staffId: 's', staffName: 'Ana' }];
    const optOuts = [{ threadId: 't2', at: iso(t0 + 2 * 60_000 + 5000) }];
    const r = experimentResults(experiment(), { messages, resolutions, optOuts });
    const [a, b] = r.variants;
    expect(a).toMatchObject({ id: 'A', sent: 40, replied: 4, booked: 0, optedOut: 1, replyRate: 0.1 });
    expect(b).toMatchObject({ id: 'B', sent: 40, replied: 20, booked: 1, optedOut: 0, replyRate: 0.5 });
    expect(b!.vsControl!.replied.lift).toBeCloseTo(4, 10);
    expect(b!.vsControl!.replied.pValue!).toBeLessThan(0.001);
    expect(r.winner).toBe('B');
    expect(r.verdict).toMatch(/B beats A on replied/);

    const needMore = experimentResults(experiment({ minSamplePerVariant: 50 }), { messages, resolutions, optOuts });
    expect(needMore.winner).toBeNull();
    expect(needMore.verdict).toMatch(/needs 50 text-backs/);

    const byBooking = experimentResults(experiment({ metric: 'booked' }), { messages, resolutions, optOuts });
    expect(byBooking.winner).toBeNull();
    expect(byBooking.verdict).toMatch(/No significant difference on booked/);
  });
});
