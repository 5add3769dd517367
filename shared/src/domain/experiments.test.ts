import { describe, expect, it } from 'vitest';
import { experimentSchema, type Experiment } from '../contract/config.js';
import type { Message } from '../contract/model.js';
import { businessConfigSchema } from '../contract/config.js';
import { assignVariant, assistantVariant, compareProportions, experimentFor, experimentResults, normalCdf } from './experiments.js';

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

describe('bookings by variant', () => {
  it('a booking by the assistant or the booking page converts its variant, each thread once, within 30 days', () => {
    const messages: Message[] = [];
    for (let i = 0; i < 20; i++) messages.push(textBack(i, i < 10 ? 'A' : 'B'));
    const at = (i: number, days: number) => iso(t0 + i * 60_000 + days * 86_400_000);
    const bookings = [
      { threadId: 't1', at: at(1, 0.1) }, // A, by the assistant
      { threadId: 't11', at: at(11, 1) }, // B, by the caller on the booking page…
      { threadId: 't11', at: at(11, 2) }, // …moved the next day: still one booked thread
      { threadId: 't12', at: at(12, 31) }, // B, too late to count
    ];
    const resolutions = [{ threadId: 't13', at: at(13, 3), outcome: 'booked' as const, value: 350, staffId: 's', staffName: 'Ana' }];
    const r = experimentResults(experiment({ metric: 'booked' }), { messages, resolutions, bookings, optOuts: [] });
    expect(r.variants.map((v) => [v.id, v.sent, v.booked, v.bookingRate])).toEqual([
      ['A', 10, 1, 0.1],
      ['B', 10, 2, 0.2],
    ]);
    expect(r.assistant).toBe(false);
    expect(r.template).toBe('missed');
  });
});

describe('assistant on against off', () => {
  const base = {
    business: { name: 'Bright Smile', bookingUrl: 'https://example.com/book' },
    locations: [
      { id: 'main', name: 'Main', timezone: 'America/Chicago', numbers: ['+15125550100'], ring: ['+15125550199'], hours: {}, templates: { missed: 'a', afterHours: 'b', voicemail: 'c' } },
    ],
  };
  const assistantTest = { id: 'assistant-ab', assistant: true, metric: 'booked', minSamplePerVariant: 10, variants: [{ id: 'on' }, { id: 'off' }] };

  it('parses an assistant experiment and refuses the malformed ones', () => {
    const e = experimentSchema.parse(assistantTest);
    expect(e.assistant).toBe(true);
    expect(e.template).toBeUndefined();
    expect(experimentSchema.safeParse({ ...assistantTest, variants: [{ id: 'on' }, { id: 'maybe' }] }).success).toBe(false);
    expect(experimentSchema.safeParse({ ...assistantTest, template: 'missed' }).success).toBe(false);
    expect(experimentSchema.safeParse({ ...assistantTest, variants: [{ id: 'on', text: 'x' }, { id: 'off' }] }).success).toBe(false);
    // A copy experiment still needs its template and texts.
    expect(experimentSchema.safeParse({ id: 'x', variants: [{ id: 'A', text: 'a' }, { id: 'B', text: 'b' }] }).success).toBe(false);
    expect(experimentSchema.safeParse({ id: 'x', template: 'missed', variants: [{ id: 'A', text: 'a' }, { id: 'B' }] }).success).toBe(false);
  });

  it('runs only where the assistant is on, and never beside a copy test at the same place', () => {
    const booking = { services: [{ id: 'cleaning', label: 'Cleaning', minutes: 60 }] };
    const withAssistant = { ...base, booking, locations: [{ ...base.locations[0]!, booking: { assistant: 'always', schedule: { hours: {} } } }] };
    const ok = businessConfigSchema.safeParse({ ...withAssistant, experiments: [assistantTest] });
    expect(ok.error?.issues).toBeUndefined();
    const off = businessConfigSchema.safeParse({ ...base, experiments: [assistantTest] });
    expect(off.success).toBe(false);
    expect(JSON.stringify(off.error?.issues)).toMatch(/where the assistant is off/);
    const copy = { id: 'hook-cta', template: 'missed', variants: [{ id: 'A', text: 'a' }, { id: 'B', text: 'b' }] };
    const mixed = businessConfigSchema.safeParse({ ...withAssistant, experiments: [assistantTest, copy] });
    expect(JSON.stringify(mixed.error?.issues)).toMatch(/run one at a time/);
  });

  it('assistantVariant is stable per call, null where no assistant test runs, and copy tests never answer it', () => {
    const e = experimentSchema.parse(assistantTest);
    const copy = experiment();
    expect(assistantVariant([copy], 'main', 'call-1')).toBeNull();
    expect(experimentFor([e], 'missed', 'main')).toBeUndefined();
    const seen = new Set<string | null>();
    for (let i = 0; i < 200; i++) {
      const v = assistantVariant([copy, e], 'main', `call-${i}`);
      expect(v).toBe(assistantVariant([e], 'main', `call-${i}`));
      expect(v).toBe(assignVariant(e, `call-${i}`).id);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual(['off', 'on']);
    expect(assistantVariant([{ ...e, locations: ['north'] }], 'main', 'call-1')).toBeNull();
  });

  it('compares on against off, off the control whatever the order in the file', () => {
    const e = experimentSchema.parse(assistantTest);
    const messages: Message[] = [];
    for (let i = 0; i < 40; i++) messages.push({ ...textBack(i, i < 20 ? 'on' : 'off'), variant: { experiment: 'assistant-ab', variant: i < 20 ? 'on' : 'off' } });
    const bookings = Array.from({ length: 12 }, (_, i) => ({ threadId: `t${i}`, at: iso(t0 + i * 60_000 + 600_000) })); // 12 of 20 on
    const resolutions = [{ threadId: 't20', at: iso(t0 + 20 * 60_000 + 86_400_000), outcome: 'booked' as const, value: 350, staffId: 's', staffName: 'Ana' }]; // 1 of 20 off
    const r = experimentResults(e, { messages, resolutions, bookings, optOuts: [] });
    expect(r).toMatchObject({ assistant: true, template: null });
    expect(r.variants.map((v) => [v.id, v.sent, v.booked])).toEqual([
      ['off', 20, 1],
      ['on', 20, 12],
    ]);
    expect(r.variants[1]!.vsControl!.booked.lift).toBeCloseTo(11, 10);
    expect(r.winner).toBe('on');
  });
});
