import { afterEach, describe, expect, it } from 'vitest';
import { localTime } from '@ringback/shared';
import { startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

/** A day of sandbox traffic through the real relay; every figure checked against what happened. */
describe('metrics over a day of traffic', () => {
  it('counts calls, texts, replies, opt-outs, claims and bookings, and exports them', async () => {
    relay = await startTestRelay({
      business: testBusiness((c) => {
        c.business.monthlyCost = 300;
        c.business.smsUnitCost = 0.01;
        c.business.assumedBookingRate = 0.5;
      }),
    });
    const ana = await relay.staff('Ana', 'manager');
    const sam = await relay.staff('Sam');
    const A = '+15125550201';
    const B = '+15125550202';
    const C = '+15125550203';
    const L = '+15125550204';
    await relay.call({ from: '+15125550200', answered: true });
    await relay.call({ from: A, answered: false });
    await relay.call({ from: B, answered: false, hangupWhileRinging: true });
    await relay.call({ from: C, answered: false, voicemail: 15 });
    await relay.call({ from: L, answered: false, landline: true });
    await waitFor(async () => (await relay.sent()).length === 3, 'three text-backs');
    await waitFor(() => Object.values(relay.store.data.messages).filter((m) => m.status === 'delivered').length === 3, 'deliveries');

    await relay.sms('Can I book a cleaning?', A);
    await relay.sms('STOP', B);
    const threads = (await relay.api(ana, 'GET', '/api/threads')).body.threads as { id: string; caller: string }[];
    const id = (n: string) => threads.find((t) => t.caller === n)!.id;
    expect((await relay.api(sam, 'POST', `/api/threads/${id(A)}/messages`, { text: 'Thursday 3pm works?', clientId: 'x1' })).status).toBe(201);
    expect((await relay.api(ana, 'POST', `/api/threads/${id(C)}/claim`)).status).toBe(200);
    expect((await relay.api(sam, 'POST', `/api/threads/${id(A)}/resolve`, { outcome: 'booked', value: 500 })).status).toBe(200);
    expect((await relay.api(ana, 'POST', `/api/threads/${id(C)}/resolve`, { outcome: 'booked' })).status).toBe(200);
    await waitFor(() => Object.values(relay.store.data.messages).filter((m) => m.kind === 'reply' && m.status === 'delivered').length === 1, 'reply delivered');

    const m = (await relay.api(ana, 'GET', '/api/metrics')).body;
    expect(m).toMatchObject({
      inbound: 5,
      answered: 1,
      missed: 4,
      smsCapable: 3,
      texted: 3,
      delivered: 3,
      failed: 0,
      replied: 2, // A's question and B's STOP
      qualified: 1,
      staffReplies: 1,
      claimed: 2, // Sam by replying, Ana by claiming
      booked: 2,
      revenue: 850, // 500 + the average value (350)
      optOuts: 1,
      openUnclaimed: 2, // B and the landline
    });
    expect(m.rates).toMatchObject({ missedCallRate: 0.8, autoTextRate: 0.75, contactability: 0.75, deliveryRate: 1, replyRate: 2 / 3 });
    expect(m.roi).toMatchObject({ revenue: 850, subscriptionCost: 10, estimatedRevenue: 350 });
    expect(m.roi.smsCost).toBeCloseTo(m.smsSegments * 0.01, 2);
    expect(m.smsSegments).toBeGreaterThanOrEqual(5); // 3 text-backs, the STOP confirmation, the reply
    expect(m.medianTimeToTextSec).toBeGreaterThanOrEqual(0);
    expect(m.staff.map((s: { name: string }) => s.name).sort()).toEqual(['Ana', 'Sam']);
    expect(m.byHour.reduce((s: number, h: { missed: number }) => s + h.missed, 0)).toBe(4);
    expect(m.usualByHour).toHaveLength(24);

    const other = (await relay.api(ana, 'GET', '/api/metrics?location=elsewhere')).body;
    expect(other.error.message).toMatch(/does not exist/);
    const main = (await relay.api(ana, 'GET', '/api/metrics?location=main')).body;
    expect(main.missed).toBe(4);

    const calls = String((await relay.api(ana, 'GET', '/api/export/calls.csv')).body).trim().split('\n');
    expect(calls).toHaveLength(6);
    expect(calls.filter((l) => l.includes(',missed,'))).toHaveLength(4);
    const messages = String((await relay.api(ana, 'GET', '/api/export/messages.csv')).body);
    expect(messages).toContain('Thursday 3pm works?');
    const staffingCsv = String((await relay.api(ana, 'GET', '/api/export/staffing.csv')).body).trim().split('\n');
    expect(staffingCsv[0]).toBe('weekday,hour,missed,answered');
    expect(staffingCsv).toHaveLength(1 + 7 * 24);
    expect(staffingCsv.slice(1).reduce((s, l) => s + Number(l.split(',')[2]), 0)).toBe(4);
    const grid = (await relay.api(ana, 'GET', '/api/staffing')).body.cells as { missed: number; answered: number }[];
    expect(grid.reduce((s, c) => s + c.missed, 0)).toBe(4);
    expect(grid.reduce((s, c) => s + c.answered, 0)).toBe(1);

    const month = localTime(new Date(), 'America/Chicago').date.slice(0, 7);
    const review = await relay.api(ana, 'GET', `/api/reports/monthly?month=${month}`);
    expect(review.status).toBe(200);
    expect(String(review.body)).toContain('Monthly review');
    expect(String(review.body)).toContain('$850');
    expect((await relay.api(ana, 'GET', '/api/reports/monthly?month=2026-13')).status).toBe(400);
  });
});

describe('cached figures', () => {
  it('a change to an old day shows in the next range query', async () => {
    let clock = new Date('2026-11-02T16:00:00Z');
    relay = await startTestRelay({ now: () => clock });
    const ana = await relay.staff('Ana', 'manager');
    await relay.call({ answered: false });
    await waitFor(() => Object.values(relay.store.data.messages).find((m) => m.status === 'delivered'), 'delivered');
    clock = new Date('2026-11-05T16:00:00Z');
    const range = '/api/metrics?from=2026-11-01T00:00:00Z&to=2026-11-05T12:00:00Z';
    expect((await relay.api(ana, 'GET', range)).body).toMatchObject({ missed: 1, delivered: 1, failed: 0 });
    expect((await relay.api(ana, 'GET', range)).body).toMatchObject({ missed: 1, delivered: 1 }); // from the caches
    // A late report turns the old text into a failure: the change goes through the store as in production.
    const message = Object.values(relay.store.data.messages)[0]!;
    message.status = 'failed';
    relay.store.touch('messages', message.id);
    expect((await relay.api(ana, 'GET', range)).body).toMatchObject({ missed: 1, delivered: 0, failed: 1 });
  });
});

describe('spans built across turns of the event loop', () => {
  it('a change to a day already folded in keeps the half-built span out of the cache', async () => {
    let clock = new Date('2026-11-02T16:00:00Z');
    relay = await startTestRelay({ now: () => clock });
    const ana = await relay.staff('Ana', 'manager');
    await relay.call({ answered: false });
    await waitFor(() => Object.values(relay.store.data.messages).find((m) => m.status === 'delivered'), 'delivered');
    clock = new Date('2026-11-30T16:00:00Z');
    relay.queries.sliceMs = 0; // a turn of the event loop after every day
    const from = new Date('2026-11-02T00:00:00Z');
    const to = new Date('2026-11-30T00:00:00Z');
    const building = relay.queries.prepare(from, to, undefined); // 2 November is folded in, then it yields
    const message = Object.values(relay.store.data.messages)[0]!;
    message.status = 'failed';
    relay.store.touch('messages', message.id);
    await building;
    expect([...relay.queries.spans.entries()].some(([, s]) => s.first === from.getTime() && s.last === to.getTime())).toBe(false);
    const range = `/api/metrics?from=${from.toISOString()}&to=${to.toISOString()}`;
    expect((await relay.api(ana, 'GET', range)).body).toMatchObject({ missed: 1, delivered: 0, failed: 1 });
    // Built undisturbed, the span is kept and answers the same.
    await relay.queries.prepare(from, to, undefined);
    expect([...relay.queries.spans.entries()].some(([, s]) => s.first === from.getTime() && s.last === to.getTime())).toBe(true);
    expect((await relay.api(ana, 'GET', range)).body).toMatchObject({ missed: 1, delivered: 0, failed: 1 });
  });
});
