import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, sleep, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const review = () => startTestRelay({ business: testBusiness((c) => (c.compliance = { revocationByIntent: 'review' })) });

describe('opt-out by intent', () => {
  it('suppresses at once by default', async () => {
    relay = await startTestRelay();
    await relay.sms('wrong number, remove me');
    expect(relay.store.data.optOuts[CALLER]).toBeDefined();
    await waitFor(async () => (await relay.sent()).length === 1, 'the one confirmation');
  });

  it('in review mode flags the thread, sends nothing automatic, and a staff confirmation suppresses (audited)', async () => {
    relay = await review();
    const riley = await relay.staff('Riley');
    const boss = await relay.staff('Mo', 'manager');
    await relay.sms('please stop texting me');
    expect(relay.store.data.optOuts[CALLER]).toBeUndefined();
    const [thread] = (await relay.api(riley, 'GET', '/api/threads')).body.threads;
    expect(thread.optOutReview).toMatchObject({ text: 'please stop texting me' });
    expect(thread.optedOut).toBe(false);

    await relay.sms('HOURS'); // a keyword answer is automatic: held back while the review is open
    await sleep(150);
    expect(await relay.sent()).toHaveLength(0);

    const res = await relay.api(riley, 'POST', `/api/threads/${thread.id}/opt-out-review`, { decision: 'confirm' });
    expect(res.status).toBe(200);
    expect(res.body.thread).toMatchObject({ optOutReview: null, optedOut: true });
    expect(relay.store.data.optOuts[CALLER]).toBeDefined();
    await waitFor(async () => (await relay.sent()).length === 1, 'confirmation');
    expect((await relay.sent())[0]!.text).toMatch(/unsubscribed/);
    const actions = (await relay.api(boss, 'GET', `/api/audit?thread=${thread.id}`)).body.entries.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['opt-out-flagged', 'opt-out', 'opt-out-confirmed']));
    expect(relay.store.data.consent.map((c) => c.event)).toEqual(['opt-out-flagged', 'blocked-send', 'opt-out']);
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/opt-out-review`, { decision: 'dismiss' })).status).toBe(409);
  });

  it('a dismissed revocation leaves the caller subscribed, on the record', async () => {
    relay = await review();
    const riley = await relay.staff('Riley');
    await relay.sms("don't text me before noon please");
    const [thread] = (await relay.api(riley, 'GET', '/api/threads')).body.threads;
    expect(thread.optOutReview).toBeTruthy();
    const res = await relay.api(riley, 'POST', `/api/threads/${thread.id}/opt-out-review`, { decision: 'dismiss' });
    expect(res.body.thread).toMatchObject({ optOutReview: null, optedOut: false });
    expect(relay.store.data.optOuts[CALLER]).toBeUndefined();
    expect(relay.store.data.consent.map((c) => c.event)).toEqual(['opt-out-flagged', 'opt-out-dismissed']);
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/messages`, { text: 'Noted, thanks!' })).status).toBe(201);
  });

  it('exact keywords still suppress at once in review mode; START re-subscribes', async () => {
    relay = await review();
    await relay.sms('STOP');
    expect(relay.store.data.optOuts[CALLER]).toBeDefined();
    await relay.sms('START');
    expect(relay.store.data.optOuts[CALLER]).toBeUndefined();
  });
});
