import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../http/free-port.js';
import { newNonce } from '../sandbox/sign.js';
import { CALLER, sleep, startTestRelay, TRACKING, waitFor, type TestRelay } from '../testing/harness.js';
import { signV2, signV3 } from './signature.js';

let relay: TestRelay | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

type Form = Record<string, string>;
const STRANGER = '+15125559876';

async function post(r: TestRelay, pathAndQuery: string, form: Form, headers: Record<string, string>) {
  const res = await fetch(r.url + pathAndQuery, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, text };
}

/** What Plivo sends with a messaging webhook: V2 over the URL (no query) and a fresh nonce. */
const v2 = (r: TestRelay, pathAndQuery: string, nonce = newNonce()) => ({
  'x-plivo-signature-v2': signV2(r.config.publicUrl + pathAndQuery, nonce, r.config.plivo.authToken),
  'x-plivo-signature-v2-nonce': nonce,
});
const v3 = (r: TestRelay, pathAndQuery: string, form: Form, nonce = newNonce()) => ({
  'x-plivo-signature-v3': signV3('POST', r.config.publicUrl + pathAndQuery, form, nonce, r.config.plivo.authToken),
  'x-plivo-signature-v3-nonce': nonce,
});

const inbound = (uuid: string, text: string, from = CALLER): Form => ({ MessageUUID: uuid, From: from, To: TRACKING, Text: text, Type: 'sms' });

describe('webhook replay', () => {
  it('refuses a captured V2 signature with a new body: no STOP, no HELP text to another number', async () => {
    relay = await startTestRelay();
    const captured = v2(relay, '/plivo/sms/inbound');
    expect((await post(relay, '/plivo/sms/inbound', inbound('in-1', 'Can I move my appointment?'), captured)).status).toBe(200);

    const forgedStop = await post(relay, '/plivo/sms/inbound', inbound('in-2', 'STOP', STRANGER), captured);
    expect(forgedStop.status).toBe(403);
    expect(JSON.parse(forgedStop.text).error.code).toBe('replayed');
    expect((await post(relay, '/plivo/sms/inbound', inbound('in-3', 'STOP'), captured)).status).toBe(403);
    expect((await post(relay, '/plivo/sms/inbound', inbound('in-4', 'HELP', STRANGER), captured)).status).toBe(403);

    await sleep(300);
    expect((await relay.sent()).filter((m) => m.to === STRANGER)).toEqual([]);
    expect(relay.store.data.optOuts).toEqual({});
    expect(Object.values(relay.store.data.messages).map((m) => m.plivoUuid)).toEqual(['in-1']);
  });

  it('takes an identical V2 retry (200, stored once), also after a restart on the same data dir', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-replay-'));
    dirs.push(dir);
    // Same account token and same URL after the restart, as for a real deployment.
    const plivoToken = 'replay-test-token';
    const env = { PORT: String(await freePort('127.0.0.1')) };
    relay = await startTestRelay({ dir, plivoToken, env });
    const captured = v2(relay, '/plivo/sms/inbound');
    const body = inbound('in-1', 'STOP');
    expect((await post(relay, '/plivo/sms/inbound', body, captured)).status).toBe(200);
    expect((await post(relay, '/plivo/sms/inbound', body, captured)).status).toBe(200);
    await waitFor(async () => (await relay!.sent()).length === 1, 'the one STOP confirmation');
    await relay.stop();

    relay = await startTestRelay({ dir, plivoToken, env });
    expect(relay.store.data.nonces[`v2:${captured['x-plivo-signature-v2-nonce']}`]).toBeDefined();
    // Plivo retrying after the restart: still a retry, still handled once.
    expect((await post(relay, '/plivo/sms/inbound', body, captured)).status).toBe(200);
    expect(Object.values(relay.store.data.messages).filter((m) => m.direction === 'in')).toHaveLength(1);
    // The same captured headers with a new body are still refused after the restart.
    expect((await post(relay, '/plivo/sms/inbound', inbound('in-9', 'HELP', STRANGER), captured)).status).toBe(403);
    await sleep(300);
    expect((await relay.sent()).filter((m) => m.to === STRANGER)).toEqual([]);
  });

  it('refuses the same nonce with another query (V2 does not sign the query)', async () => {
    relay = await startTestRelay();
    const h = v2(relay, '/plivo/sms/status?m=msg_a');
    const report = { MessageUUID: 'nobody', Status: 'delivered' };
    expect((await post(relay, '/plivo/sms/status?m=msg_a', report, h)).status).toBe(200);
    expect((await post(relay, '/plivo/sms/status?m=msg_b', report, h)).status).toBe(403);
  });

  it('remembers V3 nonces too: an identical V3 retry is fine, the nonce with another signed body is not', async () => {
    relay = await startTestRelay();
    const answer = { CallUUID: 'call-1', From: CALLER.slice(1), To: TRACKING.slice(1), Direction: 'inbound', CallStatus: 'ringing' };
    const nonce = newNonce();
    const h = v3(relay, '/plivo/voice/answer', answer, nonce);
    expect((await post(relay, '/plivo/voice/answer', answer, h)).status).toBe(200);
    expect((await post(relay, '/plivo/voice/answer', answer, h)).status).toBe(200);
    const other = { ...answer, CallUUID: 'call-2' };
    expect((await post(relay, '/plivo/voice/answer', other, v3(relay, '/plivo/voice/answer', other, nonce))).status).toBe(403);
    expect(Object.keys(relay.store.data.calls)).toEqual(['call-1']);
  });

  it('refuses V2 on every voice route, and stores nothing', async () => {
    relay = await startTestRelay();
    const answer = { CallUUID: 'call-1', From: CALLER.slice(1), To: TRACKING.slice(1), Direction: 'inbound', CallStatus: 'ringing' };
    for (const p of ['/plivo/voice/answer', '/plivo/voice/dial', '/plivo/voice/hangup', '/plivo/voice/recording', '/plivo/voice/callback/answer']) {
      const res = await post(relay, p, answer, v2(relay, p));
      expect(res.status, p).toBe(403);
      expect(JSON.parse(res.text).error.message).toMatch(/V3/);
    }
    expect(relay.store.data.calls).toEqual({});
  });
});

describe('delivery reports', () => {
  async function twoTextBacks(r: TestRelay) {
    await r.call({ answered: false });
    await r.call({ answered: false, from: STRANGER });
    return waitFor(() => {
      const out = Object.values(r.store.data.messages).filter((m) => m.direction === 'out' && m.status === 'delivered' && m.plivoUuid);
      return out.length === 2 ? out : undefined;
    }, 'two delivered text-backs');
  }

  it('refuses a report for another message (ErrorCode 200): nothing changes, nobody is suppressed', async () => {
    relay = await startTestRelay();
    const [a, b] = await twoTextBacks(relay);
    const url = `/plivo/sms/status?m=${a!.id}`;
    for (const uuid of [b!.plivoUuid!, 'made-up-uuid']) {
      const res = await post(relay, url, { MessageUUID: uuid, Status: 'failed', ErrorCode: '200', Sequence: '99' }, v2(relay, url));
      expect(res.status, uuid).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe('mismatch');
    }
    expect(relay.store.data.optOuts).toEqual({});
    expect(relay.store.data.messages[a!.id]!.status).toBe('delivered');
    expect(relay.store.data.messages[b!.id]!.status).toBe('delivered');

    // The message's own report still counts (and a carrier opt-out still suppresses).
    const own = await post(relay, url, { MessageUUID: a!.plivoUuid!, Status: 'failed', ErrorCode: '200', Sequence: '99' }, v2(relay, url));
    expect(own.status).toBe(200);
    expect(Object.keys(relay.store.data.optOuts)).toHaveLength(1);
  });
});

describe('signature failure log', () => {
  it('names the checked URL and the received host, once a minute, counting the rest', async () => {
    const lines: { level: number; msg: string; notLoggedSinceLastLine?: number; checked?: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    let clock = Date.now();
    relay = await startTestRelay({ log: pino({ level: 'warn' }, sink), now: () => new Date(clock) });
    const sms = inbound('in-1', 'hi');
    const wrong = { 'x-plivo-signature-v2': 'AAAA', 'x-plivo-signature-v2-nonce': '1' };
    for (let i = 0; i < 3; i++) expect((await post(relay, '/plivo/sms/inbound', sms, wrong)).status).toBe(403);
    clock += 61_000;
    expect((await post(relay, '/plivo/sms/inbound', sms, {})).status).toBe(403);
    await sleep(50);

    const warnings = lines.filter((l) => /signature/.test(l.msg));
    expect(warnings).toHaveLength(2);
    const checked = `${relay.config.publicUrl}/plivo/sms/inbound`;
    expect(warnings[0]!.msg).toContain(checked);
    expect(warnings[0]!.msg).toContain(`came to ${new URL(relay.url).host}/plivo/sms/inbound`);
    expect(warnings[0]!.msg).toContain('check PUBLIC_URL');
    expect(warnings[1]!.notLoggedSinceLastLine).toBe(2);
  });
});
