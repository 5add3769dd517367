import { afterEach, describe, expect, it } from 'vitest';
import { scriptJson } from './dev-phone.js';
import { CALLER, startHarness, TRACKING, type Harness } from './test-harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const inbound = (hh: Harness) => hh.hits.filter((x) => x.path === '/plivo/sms/inbound');

/** Polls /sandbox/messages until every message reached a final state (delivery runs in the background). */
async function settled(hh: Harness): Promise<any[]> {
  for (let i = 0; i < 300; i++) {
    const { messages } = (await hh.json('GET', '/sandbox/messages')).body;
    if (messages.every((m: any) => ['delivered', 'failed', 'undelivered'].includes(m.status))) return messages;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('messages did not settle');
}

describe('POST /sandbox/sms', () => {
  it('delivers a V2-signed inbound SMS and returns the relay status', async () => {
    h = await startHarness();
    const res = await h.json('POST', '/sandbox/sms', { from: CALLER, to: TRACKING, text: 'Can I book for Tuesday?' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ messageUuid: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 200 });
    const [hit] = inbound(h);
    expect(hit).toMatchObject({ signature: 'V2', valid: true });
    expect(hit!.params).toEqual({
      From: CALLER, To: TRACKING, Text: 'Can I book for Tuesday?', Type: 'sms', MessageUUID: res.body.messageUuid,
      Units: '1', TotalRate: '0.00000', TotalAmount: '0.00000', MessageIntent: '',
    });
  });

  it('marks exact STOP/START/HELP words with MessageIntent', async () => {
    h = await startHarness();
    for (const text of ['STOP', 'start', ' Help ', 'stop please']) await h.json('POST', '/sandbox/sms', { from: CALLER, to: TRACKING, text });
    expect(inbound(h).map((x) => x.params.MessageIntent)).toEqual(['optout', 'optin', 'help', '']);
  });

  it('blocks sends to an opted-out handset after the one allowed acknowledgment (error 200)', async () => {
    h = await startHarness();
    await h.json('POST', '/sandbox/sms', { from: CALLER, to: TRACKING, text: 'STOP' });
    const c = h.client();
    await c.messages.create(TRACKING, CALLER, 'You are unsubscribed.');
    await c.messages.create(TRACKING, CALLER, 'Sorry we missed your call');
    expect((await settled(h)).map((m) => [m.status, m.errorCode])).toEqual([['delivered', '000'], ['failed', '200']]);

    await h.json('POST', '/sandbox/sms', { from: CALLER, to: TRACKING, text: 'START' });
    await c.messages.create(TRACKING, CALLER, 'Welcome back');
    expect((await settled(h))[2].status).toBe('delivered');
  });

  it('sends <Message> replies from the inbound XML answer, as Plivo does', async () => {
    h = await startHarness({ inboundReply: `<Response><Message src="${TRACKING}" dst="${CALLER}" type="sms">We are open Mon-Fri 8-5.</Message></Response>` });
    await h.json('POST', '/sandbox/sms', { from: CALLER, to: TRACKING, text: 'HOURS' });
    const { body } = await h.json('GET', `/sandbox/messages?to=${encodeURIComponent(CALLER)}`);
    expect(body.messages).toMatchObject([{ from: TRACKING, to: CALLER, text: 'We are open Mon-Fri 8-5.' }]);
  });

  it('rejects texts to numbers that are not tracking numbers, and bad input', async () => {
    h = await startHarness();
    expect((await h.json('POST', '/sandbox/sms', { from: CALLER, to: '+15125550999', text: 'hi' })).status).toBe(400);
    expect((await h.json('POST', '/sandbox/sms', { from: 'anonymous', to: TRACKING, text: 'hi' })).status).toBe(400);
    expect((await h.json('POST', '/sandbox/sms', { from: CALLER, to: TRACKING })).status).toBe(400);
    expect(inbound(h)).toHaveLength(0);
  });
});

describe('other driving routes', () => {
  it('validates /sandbox/numbers', async () => {
    h = await startHarness();
    expect((await h.json('POST', '/sandbox/numbers', { number: CALLER, type: 'pager' })).status).toBe(400);
    expect((await h.json('POST', '/sandbox/numbers', { number: 'x', type: 'mobile' })).status).toBe(400);
    expect((await h.json('POST', '/sandbox/numbers', { number: '15125550123', type: 'landline' })).body).toEqual({ number: '+15125550123', type: 'landline' });
  });

  it('serves the dev phone page with its settings embedded, and no desk view unless the relay gives one', async () => {
    h = await startHarness();
    const res = await fetch(`${h.base}/sandbox`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('"trackingNumbers":["+15125550100"]');
    expect(html).toContain('"deskView":false');
    expect(html).not.toContain('/*SANDBOX_CONFIG*/');
    expect((await fetch(`${h.base}/sandbox/desk`)).status).toBe(404);
  });

  it('embeds settings as script-safe JSON', () => {
    const json = scriptJson({ s: '</script><!-- & \u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ s: '</script><!-- & \u2028' });
  });
});
