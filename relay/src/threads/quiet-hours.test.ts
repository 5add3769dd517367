import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const OTHER = '+15125551078';

describe('quiet hours per location', () => {
  it('holds later sends until morning, spaced out, drops stale automatic ones, and sends the staff reply', async () => {
    // 23:00 Chicago (CST, UTC-6). The location has its own quiet hours; the global setting is none.
    const clock = { now: new Date('2024-03-05T05:00:00Z') };
    relay = await startTestRelay({
      now: () => clock.now,
      business: testBusiness((c) => {
        c.textBack = { quietHours: null, releaseSpacingSeconds: 30 };
        c.locations[0]!.quietHours = { start: '21:00', end: '08:00', exemptImmediate: false };
      }),
    });
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    await relay.call({ answered: false, from: OTHER });
    const threads = (await relay.api(token, 'GET', '/api/threads')).body.threads;
    const first = threads.find((t: any) => t.caller !== OTHER);
    expect((await relay.api(token, 'POST', `/api/threads/${first.id}/messages`, { text: 'We will call at 8' })).status).toBe(201);
    await sleep(100);
    expect((await relay.api(null, 'GET', '/sandbox/stats')).body.messagePosts).toBe(0);
    const times = Object.values(relay.store.data.outbox).map((e) => e.nextAttemptAt).sort();
    expect(times).toEqual(['2024-03-05T14:00:00.000Z', '2024-03-05T14:00:30.000Z', '2024-03-05T14:01:00.000Z']);

    // 08:00: the text-backs are nine hours old, so they expire instead of going out late (C-9).
    clock.now = new Date('2024-03-05T14:00:00Z');
    await relay.api(token, 'GET', '/api/threads');
    await relay.api(token, 'POST', `/api/threads/${first.id}/notes`, { text: 'morning' }); // any change wakes the outbox
    clock.now = new Date('2024-03-05T14:01:00Z');
    await relay.api(token, 'POST', `/api/threads/${first.id}/notes`, { text: 'morning 2' });
    await waitFor(async () => (await relay.sent()).length === 1, 'the staff reply');
    expect((await relay.sent())[0]!.text).toBe('We will call at 8');
    await waitFor(() => Object.values(relay.store.data.messages).filter((m) => m.kind === 'text-back' && m.status === 'blocked').length === 2, 'expired text-backs');
    expect(Object.values(relay.store.data.messages).find((m) => m.kind === 'text-back')!.statusReason).toMatch(/too long/);
  });

  it('an immediate text-back may be exempt, per location', async () => {
    const clock = { now: new Date('2024-03-05T05:00:00Z') };
    relay = await startTestRelay({
      now: () => clock.now,
      business: testBusiness((c) => {
        c.textBack = { quietHours: { start: '20:00', end: '09:00', exemptImmediate: false } };
        c.locations[0]!.quietHours = { start: '21:00', end: '08:00', exemptImmediate: true };
      }),
    });
    await relay.call({ answered: false });
    await waitFor(async () => (await relay.sent()).length === 1, 'immediate text-back at night');
  });
});
