import { afterEach, describe, expect, it } from 'vitest';
import type { Funnel } from '@ringback/shared';
import { CALLER, waitFor } from '../testing/harness.js';
import { startBookingRelay, type BookingRelay } from './assistant-harness.js';

/** Wed 2 Dec 2026, 23:00 in Chicago (CST, UTC-6). */
const WED_NIGHT = '2026-12-03T05:00:00Z';

let relay: BookingRelay | null = null;
afterEach(async () => {
  await relay?.stop();
  relay = null;
});

/** The newcomer's conversation: wish and service, a question, three offers, "2". */
async function bookByText(r: BookingRelay, from: string): Promise<void> {
  await r.say('can I come in tomorrow morning for a cleaning?', /new or an existing patient/, from);
  await r.say("I'm new", /Reply 1, 2 or 3/, from);
  await r.say('2', /^You're booked/, from);
}

describe('the funnel of whole conversations', () => {
  it('a booking by the assistant and one by staff: qualified, booked by whom, time to booking, revenue', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    const r = relay;
    const ana = await r.staff('Ana', 'manager');
    const B = '+15125550702';
    await r.call({ answered: false });
    await r.call({ from: B, answered: false });
    await waitFor(async () => (await r.sent()).length === 2, 'two text-backs');

    await bookByText(r, CALLER); // three replies a minute apart: booked 180 s after the missed call
    r.clock.at += 10 * 60_000;
    const b = r.thread(B).id;
    expect((await r.api(ana, 'POST', `/api/threads/${b}/claim`)).status).toBe(200);
    expect((await r.api(ana, 'POST', `/api/threads/${b}/resolve`, { outcome: 'booked', value: 300 })).status).toBe(200);

    const m = (await r.api(ana, 'GET', '/api/metrics')).body;
    expect(m.funnel).toEqual({
      missed: 2,
      texted: 2,
      replied: 2, // the newcomer wrote; B was booked after a call back
      qualified: 2, // the assistant had every answer; B booked
      booked: 2,
      bookedBy: { assistant: 1, self: 0, staff: 1 },
      medianTimeToBookingSec: 480, // 180 s and 780 s
      p90TimeToBookingSec: 780,
      byVariant: [],
    } satisfies Funnel);
    expect(m).toMatchObject({ booked: 2, revenue: 450 }); // the cleaning's $150 and Ana's $300
    expect(m.staff.map((s: { name: string; booked: number }) => [s.name, s.booked])).toEqual([['Ana', 1]]);
  });

  it('assistant on against off: "off" callers are left to staff, and the assistant\'s bookings convert "on"', async () => {
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.experiments = [{ id: 'assistant-ab', assistant: true, metric: 'booked', minSamplePerVariant: 10, variants: [{ id: 'on' }, { id: 'off' }] }];
    });
    const r = relay;
    const ana = await r.staff('Ana', 'manager');
    // Callers until both sides have one (each call's side is fixed by its CallUUID).
    const side = new Map<string, string>();
    for (let i = 0; i < 20 && new Set(side.values()).size < 2; i++) {
      const from = `+151255508${String(i).padStart(2, '0')}`;
      await r.call({ from, answered: false });
      const textBack = await waitFor(() => Object.values(r.store.data.messages).find((m) => m.kind === 'text-back' && m.threadId === r.thread(from).id), 'the text-back');
      side.set(from, textBack.variant!.variant);
    }
    const on = [...side].find(([, v]) => v === 'on')![0];
    const off = [...side].find(([, v]) => v === 'off')![0];

    await bookByText(r, on);
    r.clock.at += 60_000;
    await r.sms('can I come in tomorrow morning for a cleaning?', off);
    await r.assistant.idle();
    expect(r.thread(off).assistant ?? null).toBeNull();
    expect(Object.values(r.store.data.messages).filter((m) => m.threadId === r.thread(off).id && m.kind === 'assistant')).toEqual([]);

    const result = (await r.api(ana, 'GET', '/api/experiments')).body.experiments[0];
    const count = (v: string) => [...side.values()].filter((x) => x === v).length;
    expect(result.variants.map((v: { id: string; sent: number; replied: number; booked: number }) => [v.id, v.sent, v.replied, v.booked])).toEqual([
      ['off', count('off'), 1, 0],
      ['on', count('on'), 1, 1],
    ]);
    expect((await r.api(ana, 'GET', '/api/metrics')).body.funnel).toMatchObject({ qualified: 1, booked: 1, bookedBy: { assistant: 1, self: 0, staff: 0 } });
  });
});
