import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, TRACKING, CALLER, type TestRelay } from '../testing/harness.js';
import { newNonce } from '../sandbox/sign.js';
import { signV2, signV3 } from './signature.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

type Form = Record<string, string>;

async function post(r: TestRelay, path: string, form: Form, headers: Record<string, string>) {
  const res = await fetch(r.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text() };
}

// Plivo sends a fresh nonce with every webhook (a retry may repeat one, with the same request).
const v3 = (r: TestRelay, path: string, form: Form, token = r.config.plivo.authToken, nonce = newNonce()) => ({
  'x-plivo-signature-v3': signV3('POST', r.config.publicUrl + path, form, nonce, token),
  'x-plivo-signature-v3-nonce': nonce,
});
const v2 = (r: TestRelay, path: string, token = r.config.plivo.authToken, nonce = newNonce()) => ({
  'x-plivo-signature-v2': signV2(r.config.publicUrl + path, nonce, token),
  'x-plivo-signature-v2-nonce': nonce,
});

const answer = { CallUUID: 'call-1', From: CALLER.slice(1), To: TRACKING.slice(1), Direction: 'inbound', CallStatus: 'ringing' };

describe('webhook edge', () => {
  it('answers a signed call with Dial XML to the desk phones', async () => {
    relay = await startTestRelay();
    const res = await post(relay, '/plivo/voice/answer', answer, v3(relay, '/plivo/voice/answer', answer));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Dial action="' + relay.config.publicUrl + '/plivo/voice/dial"');
    expect(res.text).toContain('<Number>+15125550199</Number>');
    expect(relay.store.data.calls['call-1']).toMatchObject({ from: CALLER, outcome: 'ringing' });
  });

  it('rejects unsigned, wrongly signed and tampered webhooks with 403 and stores nothing', async () => {
    relay = await startTestRelay();
    const path = '/plivo/voice/answer';
    expect((await post(relay, path, answer, {})).status).toBe(403);
    expect((await post(relay, path, answer, v3(relay, path, answer, 'not-the-token'))).status).toBe(403);
    expect((await post(relay, path, { ...answer, From: '15125559999' }, v3(relay, path, answer))).status).toBe(403);
    // Signed for another URL (a different path).
    expect((await post(relay, path, answer, v3(relay, '/plivo/voice/hangup', answer))).status).toBe(403);
    // A broken V3 header never falls back to a valid V2 one.
    expect((await post(relay, path, answer, { ...v2(relay, path), 'x-plivo-signature-v3': 'AAAA', 'x-plivo-signature-v3-nonce': '1' })).status).toBe(403);
    expect(relay.store.data.calls).toEqual({});
  });

  it('accepts V2 on messaging webhooks and any of several comma-separated V3 signatures', async () => {
    relay = await startTestRelay();
    const sms = { MessageUUID: 'm-1', From: CALLER, To: TRACKING, Text: 'hello', Type: 'sms' };
    expect((await post(relay, '/plivo/sms/inbound', sms, v2(relay, '/plivo/sms/inbound'))).status).toBe(200);
    const h = v3(relay, '/plivo/voice/answer', answer);
    h['x-plivo-signature-v3'] = `c29tZXRoaW5nIGVsc2U=,${h['x-plivo-signature-v3']}`;
    expect((await post(relay, '/plivo/voice/answer', answer, h)).status).toBe(200);
  });

  it('answers 400 with the reason for a signed body that is not valid', async () => {
    relay = await startTestRelay();
    const bad = { CallUUID: 'call-2', From: CALLER, To: TRACKING, DialStatus: 'maybe' };
    const res = await post(relay, '/plivo/voice/dial', bad, v3(relay, '/plivo/voice/dial', bad));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.message).toMatch(/DialStatus/);
    const unknown = { ...answer, To: '15125550111' };
    const res2 = await post(relay, '/plivo/voice/answer', unknown, v3(relay, '/plivo/voice/answer', unknown));
    expect(res2.status).toBe(400);
    expect(JSON.parse(res2.text).error.message).toMatch(/not a tracking number/);
    expect(relay.store.data.calls).toEqual({});
  });

  it('is idempotent: the same hangup twice sends one text', async () => {
    relay = await startTestRelay();
    for (const [p, f] of [
      ['/plivo/voice/answer', answer],
      ['/plivo/voice/dial', { ...answer, DialStatus: 'no-answer' }],
    ] as const) {
      expect((await post(relay, p, f, v3(relay, p, f))).status).toBe(200);
    }
    const hangup = { ...answer, CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', Duration: '25' };
    const headers = v3(relay, '/plivo/voice/hangup', hangup);
    const [a, b] = await Promise.all([post(relay, '/plivo/voice/hangup', hangup, headers), post(relay, '/plivo/voice/hangup', hangup, headers)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await relay.sent()).toHaveLength(1);
    expect(Object.values(relay.store.data.messages)).toHaveLength(1);
  });
});

describe('missing hangup', () => {
  it('sends the text-back after textBack.maxWaitSeconds when Plivo never reports the hangup', async () => {
    const { testBusiness } = await import('../testing/harness.js');
    relay = await startTestRelay({ business: testBusiness((c) => (c.textBack = { dedupeMinutes: 30, maxWaitSeconds: 1, quietHours: null })) });
    for (const [p, f] of [
      ['/plivo/voice/answer', answer],
      ['/plivo/voice/dial', { ...answer, DialStatus: 'busy' }],
    ] as const) {
      expect((await post(relay, p, f, v3(relay, p, f))).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 400));
    expect(await relay.sent()).toHaveLength(0);
    const { waitFor } = await import('../testing/harness.js');
    await waitFor(async () => (await relay.sent()).length === 1, 'the late text-back', 4000);
  });
});

describe('bad input', () => {
  it('answers malformed bodies with 400 and a reason, oversized ones with 413, and keeps running', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    const auth = { authorization: `Bearer ${token}` };
    const bad = await fetch(`${relay.url}/api/threads/x/notes`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"text":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBeTruthy();
    const big = await fetch(`${relay.url}/plivo/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Text=${'x'.repeat(70_000)}` });
    expect(big.status).toBe(413);
    const xml = await fetch(`${relay.url}/plivo/voice/answer`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
    expect([403, 415]).toContain(xml.status);
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  });
});
