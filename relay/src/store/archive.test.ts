import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Booking, Callback } from '@ringback/shared';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import { readArchive } from './archive.js';
import { own } from './own.js';
import { Store } from './store.js';

let relay: TestRelay | null = null;
let dir = '';
afterEach(async () => {
  await relay?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('archive', () => {
  it('moves threads resolved over 30 days ago to a month file; the caller gets a new thread', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-archive-'));
    let clock = new Date('2026-09-10T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady;
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    const thread = await waitFor(async () => (await relay!.api(token, 'GET', '/api/threads')).body.threads[0], 'thread');
    await waitFor(async () => (await relay!.sent()).length === 1, 'text-back');
    await relay.api(token, 'POST', `/api/threads/${thread.id}/resolve`, { outcome: 'booked', value: 420 });
    await relay.stop();

    clock = new Date('2026-10-20T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady;
    expect(relay.store.data.threads[thread.id]).toBeUndefined();
    expect(Object.keys(relay.store.data.messages)).toHaveLength(0);
    const month = await readArchive(dir, '2026-09');
    expect(month.threads[thread.id]).toMatchObject({ status: 'resolved', resolution: { value: 420 } });
    expect(Object.values(month.messages).map((m) => m.kind)).toEqual(['text-back']);
    expect(Object.values(month.calls)).toHaveLength(1);
    // Patients' numbers and texts: for the relay's user only.
    expect((await stat(path.join(dir, 'archive'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'archive', '2026-09.json'))).mode & 0o777).toBe(0o600);

    const token2 = await relay.staff('Sam', 'manager');
    // Archived months still count in the figures.
    const september = (await relay.api(token2, 'GET', '/api/metrics?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z')).body;
    expect(september).toMatchObject({ missed: 1, texted: 1, booked: 1, revenue: 420 });
    const review = String((await relay.api(token2, 'GET', '/api/reports/monthly?month=2026-09')).body);
    expect(review).toContain('$420');
    await relay.call({ answered: false });
    const fresh = await waitFor(async () => (await relay!.api(token2, 'GET', '/api/threads')).body.threads[0], 'new thread');
    expect(fresh.id).not.toBe(thread.id);
  });

  it('call-backs leave with their thread; a booking once its appointment is over, and the calendar keeps the ones ahead', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-archive-'));
    let clock = new Date('2026-09-05T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady;
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    const resolved = await waitFor(async () => (await relay!.api(token, 'GET', '/api/threads')).body.threads[0], 'thread');
    await relay.api(token, 'POST', `/api/threads/${resolved.id}/resolve`, { outcome: 'booked', value: 420 });
    await relay.call({ answered: false, from: '+15125550177' });
    const open = await waitFor(async () => (await relay!.api(token, 'GET', '/api/threads')).body.threads.find((t: { caller: string }) => t.caller === '+15125550177'), 'open thread');
    await relay.stop();
    relay = null;

    const booking = (id: string, threadId: string, start: string, status: Booking['status'] = 'booked'): Booking => ({
      id, threadId, locationId: 'main', serviceId: 'cleaning', start, end: new Date(Date.parse(start) + 3600_000).toISOString(), caller: '+15125550123',
      callerName: null, answers: {}, by: 'assistant', staffId: null, createdAt: '2026-09-05T15:10:00.000Z', status, cancelledAt: status === 'cancelled' ? '2026-09-06T10:00:00.000Z' : null, calendar: { type: 'built-in' },
    });
    const store = await Store.open(dir);
    const callback: Callback = { id: 'cb_1', threadId: resolved.id, staffId: 'st_x', staffName: 'Riley', staffPhone: '+15125550150', caller: resolved.caller, from: '+15125550100', state: 'connected', requestUuid: null, at: '2026-09-05T15:20:00.000Z', endedAt: '2026-09-05T15:25:00.000Z', reason: null };
    store.put('callbacks', callback.id, callback);
    store.put('bookings', 'bk_past', booking('bk_past', resolved.id, '2026-09-08T14:00:00.000Z'));
    store.put('bookings', 'bk_cancelled', booking('bk_cancelled', resolved.id, '2026-12-01T14:00:00.000Z', 'cancelled'));
    store.put('bookings', 'bk_ahead', booking('bk_ahead', resolved.id, '2026-11-16T15:00:00.000Z'));
    store.put('bookings', 'bk_open', booking('bk_open', open.id, '2026-09-07T14:00:00.000Z'));
    await store.commit();
    await store.close();

    clock = new Date('2026-10-20T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady;
    const data = relay.store.data;
    expect(own(data.threads, resolved.id)).toBeUndefined();
    expect(Object.keys(data.callbacks)).toEqual([]);
    // The appointment ahead still blocks its time in the calendar; the open thread's booking stays with it.
    expect(Object.keys(data.bookings).sort()).toEqual(['bk_ahead', 'bk_open']);
    let month = await readArchive(dir, '2026-09');
    expect(Object.keys(month.callbacks)).toEqual(['cb_1']);
    expect(Object.keys(month.bookings).sort()).toEqual(['bk_cancelled', 'bk_past']);
    // The archived thread still shows its call-back.
    const detail = (await relay.api(token, 'GET', `/api/threads/${resolved.id}`)).body;
    expect(detail.callbacks.map((c: Callback) => c.id)).toEqual(['cb_1']);
    await relay.stop();
    relay = null;

    // Once that appointment is over too, it joins its thread's month.
    clock = new Date('2026-12-20T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady;
    expect(Object.keys(relay.store.data.bookings)).toEqual(['bk_open']);
    month = await readArchive(dir, '2026-09');
    expect(Object.keys(month.bookings).sort()).toEqual(['bk_ahead', 'bk_cancelled', 'bk_past']);
  });
});
