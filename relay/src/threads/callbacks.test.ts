import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, TRACKING, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const outbound = async () => (await relay.api(null, 'GET', '/sandbox/outbound-calls')).body.calls as any[];

describe('call back', () => {
  it("rings the staff member's phone, bridges the caller from the tracking number, and logs the result", async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const added = await relay.api(boss, 'POST', '/api/staff', { name: 'Riley', role: 'receptionist', phone: '(512) 555-0142' });
    expect(added.status).toBe(201);
    expect(added.body.staff.phone).toBe('+15125550142');
    const riley = added.body.token;
    await relay.call({ answered: false });
    const [thread] = (await relay.api(riley, 'GET', '/api/threads')).body.threads;

    expect((await relay.api(boss, 'POST', `/api/threads/${thread.id}/callback`)).status).toBe(422); // Mo has no phone
    const res = await relay.api(riley, 'POST', `/api/threads/${thread.id}/callback`);
    expect(res.status).toBe(201);
    expect(res.body.callback).toMatchObject({ staffPhone: '+15125550142', caller: CALLER, from: TRACKING });
    await waitFor(async () => (await relay.api(riley, 'GET', `/api/threads/${thread.id}`)).body.callbacks?.[0]?.endedAt, 'call-back ended');
    const [call] = await outbound();
    expect(call).toMatchObject({ from: TRACKING, to: '+15125550142', dialed: [CALLER], dialCallerId: TRACKING, result: 'connected' });
    const detail = (await relay.api(riley, 'GET', `/api/threads/${thread.id}`)).body;
    expect(detail.callbacks[0]).toMatchObject({ state: 'connected', staffName: 'Riley' });
    expect(detail.history.map((e: any) => e.action)).toEqual(expect.arrayContaining(['callback', 'callback-result']));
  });

  it('records no-answer when the staff phone or the caller does not pick up', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const riley = (await relay.api(boss, 'POST', '/api/staff', { name: 'Riley', role: 'receptionist', phone: '+15125550142' })).body.token;
    await relay.call({ answered: false });
    const [thread] = (await relay.api(riley, 'GET', '/api/threads')).body.threads;
    const done = async (n: number) =>
      waitFor(async () => {
        const cbs = (await relay.api(riley, 'GET', `/api/threads/${thread.id}`)).body.callbacks;
        return cbs.length === n && cbs[n - 1].endedAt ? cbs[n - 1] : undefined;
      }, 'call-back ended');
    await relay.api(null, 'POST', '/sandbox/outbound', { staffAnswers: false });
    await relay.api(riley, 'POST', `/api/threads/${thread.id}/callback`);
    expect(await done(1)).toMatchObject({ state: 'no-answer', reason: expect.stringMatching(/Your phone/) });
    await relay.api(null, 'POST', '/sandbox/outbound', { staffAnswers: true, callerAnswers: false });
    await relay.api(riley, 'POST', `/api/threads/${thread.id}/callback`);
    expect(await done(2)).toMatchObject({ state: 'no-answer', reason: expect.stringMatching(/caller did not answer/) });
  });
});

describe('confirm key on the Dial', () => {
  it("a desk phone's own voicemail is not an answer when the location asks for a key", async () => {
    relay = await startTestRelay({ business: testBusiness((c) => (c.locations[0]!.confirmKey = '1')) });
    const token = await relay.staff('Riley');
    const human = await relay.call({ answered: true });
    expect(human.steps[0].body).toMatch(/confirmKey="1"/);
    expect(human.steps.map((s: any) => s.webhook)).toEqual(['answer', 'confirm', 'dial', 'hangup']);
    expect(human.steps[1].body).toMatch(/Press 1 to take this call/);
    expect((await relay.api(token, 'GET', '/api/threads')).body.threads).toHaveLength(0);

    await relay.call({ answered: false, deskVoicemail: true });
    const [thread] = (await relay.api(token, 'GET', '/api/threads')).body.threads;
    expect(thread).toMatchObject({ missedCount: 1 });
    await waitFor(async () => (await relay.sent()).length === 1, 'text-back');
  });

  it('without a confirm key the desk voicemail counts as answered (the problem it solves)', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: false, deskVoicemail: true });
    expect((await relay.api(token, 'GET', '/api/threads')).body.threads).toHaveLength(0);
  });
});
