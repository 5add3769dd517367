import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../config/demo.js';
import { own } from '../store/own.js';
import { CALLER, sleep, waitFor } from '../testing/harness.js';
import { startBookingRelay, type BookingRelay } from './assistant-harness.js';

/** Wed 2 Dec 2026, 23:00 in Chicago (CST, UTC-6): the demo office is closed. */
const WED_NIGHT = '2026-12-03T05:00:00Z';

let relay: BookingRelay | null = null;
afterEach(async () => {
  await relay?.stop();
  relay = null;
});

describe('the booking assistant', () => {
  it('after hours, books a newcomer from "tomorrow morning for a cleaning" to a resolved thread', async () => {
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.locations[0]!.hours = structuredClone(demoConfig.locations[0]!.hours);
      c.locations[0]!.booking!.assistant = 'after-hours';
    });
    await relay.call({ answered: false, hangupWhileRinging: true });
    await waitFor(async () => (await relay!.textsTo()).length === 1, 'the text-back');

    const question = await relay.say('can I come in tomorrow morning for a cleaning?');
    expect(question).toBe('Hi! Are you a new or an existing patient? 1) New patient 2) Existing patient');
    expect(relay.thread().assistant).toMatchObject({ step: 'question', serviceId: 'cleaning', questionId: 'patient', wish: { text: 'tomorrow morning' } });

    const offers = await relay.say("I'm new");
    expect(offers).toBe(
      'Cleaning: 1) Tomorrow, 8:00 AM 2) Tomorrow, 9:00 AM 3) Tomorrow, 10:00 AM. Reply 1, 2 or 3 to book, or tell me another day and time.',
    );
    expect(relay.thread().assistant!.qualifiedAt).toBe(new Date(relay.clock.at).toISOString());

    const confirmation = await relay.say('2');
    expect(confirmation).toMatch(/^You're booked: Cleaning, Tomorrow, 9:00 AM at Main St\./);

    const bookings = Object.values(relay.store.data.bookings);
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({
      serviceId: 'cleaning',
      start: '2026-12-03T15:00:00.000Z',
      end: '2026-12-03T16:00:00.000Z',
      caller: CALLER,
      answers: { patient: 'new' },
      by: 'assistant',
      status: 'booked',
      calendar: { type: 'built-in' },
    });
    const thread = relay.thread();
    expect(thread.status).toBe('resolved');
    expect(thread.resolution).toMatchObject({ outcome: 'booked', value: 150, staffName: 'Assistant' });
    expect(thread.booking).toMatchObject({ id: bookings[0]!.id, serviceLabel: 'Cleaning', by: 'assistant' });
    expect(thread.assistant).toMatchObject({ step: 'booked', bookingId: bookings[0]!.id });
    const actions = relay.store.data.audit.filter((a) => a.threadId === thread.id).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['assistant-start', 'booked', 'resolve']));
    // Every assistant text went through the send gate and out on the line as kind 'assistant'.
    const kinds = Object.values(relay.store.data.messages).filter((m) => m.threadId === thread.id && m.direction === 'out').map((m) => m.kind);
    expect(kinds).toEqual(['text-back', 'assistant', 'assistant', 'assistant']);
  });

  it('during open hours in after-hours mode it leaves the thread to staff', async () => {
    relay = await startBookingRelay('2026-12-02T18:00:00Z', (c) => {
      c.locations[0]!.booking!.assistant = 'after-hours';
    });
    await relay.sms('a cleaning please');
    await relay.assistant.idle();
    await sleep(100);
    expect(await relay.textsTo()).toEqual([]);
    expect(relay.thread().assistant ?? null).toBeNull();
  });
});
