import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, waitFor } from '../testing/harness.js';
import { startBookingRelay, type BookingRelay } from './assistant-harness.js';

let relay: BookingRelay | null = null;
afterEach(async () => {
  await relay?.stop();
  relay = null;
});

describe('a staff booking on the thread', () => {
  it('names who booked it, and still does after a colleague moves it', async () => {
    relay = await startBookingRelay('2026-12-03T05:00:00Z', (c) => {
      c.locations[0]!.booking!.assistant = 'never';
    });
    const riley = await relay.staff('Riley');
    const sam = await relay.staff('Sam');
    await relay.sms('hi, please call me', CALLER);
    await waitFor(() => Object.keys(relay!.store.data.threads).length === 1, 'the thread');
    const id = relay.thread().id;
    const booked = await relay.api(riley, 'POST', `/api/threads/${id}/booking`, { start: '2026-12-04T21:00:00.000Z', serviceId: 'consultation' });
    expect(booked.status).toBe(201);
    expect(relay.thread().booking).toMatchObject({ by: 'staff', staffName: 'Riley' });
    const listed = await relay.api(sam, 'GET', '/api/threads?status=resolved');
    expect(listed.body.threads[0].booking).toMatchObject({ by: 'staff', staffName: 'Riley' });
    const moved = await relay.api(sam, 'POST', `/api/bookings/${booked.body.booking.id}/move`, { start: '2026-12-04T21:30:00.000Z' });
    expect(moved.status).toBe(200);
    // Riley made the booking; Sam only moved it.
    expect(relay.thread().booking).toMatchObject({ by: 'staff', staffName: 'Riley', start: '2026-12-04T21:30:00.000Z' });
  });
});
