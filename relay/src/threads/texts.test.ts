import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, sleep, startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const stats = async (r: TestRelay) => (await r.api(null, 'GET', '/sandbox/stats')).body as { messagePosts: number };

describe('replies, keywords and opt-outs', () => {
  it('a reply joins the caller thread and reaches staff', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    await relay.sms('Can I come in tomorrow at 3?');
    const { threads } = (await relay.api(token, 'GET', '/api/threads')).body;
    expect(threads).toHaveLength(1);
    expect(threads[0].lastMessage).toMatchObject({ direction: 'in', text: 'Can I come in tomorrow at 3?' });
    const detail = (await relay.api(token, 'GET', `/api/threads/${threads[0].id}`)).body;
    expect(detail.messages.map((m: any) => m.kind)).toEqual(['text-back', 'inbound']);
  });

  it('STOP suppresses the caller, confirms once, and blocks every later send without calling Plivo', async () => {
    relay = await startTestRelay({ business: undefined });
    const token = await relay.staff('Riley');
    await relay.sms('Stop.');
    await relay.sms('STOP');
    await waitFor(async () => (await relay.sent()).length === 1, 'one confirmation');
    await sleep(200);
    const sent = await relay.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toMatch(/unsubscribed/);
    const before = (await stats(relay)).messagePosts;

    const [thread] = (await relay.api(token, 'GET', '/api/threads')).body.threads;
    expect(thread.optedOut).toBe(true);
    const reply = await relay.api(token, 'POST', `/api/threads/${thread.id}/messages`, { text: 'Hi!' });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('opted-out');

    await relay.call({ answered: false });
    const t = await waitFor(async () => {
      const [x] = (await relay.api(token, 'GET', '/api/threads')).body.threads;
      return x.textBack?.state === 'skipped' ? x : undefined;
    }, 'skipped text-back');
    expect(t.textBack.reason).toBe('opted-out');
    await sleep(100);
    expect((await stats(relay)).messagePosts).toBe(before);
    expect(relay.store.data.consent.filter((c) => c.event === 'opt-out')).toHaveLength(2);
  });

  it('a revocation in plain words opts out too', async () => {
    relay = await startTestRelay();
    await relay.sms('please stop texting me');
    await waitFor(() => relay.store.data.optOuts[CALLER], 'an opt-out');
  });

  it('START re-subscribes, and YES is an ordinary reply when not opted out', async () => {
    relay = await startTestRelay();
    await relay.sms('yes');
    expect(relay.store.data.optOuts[CALLER]).toBeUndefined();
    await sleep(100);
    expect(await relay.sent()).toHaveLength(0);
    await relay.sms('STOP');
    await relay.sms('START');
    expect(relay.store.data.optOuts[CALLER]).toBeUndefined();
    await waitFor(async () => (await relay.sent()).length === 2, 'confirmation and welcome back');
    expect((await relay.sent())[1]!.text).toMatch(/subscribed again/);
    expect(relay.store.data.consent.map((c) => c.event)).toEqual(['opt-out', 'opt-in']);
  });

  it('HELP answers with the business and how to opt out; HOURS answers from the config once an hour', async () => {
    relay = await startTestRelay();
    await relay.sms('help');
    await relay.sms('hours');
    await relay.sms('Hours?');
    await waitFor(async () => (await relay.sent()).length >= 2, 'two auto replies');
    await sleep(200);
    const texts = (await relay.sent()).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/Bright Smile Dental.*STOP/);
    expect(texts[1]).toBe('We are open Mon-Fri 7am-10pm and Sat 9am-5pm.');
  });

  it('the same inbound MessageUUID twice is stored once', async () => {
    relay = await startTestRelay();
    const { signV2 } = await import('../plivo/signature.js');
    const url = relay.config.publicUrl + '/plivo/sms/inbound';
    const body = new URLSearchParams({ MessageUUID: 'dup-1', From: CALLER, To: '+15125550100', Text: 'hi' }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-plivo-signature-v2': signV2(url, '7', relay.config.plivo.authToken), 'x-plivo-signature-v2-nonce': '7' };
    for (let i = 0; i < 2; i++) expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(200);
    expect(Object.values(relay.store.data.messages)).toHaveLength(1);
  });

  it('delivery reports out of order end at the latest state', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    await waitFor(async () => (await relay.sent()).length === 1, 'text-back');
    const [thread] = (await relay.api(token, 'GET', '/api/threads')).body.threads;
    const msg = await waitFor(() => {
      const m = Object.values(relay.store.data.messages)[0];
      return m?.status === 'delivered' ? m : undefined;
    }, 'delivered');
    const { signV2 } = await import('../plivo/signature.js');
    const url = `${relay.config.publicUrl}/plivo/sms/status?m=${msg.id}`;
    const body = new URLSearchParams({ MessageUUID: msg.plivoUuid!, Status: 'sent', Sequence: '2' }).toString();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-plivo-signature-v2': signV2(url, '9', relay.config.plivo.authToken), 'x-plivo-signature-v2-nonce': '9' },
      body,
    });
    expect(res.status).toBe(200);
    expect(relay.store.data.messages[msg.id]!.status).toBe('delivered');
    expect((await relay.api(token, 'GET', `/api/threads/${thread.id}`)).body.thread.textBack.state).toBe('delivered');
  });
});
