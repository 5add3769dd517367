import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessConfigInput } from '@ringback/shared';
import { sleep, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const MIN = 60_000;

/** A relay whose clock the test moves; escalations are checked every 20 ms of real time. */
async function start(at: string, patch: (c: BusinessConfigInput) => void = () => {}) {
  const clock = { now: new Date(at) };
  relay = await startTestRelay({ business: testBusiness(patch), now: () => clock.now, escalationTickMs: 20 });
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { clock, advance };
}

async function collect(token: string) {
  const events: { reason: string; threadId: string; thread: any }[] = [];
  const s = relay.socket(token);
  s.on('escalation', (e) => events.push(e));
  await new Promise<void>((r) => s.on('connect', () => r()));
  return events;
}

const openThread = async (token: string) => (await relay.api(token, 'GET', '/api/threads')).body.threads[0];

describe('SLA escalation', () => {
  it('an unclaimed thread escalates once, is marked red and audited, and a claim clears it', async () => {
    const { advance } = await start('2024-03-04T15:00:00Z', (c) => (c.sla = { claimMinutes: 5 }));
    const token = await relay.staff('Riley');
    const boss = await relay.staff('Mo', 'manager');
    const events = await collect(token);
    await relay.call({ answered: false });
    advance(4 * MIN);
    await sleep(100);
    expect(events).toHaveLength(0);
    expect((await openThread(token)).escalation ?? null).toBeNull();

    advance(2 * MIN);
    await waitFor(() => events.length === 1, 'escalation event');
    expect(events[0]).toMatchObject({ reason: 'unclaimed', thread: { escalation: { reason: 'unclaimed' } } });
    const thread = await openThread(token);
    expect(thread.escalation).toMatchObject({ reason: 'unclaimed', since: thread.lastMissedAt });

    advance(10 * MIN);
    await sleep(150);
    expect(events).toHaveLength(1); // once per breach, not every tick
    const audit = (await relay.api(boss, 'GET', `/api/audit?action=escalation&thread=${thread.id}`)).body.entries;
    expect(audit).toHaveLength(1);
    expect((await relay.api(token, 'GET', `/api/threads/${thread.id}`)).body.history.map((e: any) => e.action)).toContain('escalation');

    const claimed = (await relay.api(token, 'POST', `/api/threads/${thread.id}/claim`)).body.thread;
    expect(claimed.escalation).toBeNull();
  });

  it('a claimed thread with no staff reply escalates as no-reply; a reply clears it', async () => {
    const { advance } = await start('2024-03-04T15:00:00Z', (c) => (c.sla = { claimMinutes: 5, replyMinutes: 10 }));
    const token = await relay.staff('Riley');
    const events = await collect(token);
    await relay.call({ answered: false });
    const { id } = await openThread(token);
    await relay.api(token, 'POST', `/api/threads/${id}/claim`);
    advance(9 * MIN);
    await sleep(100);
    expect(events).toHaveLength(0);
    advance(2 * MIN);
    await waitFor(() => events.length === 1, 'no-reply escalation');
    expect(events[0]!.reason).toBe('no-reply');
    const r = await relay.api(token, 'POST', `/api/threads/${id}/messages`, { text: 'Calling you now', clientId: 'c1' });
    expect(r.status).toBe(201);
    expect((await openThread(token)).escalation).toBeNull();
    advance(30 * MIN);
    await sleep(100);
    expect(events).toHaveLength(1);
  });

  it('counts open hours only: an after-hours call pages nobody until the office has been open for the SLA', async () => {
    // Mon–Fri 08:00–17:00 Chicago. Monday 22:00 local = Tuesday 04:00 UTC.
    const weekday: [string, string][] = [['08:00', '17:00']];
    const { advance, clock } = await start('2024-03-05T04:00:00Z', (c) => {
      c.locations[0]!.hours = { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday };
      c.sla = { claimMinutes: 5 };
    });
    const token = await relay.staff('Riley');
    const events = await collect(token);
    await relay.call({ answered: false, voicemail: 5 });
    advance(9 * 60 * MIN); // Tuesday 07:00 local, ten hours on
    await sleep(100);
    expect(events).toHaveLength(0);
    clock.now = new Date('2024-03-05T14:04:00Z'); // 08:04: four open minutes
    await sleep(100);
    expect(events).toHaveLength(0);
    clock.now = new Date('2024-03-05T14:05:30Z');
    await waitFor(() => events.length === 1, 'escalation once open');
  });

  it('hands the escalated thread to the manager on duty when configured', async () => {
    const { advance } = await start('2024-03-04T15:00:00Z', (c) => (c.sla = { claimMinutes: 5, reassignTo: 'Mo' }));
    const token = await relay.staff('Riley');
    await relay.staff('Mo', 'manager');
    const events = await collect(token);
    await relay.call({ answered: false });
    advance(6 * MIN);
    await waitFor(() => events.length === 1, 'escalation');
    expect(events[0]!.thread.claim).toMatchObject({ staffName: 'Mo' });
    const t = await openThread(token);
    expect(t.claim.staffName).toBe('Mo');
  });
});
