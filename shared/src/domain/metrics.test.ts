import { describe, expect, it } from 'vitest';
import type { Call, Message, ThreadSummary } from '../contract/model.js';
import { slaElapsed, type OpenHours } from './business-time.js';
import { computeMetrics, hourOfDay, metricDefinitions, staffingGrid, usualMissedByHour, type MetricsInput } from './metrics.js';

const call = (id: string, threadId: string | null, startedAt: string, over: Partial<Call> = {}): Call => ({
  id,
  threadId,
  locationId: 'main',
  from: '+15125550123',
  to: '+15125550100',
  startedAt,
  endedAt: null,
  outcome: 'missed',
  afterHours: false,
  dialStatus: 'no-answer',
  missedAt: null,
  voicemail: null,
  textBackSettled: true,
  textBackSkipped: null,
  ...over,
});
const msg = (id: string, threadId: string, over: Partial<Message>): Message => ({
  id,
  threadId,
  seq: 1,
  direction: 'out',
  kind: 'text-back',
  text: 'Sorry we missed your call.',
  at: over.sentAt ?? over.at ?? '2026-01-06T00:00:00Z',
  sentAt: null,
  status: 'sent',
  statusReason: null,
  plivoUuid: null,
  staffId: null,
  staffName: null,
  clientId: null,
  ...over,
});
const thread = (id: string, over: Partial<ThreadSummary>): ThreadSummary => ({
  id,
  seq: 1,
  locationId: 'main',
  trackingNumber: '+15125550100',
  caller: '+15125550123',
  callerDisplay: '(512) 555-0123',
  callerName: null,
  status: 'open',
  openedAt: '2026-01-06T15:00:00Z',
  updatedAt: '2026-01-06T15:00:00Z',
  lastMissedAt: null,
  missedCount: 1,
  lineType: null,
  optedOut: false,
  textBack: null,
  voicemail: null,
  claim: null,
  resolution: null,
  lastMessage: null,
  ...over,
});

// Tuesday 6 Jan 2026 in Chicago (UTC−6): [06:00Z, next day 06:00Z).
const day: Pick<MetricsInput, 'from' | 'to' | 'timezone'> = {
  from: new Date('2026-01-06T06:00:00Z'),
  to: new Date('2026-01-07T06:00:00Z'),
  timezone: 'America/Chicago',
};
const allDay: [string, string][] = [['00:00', '24:00']];
const always: OpenHours = { timezone: 'America/Chicago', hours: { sun: allDay, mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay } };
const economics = { monthlyCost: 90, averageValue: 350, smsUnitCost: 0.01, assumedBookingRate: 0.5, minutesSavedPerText: 2 };

const fixture: MetricsInput = {
  ...day,
  now: new Date('2026-01-06T20:30:00Z'),
  slaMinutes: 5,
  openHours: () => always,
  locationId: null,
  economics,
  calls: [
    call('c1', 't1', '2026-01-06T15:00:00Z', { missedAt: '2026-01-06T15:00:20Z', endedAt: '2026-01-06T15:01:00Z' }),
    call('c2', 't2', '2026-01-06T16:00:00Z', { missedAt: '2026-01-06T16:00:20Z', endedAt: '2026-01-06T16:00:40Z' }),
    call('c3', null, '2026-01-06T17:00:00Z', { outcome: 'answered', dialStatus: 'completed' }),
    call('c4', 't3', '2026-01-06T18:00:00Z', { missedAt: '2026-01-06T18:00:20Z', textBackSkipped: 'landline' }),
    call('c5', 't1', '2026-01-06T19:00:00Z', { missedAt: '2026-01-06T19:00:20Z', endedAt: '2026-01-06T19:00:30Z', textBackSkipped: 'duplicate' }),
    call('c6', 't4', '2026-01-06T05:00:00Z', { missedAt: '2026-01-06T05:00:20Z' }), // the evening before, local time
  ],
  messages: [
    msg('m1', 't1', { sentAt: '2026-01-06T15:01:02Z', status: 'delivered' }),
    msg('m2', 't2', { sentAt: '2026-01-06T16:00:50Z', status: 'failed' }),
    msg('in1', 't1', { direction: 'in', kind: 'inbound', at: '2026-01-06T15:05:00Z', status: 'received', text: 'Can I come at 3?' }),
    msg('r1', 't1', { kind: 'reply', at: '2026-01-06T15:10:00Z', sentAt: '2026-01-06T15:10:01Z', staffId: 's1', staffName: 'Ana', text: 'See you at 3' }),
    msg('in2', 't2', { direction: 'in', kind: 'inbound', at: '2026-01-06T16:30:00Z', status: 'received', text: 'STOP' }),
  ],
  threads: [
    thread('t1', { status: 'resolved', lastMissedAt: '2026-01-06T19:00:20Z' }),
    thread('t2', { status: 'resolved', lastMissedAt: '2026-01-06T16:00:20Z' }),
    thread('t3', { lastMissedAt: '2026-01-06T18:00:20Z', lineType: 'landline' }),
  ],
  claims: [
    { threadId: 't1', at: '2026-01-06T15:02:20Z', staffId: 's1', staffName: 'Ana' },
    { threadId: 't2', at: '2026-01-06T16:10:20Z', staffId: 's2', staffName: 'Sam' },
  ],
  resolutions: [
    { threadId: 't2', at: '2026-01-06T17:00:00Z', outcome: 'spam', value: 0, staffId: 's2', staffName: 'Sam' },
    { threadId: 't1', at: '2026-01-06T20:00:00Z', outcome: 'booked', value: 420, staffId: 's1', staffName: 'Ana' },
  ],
  optOuts: ['2026-01-06T16:30:01Z', '2026-01-05T12:00:00Z'],
};

describe('computeMetrics', () => {
  it('matches a hand-computed day', () => {
    const m = computeMetrics(fixture);
    expect(m).toMatchObject({
      inbound: 5,
      answered: 1,
      missed: 4,
      smsCapable: 3, // c4 is a landline
      texted: 2,
      delivered: 1,
      failed: 1,
      replied: 2,
      qualified: 1, // only t1 had both a reply and a staff answer
      staffReplies: 1,
      claimed: 2,
      booked: 1,
      revenue: 420,
      optOuts: 1,
      slaBreaches: 2, // Sam took 10 min; t3 is still unclaimed
      smsSegments: 3,
      openUnclaimed: 1,
      breachingSla: 1,
      medianTimeToTextSec: 6, // 2 s and 10 s
      p90TimeToTextSec: 10,
      medianTimeToClaimSec: 360, // 120 s and 600 s
      p90TimeToClaimSec: 600,
      medianTimeToHumanReplySec: 580,
      revenuePerMissedCall: 105,
      costPerBooking: 3.03,
    });
    expect(m.rates).toEqual({
      missedCallRate: 0.8,
      autoTextRate: 0.5,
      contactability: 0.75,
      deliveryRate: 0.5,
      replyRate: 1,
      qualifiedRate: 0.5,
      bookingPerDelivered: 1,
      bookingPerReply: 0.5,
      optOutRate: 0.5,
    });
    expect(m.roi).toEqual({
      subscriptionCost: 3,
      smsCost: 0.03,
      cost: 3.03,
      revenue: 420,
      estimatedRevenue: 350,
      net: 416.97,
      multiple: 138.61,
      paybackDays: 0.21,
      adminMinutesSaved: 4,
    });
    const busy = m.byHour.filter((h) => h.missed || h.answered);
    expect(busy).toEqual([
      { hour: 9, missed: 1, answered: 0 },
      { hour: 10, missed: 1, answered: 0 },
      { hour: 11, missed: 0, answered: 1 },
      { hour: 12, missed: 1, answered: 0 },
      { hour: 13, missed: 1, answered: 0 },
    ]);
    expect(m.staff).toEqual([
      { staffId: 's1', name: 'Ana', claimed: 1, replied: 1, booked: 1 },
      { staffId: 's2', name: 'Sam', claimed: 1, replied: 0, booked: 0 },
    ]);
  });

  it('a booking undone by a later resolution in the range does not count', () => {
    const m = computeMetrics({
      ...fixture,
      resolutions: [...fixture.resolutions, { threadId: 't1', at: '2026-01-06T21:00:00Z', outcome: 'no-answer', value: 0, staffId: 's1', staffName: 'Ana' }],
    });
    expect(m.booked).toBe(0);
    expect(m.revenue).toBe(0);
  });

  it('an empty range has zeros and no ratios, never NaN', () => {
    const m = computeMetrics({ ...fixture, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') });
    expect(m).toMatchObject({ inbound: 0, missed: 0, texted: 0, revenue: 0, medianTimeToTextSec: null, revenuePerMissedCall: null, costPerBooking: null });
    expect(Object.values(m.rates).every((r) => r === null)).toBe(true);
    expect(m.roi.multiple).toBe(0);
    expect(m.roi.paybackDays).toBeNull();
    expect(JSON.stringify(m)).not.toContain('NaN');
  });

  it('the SLA counts open hours, as escalations do: a 1:30 AM call is not breaching at 7:30, and is 5 open minutes after 8:00', () => {
    // Tuesday 6 Jan 2026, Chicago (UTC−6), open 08:00–17:00. Called at 01:30 local = 07:30Z.
    const weekday: [string, string][] = [['08:00', '17:00']];
    const office: OpenHours = { timezone: 'America/Chicago', hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } };
    const night = thread('n1', { openedAt: '2026-01-06T07:30:00Z', lastMissedAt: '2026-01-06T07:30:00Z' });
    const at = (now: string, claims: MetricsInput['claims'] = []) =>
      computeMetrics({
        ...fixture,
        openHours: (id) => (id === 'main' ? office : always),
        now: new Date(now),
        threads: [claims[0] ? { ...night, claim: { staffId: 's1', staffName: 'Ana', at: claims[0].at } } : night],
        calls: [call('cn', 'n1', '2026-01-06T07:29:40Z', { missedAt: '2026-01-06T07:30:00Z' })],
        messages: [],
        claims,
        resolutions: [],
      });
    const escalates = (now: string) => slaElapsed(office.hours, office.timezone, new Date(night.lastMissedAt!), new Date(now), 5);

    // 07:30 local: six hours on the clock, no open minute yet.
    expect([at('2026-01-06T13:30:00Z').breachingSla, at('2026-01-06T13:30:00Z').slaBreaches, escalates('2026-01-06T13:30:00Z')]).toEqual([0, 0, false]);
    // 08:04:59: still inside the SLA in both.
    expect([at('2026-01-06T14:04:59Z').breachingSla, escalates('2026-01-06T14:04:59Z')]).toEqual([0, false]);
    // 08:05: breaching in the figures and escalated, together.
    expect([at('2026-01-06T14:05:00Z').breachingSla, at('2026-01-06T14:05:00Z').slaBreaches, escalates('2026-01-06T14:05:00Z')]).toEqual([1, 1, true]);
    // Claimed at 08:03: on time, though 6½ hours after the call; at 08:06 it is a late claim.
    const claim = (t: string) => [{ threadId: 'n1', at: t, staffId: 's1', staffName: 'Ana' }];
    expect(at('2026-01-06T15:00:00Z', claim('2026-01-06T14:03:00Z')).slaBreaches).toBe(0);
    expect(at('2026-01-06T15:00:00Z', claim('2026-01-06T14:06:00Z')).slaBreaches).toBe(1);
  });

  it('defines every top-level figure', () => {
    const m = computeMetrics(fixture);
    for (const key of Object.keys(m)) {
      if (['from', 'to', 'locationId', 'rates', 'roi'].includes(key)) continue;
      expect(metricDefinitions, key).toHaveProperty(key);
    }
    for (const key of Object.keys(m.rates)) expect(metricDefinitions).toHaveProperty(`rates.${key}`);
    for (const key of Object.keys(m.roi)) expect(metricDefinitions).toHaveProperty(`roi.${key}`);
  });
});

describe('hours of the day', () => {
  it('follows the clock change on a DST day', () => {
    const hourOf = hourOfDay('America/Chicago');
    expect(hourOf(Date.parse('2026-03-08T07:30:00Z')).hour).toBe(1); // 01:30 CST
    expect(hourOf(Date.parse('2026-03-08T08:30:00Z')).hour).toBe(3); // 03:30 CDT: 2 am never happened
    expect(hourOf(Date.parse('2026-11-01T06:30:00Z')).hour).toBe(1); // 01:30 CDT
    expect(hourOf(Date.parse('2026-11-01T07:30:00Z')).hour).toBe(1); // 01:30 CST again
    expect(hourOf(Date.parse('2026-03-08T08:30:00Z')).weekday).toBe(0); // Sunday
  });

  it('averages the usual missed calls per hour and fills the weekday × hour grid', () => {
    const calls = [
      call('a', null, '2026-01-13T15:10:00Z'), // Tue 09:10 local
      call('b', null, '2026-01-20T15:20:00Z'), // Tue 09:20
      call('c', null, '2026-01-20T15:40:00Z', { outcome: 'answered' }),
    ];
    const days = [
      { from: new Date('2026-01-13T06:00:00Z'), to: new Date('2026-01-14T06:00:00Z') },
      { from: new Date('2026-01-20T06:00:00Z'), to: new Date('2026-01-21T06:00:00Z') },
      { from: new Date('2026-01-27T06:00:00Z'), to: new Date('2026-01-28T06:00:00Z') },
      { from: new Date('2026-02-03T06:00:00Z'), to: new Date('2026-02-04T06:00:00Z') },
    ];
    expect(usualMissedByHour(calls, days, 'America/Chicago')[9]).toEqual({ hour: 9, missed: 0.5 });
    const grid = staffingGrid(calls, new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'), 'America/Chicago');
    expect(grid).toHaveLength(168);
    expect(grid[2 * 24 + 9]).toEqual({ weekday: 2, hour: 9, missed: 2, answered: 1 });
    expect(grid.reduce((s, c) => s + c.missed + c.answered, 0)).toBe(3);
  });
});

describe('facts add up', () => {
  it('the merge of each hour of the day equals the whole day', async () => {
    const { computeFacts, finalizeMetrics, mergeFacts } = await import('./metrics.js');
    const whole = computeMetrics(fixture);
    const parts = Array.from({ length: 24 }, (_, h) =>
      computeFacts({ ...fixture, from: new Date(fixture.from.getTime() + h * 3_600_000), to: new Date(fixture.from.getTime() + (h + 1) * 3_600_000) }),
    );
    const merged = finalizeMetrics(mergeFacts(parts), fixture);
    expect(merged).toEqual(whole);
  });

  it('folding each hour into empty facts, one at a time, equals the whole day and leaves the hours untouched', async () => {
    const { computeFacts, emptyFacts, finalizeMetrics, foldFacts } = await import('./metrics.js');
    const whole = computeMetrics(fixture);
    const parts = Array.from({ length: 24 }, (_, h) =>
      computeFacts({ ...fixture, from: new Date(fixture.from.getTime() + h * 3_600_000), to: new Date(fixture.from.getTime() + (h + 1) * 3_600_000) }),
    );
    const before = JSON.stringify(parts, (_k, v) => (v instanceof Set || v instanceof Map ? [...v] : v));
    const acc = emptyFacts();
    for (const p of parts) foldFacts(acc, p);
    expect(finalizeMetrics(acc, fixture)).toEqual(whole);
    expect(JSON.stringify(parts, (_k, v) => (v instanceof Set || v instanceof Map ? [...v] : v))).toBe(before);
  });
});

describe('the booking funnel', () => {
  const assistant = (qualifiedAt: string | null) => ({
    step: 'booked' as const,
    questionId: null,
    serviceId: 'cleaning',
    answers: {},
    wish: null,
    offered: [],
    textsSinceReply: 0,
    startedAt: '2026-01-06T23:02:00Z',
    qualifiedAt,
    bookingId: 'b1',
    handedOff: null,
  });
  // On top of the hand-computed day: t5 booked by the assistant (and the resolution it writes), t6 booked by the
  // caller on the booking page with no resolution; t1 stays booked by Ana by hand. t5's booking moves the next day.
  // Text-backs of an A/B test: t1, t2 and t6 got A, t5 got B.
  const ab = (variant: string) => ({ variant: { experiment: 'hook', variant } });
  const funnelDay: MetricsInput = {
    ...fixture,
    calls: [
      ...fixture.calls,
      call('c7', 't5', '2026-01-06T23:00:00Z', { missedAt: '2026-01-06T23:00:20Z', endedAt: '2026-01-06T23:00:20Z' }),
      call('c8', 't6', '2026-01-07T00:59:40Z', { missedAt: '2026-01-07T01:00:00Z', endedAt: '2026-01-07T01:00:00Z' }),
    ],
    messages: [
      ...fixture.messages.map((m) => (m.kind === 'text-back' ? { ...m, ...ab('A') } : m)),
      msg('m3', 't5', { sentAt: '2026-01-06T23:00:25Z', status: 'delivered', ...ab('B') }),
      msg('in3', 't5', { direction: 'in', kind: 'inbound', at: '2026-01-06T23:02:00Z', status: 'received', text: 'can I come in tomorrow morning for a cleaning?' }),
      msg('a1', 't5', { kind: 'assistant', at: '2026-01-06T23:02:01Z', sentAt: '2026-01-06T23:02:02Z', status: 'delivered', text: '1) 9:00 2) 9:30 3) 10:00' }),
      msg('m4', 't6', { sentAt: '2026-01-07T01:00:05Z', status: 'delivered', ...ab('A') }),
    ],
    threads: [
      ...fixture.threads,
      thread('t5', { status: 'resolved', lastMissedAt: '2026-01-06T23:00:20Z', assistant: assistant('2026-01-06T23:03:00Z') }),
      thread('t6', { lastMissedAt: '2026-01-07T01:00:00Z' }),
    ],
    resolutions: [...fixture.resolutions, { threadId: 't5', at: '2026-01-06T23:05:20Z', outcome: 'booked', value: 150, staffId: 'assistant', staffName: 'Assistant' }],
    bookings: [
      { threadId: 't5', bookingId: 'b1', at: '2026-01-06T23:05:20Z', by: 'assistant', value: 150 },
      { threadId: 't6', bookingId: 'b2', at: '2026-01-07T02:00:00Z', by: 'self', value: 90 },
      { threadId: 't5', bookingId: 'b3', at: '2026-01-07T15:00:00Z', by: 'assistant', value: 150 }, // moved, next day
    ],
  };

  it('counts a hand-computed day: missed → texted → replied → qualified → booked, by whom, and the time to booking', () => {
    const m = computeMetrics(funnelDay);
    expect(m.funnel).toEqual({
      missed: 6, // the four of the day, t5 and t6
      texted: 4,
      replied: 4, // t1, t2, t5 wrote; t6 booked on the page without writing
      qualified: 3, // t1 two-way with Ana, t5 by the assistant, t6 booked
      booked: 3,
      bookedBy: { assistant: 1, self: 1, staff: 1 },
      medianTimeToBookingSec: 3580, // t1: 19:00:20 → 20:00:00; t5: 300 s; t6: 3600 s
      p90TimeToBookingSec: 3600,
      byVariant: [
        { experiment: 'hook', variant: 'A', texted: 3, booked: 2, rate: 2 / 3 }, // t1 by Ana, t6 on the page
        { experiment: 'hook', variant: 'B', texted: 1, booked: 1, rate: 1 }, // t5 by the assistant
      ],
    });
    // The assistant's resolution is revenue, not a person's booking; t6's booking page booking counts with its value.
    expect(m).toMatchObject({ booked: 3, revenue: 660 });
    expect(m.staff.map((s) => [s.name, s.booked])).toEqual([['Ana', 1], ['Sam', 0]]);
  });

  it('a range spanning days counts a thread booked on both days once, and its time to booking once', () => {
    const nextDay = { from: new Date('2026-01-07T06:00:00Z'), to: new Date('2026-01-08T06:00:00Z') };
    const second = computeMetrics({ ...funnelDay, ...nextDay });
    expect(second.funnel).toMatchObject({ missed: 0, booked: 1, bookedBy: { assistant: 1, self: 0, staff: 0 }, medianTimeToBookingSec: null });
    expect(second.funnel.byVariant).toEqual([{ experiment: 'hook', variant: 'B', texted: 0, booked: 1, rate: null }]);
    const both = computeMetrics({ ...funnelDay, to: nextDay.to });
    expect(both.funnel).toMatchObject({ missed: 6, replied: 4, qualified: 3, booked: 3, bookedBy: { assistant: 1, self: 1, staff: 1 }, medianTimeToBookingSec: 3580, p90TimeToBookingSec: 3600 });
    // t5 booked on both days converts B once.
    expect(both.funnel.byVariant.map((v) => [v.variant, v.texted, v.booked])).toEqual([['A', 3, 2], ['B', 1, 1]]);
  });

  it('a booked resolution by staff is a staff booking only when the thread has no booking record', () => {
    const m = computeMetrics({
      ...funnelDay,
      bookings: [{ threadId: 't1', bookingId: 'b4', at: '2026-01-06T20:00:00Z', by: 'staff', value: 420 }],
      resolutions: fixture.resolutions,
    });
    expect(m.funnel.bookedBy).toEqual({ assistant: 0, self: 0, staff: 1 });
    expect(m.funnel.booked).toBe(1);
    expect(m.staff[0]).toMatchObject({ name: 'Ana', booked: 1 });
  });

  it('adds up: each hour merged, and the two days folded, equal the whole', async () => {
    const { computeFacts, emptyFacts, finalizeMetrics, foldFacts, mergeFacts } = await import('./metrics.js');
    const whole = computeMetrics(funnelDay);
    const hour = (h: number) => ({ from: new Date(funnelDay.from.getTime() + h * 3_600_000), to: new Date(funnelDay.from.getTime() + (h + 1) * 3_600_000) });
    expect(finalizeMetrics(mergeFacts(Array.from({ length: 24 }, (_, h) => computeFacts({ ...funnelDay, ...hour(h) }))), funnelDay)).toEqual(whole);
    const to = new Date('2026-01-08T06:00:00Z');
    const acc = emptyFacts();
    foldFacts(acc, computeFacts(funnelDay));
    foldFacts(acc, computeFacts({ ...funnelDay, from: funnelDay.to, to }));
    expect(finalizeMetrics(acc, { ...funnelDay, to }).funnel).toEqual(computeMetrics({ ...funnelDay, to }).funnel);
  });

  it('survives a JSON round trip of its facts (Sets and Maps as arrays)', async () => {
    const { computeFacts, finalizeMetrics } = await import('./metrics.js');
    const f = computeFacts(funnelDay);
    const json = JSON.parse(JSON.stringify(f, (_k, v) => (v instanceof Set || v instanceof Map ? [...v] : v))) as Record<string, unknown>;
    const back = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v instanceof Set ? new Set(json[k] as string[]) : v instanceof Map ? new Map(json[k] as [string, unknown][]) : json[k]]));
    expect(finalizeMetrics(back as unknown as typeof f, funnelDay)).toEqual(computeMetrics(funnelDay));
  });

  it('defines every funnel figure', () => {
    for (const key of Object.keys(computeMetrics(funnelDay).funnel)) expect(metricDefinitions).toHaveProperty(`funnel.${key}`);
  });
});
