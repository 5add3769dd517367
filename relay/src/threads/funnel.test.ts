import { afterEach, describe, expect, it } from 'vitest';
import { assistantVariant, experimentSchema, type Funnel } from '@ringback/shared';
import { bookingBusiness } from '../booking/page/fixture.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const MIN = 60_000;
const TOKEN = /\/book\/([A-Za-z0-9_-]{22})/;

/** Book the first free cleaning on the caller's own page, as the caller's phone would. */
async function selfBook(text: string): Promise<void> {
  const token = TOKEN.exec(text)?.[1];
  expect(token, text).toBeTruthy();
  const slots = await relay.api(null, 'GET', `/book/${token}/slots?service=cleaning`);
  const start = slots.body.days[0].slots[0].start as string;
  const booked = await relay.api(null, 'POST', `/book/${token}`, { serviceId: 'cleaning', start });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
}

describe('the booking funnel through the real relay', () => {
  it('/api/metrics carries the funnel: a booking on the page, one staff recorded, a reply, and the time to each booking', async () => {
    const clock = { now: new Date('2026-12-02T15:00:00Z') }; // Wednesday 09:00 in Chicago
    relay = await startTestRelay({ business: bookingBusiness(), now: () => clock.now });
    const ana = await relay.staff('Ana', 'manager');
    const sam = await relay.staff('Sam');
    const [A, B, C] = ['+15125550301', '+15125550302', '+15125550303'];
    for (const from of [A, B, C]) await relay.call({ from, answered: false });
    const texts = await waitFor(async () => ((await relay.sent()).length === 3 ? relay.sent() : undefined), 'three text-backs');

    clock.now = new Date(clock.now.getTime() + 10 * MIN);
    await selfBook(texts.find((t) => t.to === A)!.text);

    clock.now = new Date(clock.now.getTime() + 20 * MIN);
    const threads = (await relay.api(ana, 'GET', '/api/threads')).body.threads as { id: string; caller: string }[];
    const b = threads.find((t) => t.caller === B)!.id;
    expect((await relay.api(sam, 'POST', `/api/threads/${b}/messages`, { text: 'Booked you for Friday at 10', clientId: 'f1' })).status).toBe(201);
    expect((await relay.api(sam, 'POST', `/api/threads/${b}/resolve`, { outcome: 'booked', value: 200 })).status).toBe(200);
    await relay.sms('Is Friday possible?', C);

    const m = (await relay.api(ana, 'GET', '/api/metrics')).body;
    expect(m.funnel).toEqual({
      missed: 3,
      texted: 3,
      replied: 3, // C wrote; A and B booked
      qualified: 2, // the two booked threads (nobody had a two-way conversation)
      booked: 2,
      bookedBy: { assistant: 0, self: 1, staff: 1 },
      medianTimeToBookingSec: 1200, // 600 s for A on the page, 1800 s for B by Sam
      p90TimeToBookingSec: 1800,
      byVariant: [],
    } satisfies Funnel);
    // The page's booking resolved A with the service's value; it is nobody's on the staff board.
    expect(m).toMatchObject({ booked: 2, revenue: 350 });
    expect(m.staff.find((s: { name: string }) => s.name === 'Sam')).toMatchObject({ booked: 1 });
    expect(m.staff.map((s: { name: string }) => s.name)).not.toContain('Self-booking page');

    // A range over yesterday and today says the same; a range before it all is zero.
    const range = (await relay.api(ana, 'GET', '/api/metrics?from=2026-12-01T06:00:00Z&to=2026-12-03T06:00:00Z')).body;
    expect(range.funnel).toEqual(m.funnel);
    const before = (await relay.api(ana, 'GET', '/api/metrics?from=2026-11-01T06:00:00Z&to=2026-11-02T06:00:00Z')).body;
    expect(before.funnel).toMatchObject({ missed: 0, booked: 0, medianTimeToBookingSec: null });
  });

  it('an assistant experiment records on/off on each text-back as assistantVariant says, and counts page bookings per variant', async () => {
    const clock = { now: new Date('2026-12-02T15:00:00Z') };
    const business = bookingBusiness((c) => {
      c.locations[0]!.booking!.assistant = 'always';
      c.experiments = [{ id: 'assistant-ab', assistant: true, metric: 'booked', minSamplePerVariant: 10, variants: [{ id: 'on' }, { id: 'off' }] }];
    });
    relay = await startTestRelay({ business, now: () => clock.now });
    const ana = await relay.staff('Ana', 'manager');
    const callers = Array.from({ length: 8 }, (_, i) => `+1512555040${i}`);
    for (const from of callers) await relay.call({ from, answered: false });
    const texts = await waitFor(async () => ((await relay.sent()).length === 8 ? relay.sent() : undefined), 'eight text-backs');

    const experiments = [experimentSchema.parse(business.experiments![0])];
    const variantOf = new Map<string, string>();
    for (const call of Object.values(relay.store.data.calls)) {
      const textBack = Object.values(relay.store.data.messages).find((m) => m.threadId === call.threadId && m.kind === 'text-back')!;
      expect(textBack.variant).toEqual({ experiment: 'assistant-ab', variant: assistantVariant(experiments, 'main', call.id) });
      variantOf.set(call.from, textBack.variant!.variant);
    }
    expect(new Set(variantOf.values()).size).toBe(2); // eight calls fall on both sides

    // Every "on" caller books on the page; one "off" caller too.
    clock.now = new Date(clock.now.getTime() + 5 * MIN);
    const on = callers.filter((c) => variantOf.get(c) === 'on');
    const off = callers.filter((c) => variantOf.get(c) === 'off');
    for (const from of [...on, off[0]!]) await selfBook(texts.find((t) => t.to === from)!.text);

    const result = (await relay.api(ana, 'GET', '/api/experiments')).body.experiments[0];
    expect(result).toMatchObject({ id: 'assistant-ab', assistant: true, template: null });
    expect(result.variants.map((v: { id: string; sent: number; booked: number }) => [v.id, v.sent, v.booked])).toEqual([
      ['off', off.length, 1],
      ['on', on.length, on.length],
    ]);
    // The same conversion over today's range, on /api/metrics.
    const funnel = (await relay.api(ana, 'GET', '/api/metrics')).body.funnel as Funnel;
    expect(funnel.byVariant).toEqual([
      { experiment: 'assistant-ab', variant: 'off', texted: off.length, booked: 1, rate: 1 / off.length },
      { experiment: 'assistant-ab', variant: 'on', texted: on.length, booked: on.length, rate: 1 },
    ]);
    const review = String((await relay.api(ana, 'GET', '/api/reports/monthly?month=2026-12')).body);
    expect(review).toContain(`<td>assistant-ab · on</td><td class="n">${on.length}</td><td class="n">${on.length}</td><td class="n">100.0 %</td>`);
    expect(review).toContain('assistant on against off, decided on bookings');
  });
});
