import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

async function missedThread(r: TestRelay, token: string) {
  await r.call({ answered: false });
  return waitFor(async () => (await r.api(token, 'GET', '/api/threads')).body.threads[0], 'a thread');
}

describe('staff API', () => {
  it('needs a valid token', async () => {
    relay = await startTestRelay();
    expect((await relay.api(null, 'GET', '/api/me')).status).toBe(401);
    expect((await relay.api('rb_nope', 'GET', '/api/threads')).status).toBe(401);
    const token = await relay.staff('Ana', 'manager');
    const me = await relay.api(token, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.staff).toMatchObject({ name: 'Ana', role: 'manager' });
    expect(me.body.business.name).toBe('Bright Smile Dental');
    expect((await relay.api(null, 'GET', '/healthz')).body.ok).toBe(true);
  });

  it('two claims at once: exactly one owner, the other gets 409 with the owner', async () => {
    relay = await startTestRelay();
    const riley = await relay.staff('Riley');
    const sam = await relay.staff('Sam');
    const thread = await missedThread(relay, riley);
    for (let round = 0; round < 10; round++) {
      const [a, b] = await Promise.all([
        relay.api(riley, 'POST', `/api/threads/${thread.id}/claim`),
        relay.api(sam, 'POST', `/api/threads/${thread.id}/claim`),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      const winner = a.status === 200 ? a : b;
      expect(loser.body.error.owner.name).toBe(winner.body.thread.claim.staffName);
      const owner = winner === a ? riley : sam;
      expect((await relay.api(owner, 'POST', `/api/threads/${thread.id}/release`)).status).toBe(200);
    }
  });

  it('only the owner or a manager releases; resolve records outcome and value', async () => {
    relay = await startTestRelay();
    const riley = await relay.staff('Riley');
    const sam = await relay.staff('Sam');
    const boss = await relay.staff('Morgan', 'manager');
    const thread = await missedThread(relay, riley);
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/claim`)).status).toBe(200);
    expect((await relay.api(sam, 'POST', `/api/threads/${thread.id}/release`)).status).toBe(403);
    expect((await relay.api(boss, 'POST', `/api/threads/${thread.id}/release`)).body.thread.claim).toBeNull();
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/resolve`, { outcome: 'maybe' })).status).toBe(400);
    const resolved = await relay.api(riley, 'POST', `/api/threads/${thread.id}/resolve`, { outcome: 'booked' });
    expect(resolved.body.thread).toMatchObject({ status: 'resolved', resolution: { outcome: 'booked', value: 350, staffName: 'Riley' } });
    expect((await relay.api(riley, 'GET', '/api/threads?status=resolved')).body.threads).toHaveLength(1);
    expect((await relay.api(riley, 'GET', '/api/threads')).body.threads).toHaveLength(0);
    // A new missed call reopens the same thread.
    await relay.call({ answered: false });
    const reopened = await waitFor(async () => (await relay.api(riley, 'GET', '/api/threads')).body.threads[0], 'reopened');
    expect(reopened.id).toBe(thread.id);
    expect(reopened.resolution).toBeNull();
  });

  it('a reply goes out once per clientId and claims the thread', async () => {
    relay = await startTestRelay();
    const riley = await relay.staff('Riley');
    const sam = await relay.staff('Sam');
    const thread = await missedThread(relay, riley);
    await waitFor(async () => (await relay.sent()).length === 1, 'text-back');
    const body = { text: 'We have 3pm open tomorrow — shall I book it?', clientId: 'c-1' };
    const [a, b] = await Promise.all([
      relay.api(riley, 'POST', `/api/threads/${thread.id}/messages`, body),
      relay.api(riley, 'POST', `/api/threads/${thread.id}/messages`, body),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.message.id).toBe(b.body.message.id);
    await waitFor(async () => (await relay.sent()).length === 2, 'the reply');
    const detail = (await relay.api(riley, 'GET', `/api/threads/${thread.id}`)).body;
    expect(detail.thread.claim.staffName).toBe('Riley');
    expect((await relay.api(sam, 'POST', `/api/threads/${thread.id}/messages`, { text: 'me too' })).status).toBe(409);
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/messages`, { text: '   ' })).status).toBe(400);
    await waitFor(async () => {
      const d = (await relay.api(riley, 'GET', `/api/threads/${thread.id}`)).body;
      return d.messages.find((m: any) => m.kind === 'reply')?.status === 'delivered';
    }, 'reply delivered');
  });

  it('notes, events since a seq, CSV export and the manager-only audit log', async () => {
    relay = await startTestRelay();
    const riley = await relay.staff('Riley');
    const boss = await relay.staff('Morgan', 'manager');
    const thread = await missedThread(relay, riley);
    const seq = (await relay.api(riley, 'GET', '/api/events?since=0')).body.seq;
    const note = await relay.api(riley, 'POST', `/api/threads/${thread.id}/notes`, { text: 'Prefers mornings' });
    expect(note.status).toBe(201);
    const events = (await relay.api(riley, 'GET', `/api/events?since=${seq}`)).body;
    expect(events.threads.map((t: any) => t.id)).toEqual([thread.id]);
    expect(events.seq).toBeGreaterThan(seq);
    expect((await relay.api(riley, 'GET', '/api/events?since=abc')).status).toBe(400);
    const detail = (await relay.api(riley, 'GET', `/api/threads/${thread.id}`)).body;
    expect(detail.notes[0]).toMatchObject({ text: 'Prefers mornings', staffName: 'Riley' });

    expect((await relay.api(riley, 'GET', '/api/export/threads.csv')).status).toBe(403);
    const csv = await relay.api(boss, 'GET', '/api/export/threads.csv');
    expect(csv.status).toBe(200);
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toMatch(/^id,location,caller/);
    expect(lines[1]).toContain(thread.id);

    expect((await relay.api(riley, 'GET', '/api/audit')).status).toBe(403);
    const audit = (await relay.api(boss, 'GET', '/api/audit')).body.entries;
    expect(audit.map((e: any) => e.action)).toEqual(expect.arrayContaining(['note', 'export']));
    expect((await relay.api(riley, 'GET', '/api/threads/th_missing')).status).toBe(404);
  });

  it('serves KPIs for today', async () => {
    relay = await startTestRelay();
    const riley = await relay.staff('Riley');
    await missedThread(relay, riley);
    await relay.call({ answered: true, from: '+15125550142' });
    await waitFor(async () => (await relay.api(riley, 'GET', '/api/metrics')).body.texted === 1, 'texted');
    const m = (await relay.api(riley, 'GET', '/api/metrics')).body;
    expect(m).toMatchObject({ inbound: 2, missed: 1, texted: 1, openUnclaimed: 1 });
    expect(m.medianTimeToTextSec).toBeGreaterThanOrEqual(0);
    expect((await relay.api(riley, 'GET', '/api/metrics?from=yesterday')).status).toBe(400);
  });
});
