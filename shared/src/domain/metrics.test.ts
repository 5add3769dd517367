import { describe, it, expect } from 'vitest';
import type { Call, Message, Metrics, ThreadSummary } from '../contract/model.js';
import { computeMetrics, metricDefinitions, type MetricsInput } from './metrics.js';

const D = '2026-01-06T'; // the day in range
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
  at: over.sentAt ?? over.at ?? `${D}00:00:00Z`,
  sentAt: null,
  status: 'sent',
  statusReason: null,
  plivoUuid: null,
  staffId: null,
  staffName: null,
  clientId: null,
  ...over,
});
const inbound = (id: string, threadId: string, at: string) => msg(id, threadId, { direction: 'in', kind: 'inbound', at, status: 'received' });
const thread = (id: string, over: Partial<ThreadSummary>): ThreadSummary => ({
  id,
  seq: 1,
  locationId: 'main',
  trackingNumber: '+15125550100',
  caller: '+15125550123',
  callerName: null,
  status: 'open',
  openedAt: `${D}00:00:00Z`,
  updatedAt: `${D}00:00:00Z`,
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
const claim = (at: string) => ({ staffId: 's1', staffName: 'Ana', at });
const resolution = (outcome: 'booked' | 'spam', value: number, at: string) => ({ outcome, value, staffId: 's1', staffName: 'Ana', at });

const calls: Call[] = [
  call('c1', 't1', `${D}10:00:00Z`, { missedAt: `${D}10:00:20Z`, endedAt: `${D}10:01:00Z` }), // text 30 s after end
  call('c2', 't2', `${D}11:00:00Z`, { missedAt: `${D}11:00:20Z` }), // no end: 45 s after the miss
  call('c3', 't3', `${D}12:00:00Z`, { outcome: 'answered', dialStatus: 'completed', endedAt: `${D}12:05:00Z` }),
  call('c4', 't1', `${D}10:10:00Z`, { missedAt: `${D}10:10:20Z`, endedAt: `${D}10:11:00Z` }), // duplicate: no text of its own
  call('c5', 't1', `${D}19:58:30Z`, { missedAt: `${D}19:59:00Z`, endedAt: `${D}19:59:40Z` }), // 20 s
  call('c6', 't4', '2026-01-05T23:59:00Z', { missedAt: '2026-01-05T23:59:20Z' }), // before the range
  call('c7', 't5', `${D}23:59:59Z`, { missedAt: '2026-01-07T00:00:10Z', endedAt: '2026-01-07T00:00:30Z' }), // 30 s, text after range
  call('c8', null, `${D}14:00:00Z`, { missedAt: `${D}14:00:20Z` }), // no thread
  call('c9', 't6', `${D}15:00:00Z`, { missedAt: `${D}15:00:10Z`, endedAt: `${D}15:00:30Z` }), // text-back blocked
  call('c10', 't7', `${D}16:00:00Z`, { missedAt: `${D}16:00:20Z`, endedAt: `${D}16:02:00Z` }), // sent before hangup → 0
];
const messages: Message[] = [
  msg('m1', 't1', { sentAt: `${D}10:01:30Z`, status: 'delivered' }),
  msg('m2', 't2', { sentAt: `${D}11:01:05Z`, status: 'sent' }),
  msg('m5', 't1', { sentAt: `${D}20:00:00Z`, status: 'delivered' }),
  msg('m6', 't5', { sentAt: '2026-01-07T00:01:00Z', status: 'delivered' }),
  msg('m7', 't6', { at: `${D}15:00:31Z`, status: 'blocked' }),
  msg('m8', 't7', { sentAt: `${D}16:01:00Z`, status: 'failed' }),
  msg('m9', 't8', { at: `${D}09:00:00Z`, status: 'queued' }),
  msg('r1', 't1', { kind: 'reply', sentAt: `${D}10:07:00Z`, status: 'delivered' }),
  inbound('i1', 't1', `${D}10:05:00Z`),
  inbound('i2', 't1', `${D}10:06:00Z`),
  inbound('i3', 't2', '2026-01-07T01:00:00Z'),
  inbound('i4', 't3', `${D}13:00:00Z`),
];
const threads: ThreadSummary[] = [
  thread('t1', { claim: claim(`${D}10:03:00Z`), lastMissedAt: `${D}19:59:00Z` }), // claimed before its last miss
  thread('t2', { status: 'resolved', claim: claim(`${D}11:05:00Z`), lastMissedAt: `${D}11:00:20Z`, resolution: resolution('booked', 200, `${D}11:30:00Z`) }),
  thread('t3', { status: 'resolved', resolution: resolution('booked', 150, '2026-01-07T02:00:00Z') }),
  thread('t4', { lastMissedAt: '2026-01-05T23:59:20Z' }),
  thread('t5', { lastMissedAt: '2026-01-07T00:00:10Z' }),
  thread('t6', { status: 'resolved', claim: claim(`${D}15:05:00Z`), lastMissedAt: `${D}15:00:10Z`, resolution: resolution('spam', 0, `${D}15:10:00Z`) }),
  thread('t7', { claim: claim(`${D}16:03:00Z`), lastMissedAt: `${D}16:00:20Z` }),
  thread('t8', { status: 'resolved', claim: claim('2026-01-05T20:00:00Z'), resolution: resolution('booked', 300, `${D}09:00:00Z`) }),
  thread('t9', { openedAt: '2026-01-07T11:56:00Z' }), // 4 min old
  thread('t10', { lastMissedAt: '2026-01-07T11:55:00Z' }), // exactly at the SLA: not yet breaching
];
const input: MetricsInput = {
  threads,
  calls,
  messages,
  from: new Date(`${D}00:00:00Z`),
  to: new Date('2026-01-07T00:00:00Z'),
  now: new Date('2026-01-07T12:00:00Z'),
  slaMinutes: 5,
};

describe('computeMetrics', () => {
  it('matches the hand-computed fixture', () => {
    expect(computeMetrics(input)).toEqual<Metrics>({
      from: '2026-01-06T00:00:00.000Z',
      to: '2026-01-07T00:00:00.000Z',
      inbound: 9, // all but c6
      missed: 8, // minus the answered c3
      texted: 4, // m1 m2 m5 m8 (m6 after the range, m7 blocked, m9 queued, r1 not a text-back)
      delivered: 2, // m1 m5
      replied: 2, // t1 (twice) and t3; t2's reply is after the range
      claimed: 4, // t1 t2 t6 t7
      booked: 2, // t2 t8
      revenue: 500,
      openUnclaimed: 4, // t4 t5 t9 t10
      breachingSla: 2, // t4 t5
      medianTimeToTextSec: 30, // [0 (c10), 20 (c5), 30 (c1), 30 (c7), 45 (c2)]
      p90TimeToTextSec: 45,
      medianTimeToClaimSec: 280, // [160 (t7), 280 (t2), 290 (t6)]; t1 claimed before its last miss
    });
  });

  it('credits a text-back only to the last missed call before it in the thread', () => {
    // In the fixture c5 comes between c4 and m5, so c4 gets no time. Without c5, m5 is c4's: 20:00:00 − 10:11:00.
    const m = computeMetrics({ ...input, calls: calls.filter((c) => c.id !== 'c5' && c.id !== 'c1') });
    expect(m.medianTimeToTextSec).toBe(37.5); // [0 (c10), 30 (c7), 45 (c2), 35 340 (c4)]
    expect(m.p90TimeToTextSec).toBe(35_340);
  });

  it('gives zeros and nulls for an empty range but still reports the current state', () => {
    const empty = computeMetrics({ ...input, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') });
    expect(empty).toEqual<Metrics>({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
      inbound: 0,
      missed: 0,
      texted: 0,
      delivered: 0,
      replied: 0,
      claimed: 0,
      booked: 0,
      revenue: 0,
      openUnclaimed: 4,
      breachingSla: 2,
      medianTimeToTextSec: null,
      p90TimeToTextSec: null,
      medianTimeToClaimSec: null,
    });
  });

  it('handles no data at all', () => {
    const m = computeMetrics({ ...input, threads: [], calls: [], messages: [] });
    expect(m).toMatchObject({ inbound: 0, openUnclaimed: 0, breachingSla: 0, medianTimeToTextSec: null, medianTimeToClaimSec: null });
  });

  it('defines every figure', () => {
    const figures = Object.keys(computeMetrics(input)).filter((k) => k !== 'from' && k !== 'to');
    expect(Object.keys(metricDefinitions).sort()).toEqual(figures.sort());
    for (const text of Object.values(metricDefinitions)) expect(text.length).toBeGreaterThan(10);
  });
});
