import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

describe('roles: staff, assignment, audit', () => {
  it('managers add and revoke staff over the API; receptionists cannot', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const riley = await relay.staff('Riley');
    expect((await relay.api(riley, 'POST', '/api/staff', { name: 'Sam', role: 'receptionist' })).status).toBe(403);
    expect((await relay.api(riley, 'GET', '/api/staff')).status).toBe(403);
    const added = await relay.api(boss, 'POST', '/api/staff', { name: 'Sam', role: 'receptionist' });
    expect(added.status).toBe(201);
    expect((await relay.api(boss, 'POST', '/api/staff', { name: 'sam', role: 'manager' })).status).toBe(409);
    const sam = added.body.token as string;
    expect((await relay.api(sam, 'GET', '/api/me')).body.staff.name).toBe('Sam');
    expect((await relay.api(boss, 'DELETE', `/api/staff/${added.body.staff.id}`)).status).toBe(200);
    expect((await relay.api(sam, 'GET', '/api/me')).status).toBe(401);
    const list = (await relay.api(boss, 'GET', '/api/staff')).body.staff;
    expect(list.find((s: any) => s.name === 'Sam').revokedAt).not.toBeNull();
  });

  it('a manager reassigns a thread; the audit log filters by action, actor, thread and time', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const riley = await relay.staff('Riley');
    const sam = await relay.staff('Sam');
    const samId = (await relay.api(sam, 'GET', '/api/me')).body.staff.id;
    const bossId = (await relay.api(boss, 'GET', '/api/me')).body.staff.id;
    await relay.sms('hi');
    const [thread] = (await relay.api(riley, 'GET', '/api/threads')).body.threads;
    await relay.api(riley, 'POST', `/api/threads/${thread.id}/claim`);
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/assign`, { staffId: samId })).status).toBe(403);
    expect((await relay.api(boss, 'POST', `/api/threads/${thread.id}/assign`, { staffId: 'st_nobody' })).status).toBe(400);
    const res = await relay.api(boss, 'POST', `/api/threads/${thread.id}/assign`, { staffId: samId });
    expect(res.body.thread.claim).toMatchObject({ staffId: samId, staffName: 'Sam' });
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/messages`, { text: 'x' })).status).toBe(409);

    const q = async (qs: string) => (await relay.api(boss, 'GET', `/api/audit?${qs}`)).body.entries as any[];
    expect((await q('action=assign')).map((e) => e.detail)).toEqual([{ from: 'Riley', to: 'Sam' }]);
    expect((await q(`staff=${bossId}`)).map((e) => e.action)).toEqual(['assign']);
    expect((await q('staff=system')).every((e) => e.actor === null)).toBe(true);
    expect((await q(`thread=${thread.id}`)).map((e) => e.action)).toEqual(['assign', 'claim']);
    expect(await q('from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).toEqual([]);
    expect((await relay.api(boss, 'GET', '/api/audit?from=yesterday')).status).toBe(400);
    expect((await relay.api(riley, 'GET', '/api/audit')).status).toBe(403);
  });
});

describe('reopen', () => {
  it('brings a resolved thread back, claimed by whoever reopened it; the booking stays in the audit log', async () => {
    relay = await startTestRelay();
    const riley = await relay.staff('Riley');
    const boss = await relay.staff('Mo', 'manager');
    await relay.sms('can I book a cleaning?');
    const [thread] = (await relay.api(riley, 'GET', '/api/threads')).body.threads;
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/reopen`)).status).toBe(409);
    await relay.api(riley, 'POST', `/api/threads/${thread.id}/resolve`, { outcome: 'booked', value: 200 });
    const res = await relay.api(riley, 'POST', `/api/threads/${thread.id}/reopen`);
    expect(res.status).toBe(200);
    expect(res.body.thread).toMatchObject({ status: 'open', resolution: null, claim: { staffName: 'Riley' } });
    expect((await relay.api(riley, 'GET', '/api/threads?status=open')).body.threads.map((t: any) => t.id)).toContain(thread.id);
    const actions = (await relay.api(boss, 'GET', `/api/audit?thread=${thread.id}`)).body.entries.map((e: any) => [e.action, e.detail.outcome]);
    expect(actions).toEqual(expect.arrayContaining([['resolve', 'booked'], ['reopen', 'booked']]));
    expect((await relay.api(riley, 'POST', '/api/threads/th_nope/reopen')).status).toBe(404);
  });
});
