import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { v3BaseString } from '../plivo/signature.js';
import { sendWebhook } from '../sandbox/webhook.js';
import { readArchive } from '../store/archive.js';
import { CorruptDataError, Store } from '../store/store.js';
import { CALLER, startTestRelay, TRACKING, waitFor, type TestRelay } from '../testing/harness.js';

/** Ids that name something on Object.prototype, Object or Function.prototype. */
const NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'prototype', 'valueOf', '__defineGetter__'];

/** The built-ins a lookup through the prototype chain would write onto: none may gain or lose an own key. */
const builtins = (): Record<string, string[]> => {
  const objs: [string, object][] = [
    ['Object.prototype', Object.prototype],
    ['Object', Object],
    ['Function.prototype', Function.prototype],
    ...Object.getOwnPropertyNames(Object.prototype)
      .map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)!.value] as [string, unknown])
      .filter((e): e is [string, object] => typeof e[1] === 'function'),
  ];
  return Object.fromEntries(objs.map(([n, o]) => [n, Reflect.ownKeys(o).map(String).sort()]));
};
const pristine = builtins();

function expectNoPollution(): void {
  expect(builtins()).toEqual(pristine);
  const probe = {} as Record<string, unknown>;
  for (const k of ['claim', 'status', 'seq', 'escalation', 'resolution', 'updatedAt', 'endedAt', 'outcome', 'voicemail', 'lastMessage']) {
    expect(probe[k], k).toBeUndefined();
  }
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
}

/** Every route registered on the app, as "METHOD /path", read from Fastify's own route tree. */
function registeredRoutes(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const full = (stack[depth - 1] ?? '') + m[2]!;
    stack.push(full);
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') out.push(`${method} ${full}`);
  }
  return out;
}

type Role = 'any' | 'manager' | 'sandbox';
/**
 * Every route with a path parameter, what it needs, and a body that passes validation so the request
 * reaches the lookup. The first test checks this list against the registered routes, so none is missed.
 */
const PARAM_ROUTES: { route: string; role: Role; body?: unknown }[] = [
  { route: 'GET /api/threads/:id', role: 'any' },
  { route: 'POST /api/threads/:id/claim', role: 'any', body: {} },
  { route: 'POST /api/threads/:id/release', role: 'any', body: {} },
  { route: 'POST /api/threads/:id/resolve', role: 'any', body: { outcome: 'booked', value: 100 } },
  { route: 'POST /api/threads/:id/messages', role: 'any', body: { text: 'hello', clientId: 'c1' } },
  { route: 'POST /api/threads/:id/notes', role: 'any', body: { text: 'a note' } },
  { route: 'POST /api/threads/:id/opt-out-review', role: 'any', body: { decision: 'confirm' } },
  { route: 'POST /api/threads/:id/callback', role: 'any', body: { phone: '+15125550142' } },
  { route: 'POST /api/threads/:id/assign', role: 'manager', body: { staffId: 'STAFF' } },
  { route: 'POST /api/threads/:id/reopen', role: 'any', body: {} },
  { route: 'POST /api/threads/:id/messages/:messageId/cancel', role: 'any', body: {} },
  { route: 'GET /api/threads/:id/offers', role: 'any' },
  { route: 'POST /api/threads/:id/booking', role: 'any', body: { start: '2026-12-03T15:00:00.000Z' } },
  { route: 'POST /api/bookings/:id/move', role: 'any', body: { start: '2026-12-03T15:00:00.000Z' } },
  { route: 'POST /api/bookings/:id/cancel', role: 'any', body: {} },
  { route: 'DELETE /api/staff/:id', role: 'manager' },
  { route: 'GET /api/contacts/:id', role: 'any' },
  { route: 'PATCH /api/contacts/:id', role: 'manager', body: { name: 'Ana' } },
  { route: 'DELETE /api/contacts/:id', role: 'manager' },
  { route: 'PATCH /api/quick-replies/:id', role: 'manager', body: { label: 'x' } },
  { route: 'DELETE /api/quick-replies/:id', role: 'manager' },
  // The self-booking page and the calendar feed: no login, the token (or the feed key) is the credential.
  { route: 'GET /book/:token', role: 'any' },
  { route: 'POST /book/:token', role: 'any', body: { serviceId: 'cleaning', start: '2026-12-03T15:00:00.000Z' } },
  { route: 'GET /book/:token/slots', role: 'any' },
  { route: 'GET /book/:token/event.ics', role: 'any' },
  { route: 'GET /calendar/:locationId.ics', role: 'any' },
  // The sandbox line keeps its state in Maps; its lookups are covered all the same.
  { route: 'GET /sandbox/recordings/:file', role: 'sandbox' },
  { route: 'POST /sandbox/plivo/v1/Account/:authId/Message/', role: 'sandbox', body: { src: TRACKING, dst: CALLER, text: 'x' } },
  { route: 'GET /sandbox/plivo/v1/Account/:authId/Message/', role: 'sandbox' },
  { route: 'GET /sandbox/plivo/v1/Account/:authId/', role: 'sandbox' },
  { route: 'GET /sandbox/plivo/v1/Account/:authId//', role: 'sandbox' },
  { route: 'GET /sandbox/plivo/v1/Account/:authId/Message/:uuid/', role: 'sandbox' },
  { route: 'POST /sandbox/plivo/v1/Account/:authId/Call/', role: 'sandbox', body: { from: TRACKING, to: CALLER, answer_url: 'http://127.0.0.1:9/x' } },
  { route: 'GET /sandbox/plivo/lookup/v1/Number/:number', role: 'sandbox' },
];

describe('ids that name Object.prototype members', () => {
  let relay: TestRelay;
  let boss: string;
  let riley: string;
  let threadId: string;
  beforeAll(async () => {
    relay = await startTestRelay();
    boss = await relay.staff('Mo', 'manager');
    riley = await relay.staff('Riley');
    await relay.call({ answered: false });
    threadId = await waitFor(async () => (await relay.api(riley, 'GET', '/api/threads')).body.threads[0]?.id as string | undefined, 'the thread');
    // Settle the text-back's delivery first, so that the records compared below change only through the requests.
    await waitFor(() => relay.store.data.threads[threadId]?.textBack?.state === 'delivered', 'the text-back delivered');
    expect((await relay.api(boss, 'POST', '/api/contacts', { name: 'Ana Ruiz', phone: CALLER })).status).toBe(201);
    expect((await relay.api(boss, 'POST', '/api/quick-replies', { label: 'Hi', text: 'Hello {{firstName}}' })).status).toBe(201);
  });
  afterAll(async () => relay?.stop());

  it('the list above names every route with a path parameter', () => {
    const registered = registeredRoutes(relay.app);
    expect(registered).toContain('GET /api/threads');
    expect(registered.filter((r) => r.includes('/:')).sort()).toEqual(PARAM_ROUTES.map((r) => r.route).sort());
  });

  it('every :id route answers 404 (or 403 to a receptionist where only managers may) and writes nothing', async () => {
    const before = JSON.stringify(relay.store.data);
    const rileyId = (await relay.api(riley, 'GET', '/api/me')).body.staff.id as string;
    const sandboxAuth = `Basic ${Buffer.from(`${relay.config.plivo.authId}:${relay.config.plivo.authToken}`).toString('base64')}`;
    for (const { route, role, body } of PARAM_ROUTES) {
      const [method, pattern] = route.split(' ') as [string, string];
      for (const name of NAMES) {
        const url = pattern
          .replace(/:(id|file|uuid|number|token|locationId)/, encodeURIComponent(name))
          .replace(':messageId', encodeURIComponent(name))
          .replace(':authId', relay.config.plivo.authId);
        const payload = body && JSON.parse(JSON.stringify(body).replace('STAFF', rileyId));
        if (role === 'sandbox') {
          const res = await fetch(relay.url + url, {
            method,
            headers: { authorization: sandboxAuth, ...(payload ? { 'content-type': 'application/json' } : {}) },
            ...(payload ? { body: JSON.stringify(payload) } : {}),
          });
          expect(res.status, `${route} ${name}`).toBeLessThan(500);
          await res.body?.cancel();
        } else {
          const asBoss = await relay.api(boss, method, url, payload);
          expect([asBoss.status, asBoss.body?.error?.code], `${route} ${name} as manager`).toEqual([404, 'not-found']);
          const asRiley = await relay.api(riley, method, url, payload);
          expect(asRiley.status, `${route} ${name} as receptionist`).toBe(role === 'manager' ? 403 : 404);
        }
        expectNoPollution();
      }
    }
    // A real thread with a message id named like a built-in.
    for (const name of NAMES) expect((await relay.api(riley, 'POST', `/api/threads/${threadId}/messages/${encodeURIComponent(name)}/cancel`, {})).status).toBe(404);
    // The query-string thread of the quick-reply list is an id too.
    for (const name of NAMES) expect((await relay.api(riley, 'GET', `/api/quick-replies?thread=${encodeURIComponent(name)}`)).status).toBe(404);
    expectNoPollution();
    // No record was touched.
    const after = JSON.parse(JSON.stringify(relay.store.data));
    const was = JSON.parse(before);
    for (const map of ['threads', 'calls', 'messages', 'notes', 'outbox', 'contacts', 'quickReplies', 'callbacks', 'optOuts'] as const) {
      expect(after[map], map).toEqual(was[map]);
    }
  });

  it('afterwards the relay works: the thread list, settings and every export', async () => {
    const list = await relay.api(riley, 'GET', '/api/threads');
    expect(list.status).toBe(200);
    expect(list.body.threads.map((t: any) => t.id)).toEqual([threadId]);
    expect((await relay.api(riley, 'GET', `/api/threads/${threadId}`)).body.thread.status).toBe('open');
    const settings = await relay.api(boss, 'PATCH', '/api/settings', { sla: { claimMinutes: 7 } });
    expect([settings.status, settings.body.sla?.claimMinutes]).toEqual([200, 7]);
    for (const name of ['threads', 'calls', 'messages', 'staffing', 'contacts']) {
      const csv = await relay.api(boss, 'GET', `/api/export/${name}.csv`);
      expect(csv.status, name).toBe(200);
      expect(String(csv.body).split('\n').length, name).toBeGreaterThan(1);
    }
    expect((await relay.api(riley, 'POST', `/api/threads/${threadId}/claim`)).status).toBe(200);
    expectNoPollution();
  });

  it('settings keyed by such names are refused or kept as plain keys', async () => {
    for (const name of NAMES.filter((n) => n !== '__proto__')) {
      const t = await relay.api(boss, 'PATCH', '/api/settings', { templates: { [name]: { missed: 'Hi' } } });
      expect([name, t.status, t.body.error?.message]).toEqual([name, 400, `templates: unknown location "${name}"`]);
      const k = await relay.api(boss, 'PATCH', '/api/settings', { keywords: { [name]: 'Hello' } });
      expect([name, k.status]).toEqual([name, 400]);
      expectNoPollution();
    }
    const read = await relay.api(boss, 'GET', '/api/settings');
    expect(read.status).toBe(200);
    expect(Object.keys(read.body.templates)).toEqual(['main']);
  });

  it('JSON bodies carrying __proto__ or constructor keys are refused with 400', async () => {
    for (const raw of ['{"__proto__":{"claim":1},"name":"x","phone":"+15125550101"}', '{"constructor":{"prototype":{"claim":1}},"name":"x","phone":"+15125550101"}']) {
      const res = await fetch(`${relay.url}/api/contacts`, { method: 'POST', headers: { authorization: `Bearer ${boss}`, 'content-type': 'application/json' }, body: raw });
      expect(res.status).toBe(400);
    }
    expectNoPollution();
  });
});

describe('webhook ids that name Object.prototype members', () => {
  let relay: TestRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });

  const hook = (r: TestRelay, kind: 'voice' | 'messaging', pathAndQuery: string, params: Record<string, string>) =>
    sendWebhook({ kind, url: r.config.publicUrl + pathAndQuery, params, token: r.config.plivo.authToken });
  const caller = (i: number) => `+1512555${String(2000 + i)}`;
  const call = (id: string, from: string) => ({ CallUUID: id, From: from.slice(1), To: TRACKING.slice(1), Direction: 'inbound', CallStatus: 'ringing' });

  it('a CallUUID is an opaque id: hang-ups while ringing become missed calls stored under their own key', async () => {
    relay = await startTestRelay();
    for (const [i, name] of NAMES.entries()) {
      const res = await hook(relay, 'voice', '/plivo/voice/hangup', { ...call(name, caller(i)), CallStatus: 'completed', HangupCause: 'ORIGINATOR_CANCEL', Duration: '0' });
      expect([res.status, name]).toEqual([200, name]);
      expectNoPollution();
    }
    const calls = relay.store.data.calls;
    for (const name of NAMES) {
      expect(Object.hasOwn(calls, name), name).toBe(true);
      expect(calls[name]).toMatchObject({ id: name, outcome: 'missed' });
    }
    await waitFor(async () => (await relay!.sent()).length === NAMES.length, 'one text-back per caller');
    const boss = await relay.staff('Mo', 'manager');
    const threads = (await relay.api(boss, 'GET', '/api/threads')).body.threads;
    expect(threads).toHaveLength(NAMES.length);
    const detail = (await relay.api(boss, 'GET', `/api/threads/${threads[0].id}`)).body;
    expect(NAMES).toContain(detail.calls[0].id);
    expect((await relay.api(boss, 'GET', '/api/export/calls.csv')).status).toBe(200);
    expect((await relay.api(boss, 'PATCH', '/api/settings', { sla: { claimMinutes: 9 } })).status).toBe(200);
    expectNoPollution();
  });

  it('a full missed call (answer, dial, recording, hangup) keyed by such a CallUUID', async () => {
    relay = await startTestRelay();
    for (const [i, name] of NAMES.entries()) {
      const c = call(name, caller(i));
      expect((await hook(relay, 'voice', '/plivo/voice/answer', c)).status).toBe(200);
      expect((await hook(relay, 'voice', '/plivo/voice/dial', { ...c, DialStatus: 'no-answer' })).status).toBe(200);
      const rec = { ...c, RecordUrl: 'https://example.com/r.wav', RecordingDuration: '5', RecordingID: `r-${i}` };
      expect((await hook(relay, 'voice', '/plivo/voice/recording', rec)).status).toBe(200);
      expect((await hook(relay, 'voice', '/plivo/voice/hangup', { ...c, CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', Duration: '30' })).status).toBe(200);
      expectNoPollution();
      expect(relay.store.data.calls[name]).toMatchObject({ id: name, outcome: 'missed', voicemail: { durationSec: 5 } });
    }
    await waitFor(async () => (await relay!.sent()).length === NAMES.length, 'one voicemail text-back per caller');
  });

  it('MessageUUIDs, ?m= and ?c= ids are opaque too: replies are stored, unknown ids change nothing', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    for (const [i, name] of NAMES.entries()) {
      const sms = { MessageUUID: name, From: caller(i), To: TRACKING, Text: 'hello there', Type: 'sms' };
      expect((await hook(relay, 'messaging', '/plivo/sms/inbound', sms)).status).toBe(200);
      // A retry of the same MessageUUID is recognised.
      expect((await hook(relay, 'messaging', '/plivo/sms/inbound', sms)).status).toBe(200);
      expectNoPollution();
    }
    const inbound = Object.values(relay.store.data.messages).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.plivoUuid).sort()).toEqual([...NAMES].sort());

    // A staff reply goes out; its delivery reports may name it by ?m= or by MessageUUID.
    const thread = (await relay.api(boss, 'GET', '/api/threads')).body.threads[0];
    const sent = await relay.api(boss, 'POST', `/api/threads/${thread.id}/messages`, { text: 'we will call you' });
    expect(sent.status).toBe(201);
    const uuid = await waitFor(() => relay!.store.data.messages[sent.body.message.id]?.plivoUuid, 'the send');
    for (const name of NAMES) {
      const q = `/plivo/sms/status?m=${encodeURIComponent(name)}`;
      // That uuid is an inbound text's, not a message we sent: not a report of ours, refused.
      expect((await hook(relay, 'messaging', q, { MessageUUID: name, Status: 'delivered', To: thread.caller, From: TRACKING })).status).toBe(403);
      // Our reply's uuid under an id that is not our message: another message's report, refused.
      expect((await hook(relay, 'messaging', q, { MessageUUID: uuid, Status: 'delivered', To: thread.caller, From: TRACKING, Sequence: '9' })).status).toBe(403);
      for (const step of ['answer', 'dial', 'hangup']) {
        const c = { ...call(`cb-${name}`, '+15125550142'), DialStatus: 'completed', CallStatus: 'completed' };
        const res = await hook(relay, 'voice', `/plivo/voice/callback/${step}?c=${encodeURIComponent(name)}`, c);
        expect([step, res.status, JSON.parse(res.body).error.code]).toEqual([step, 400, 'unknown-callback']);
      }
      expectNoPollution();
    }
    expect(Object.values(relay.store.data.messages).filter((m) => NAMES.includes(m.id))).toEqual([]);
    expect((await relay.api(boss, 'GET', '/api/threads')).body.threads).toHaveLength(NAMES.length);
    for (const name of ['threads', 'calls', 'messages']) expect((await relay.api(boss, 'GET', `/api/export/${name}.csv`)).status).toBe(200);
  });

  it('query keys such as __proto__ or constructor neither break nor pass the signature check', async () => {
    relay = await startTestRelay();
    const hangup = { ...call('q-1', caller(0)), CallStatus: 'completed', HangupCause: 'ORIGINATOR_CANCEL', Duration: '0' };
    for (const q of ['?__proto__=x', '?constructor=y&toString=z&hasOwnProperty=1', '?__proto__[claim]=1&prototype=2']) {
      const unsigned = await fetch(`${relay.url}/plivo/voice/hangup${q}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(hangup).toString() });
      expect([q, unsigned.status]).toEqual([q, 403]);
      const signed = await hook(relay, 'voice', `/plivo/voice/hangup${q}`, hangup);
      expect([q, signed.status]).toEqual([q, 200]);
      expectNoPollution();
    }
    expect(relay.store.data.calls['q-1']).toMatchObject({ outcome: 'missed' });
  });
});

describe('the code', () => {
  it('reads store tables by id only through own(), never by indexing them', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const tables = 'threads|calls|messages|notes|outbox|optOuts|lineTypes|processed|contacts|quickReplies|callbacks|settings';
    const indexing = new RegExp(`\\b(data|d)\\.(${tables})\\[`);
    const offenders: string[] = [];
    for (const f of files) {
      const lines = (await readFile(path.join(root, f), 'utf8')).split('\n');
      lines.forEach((line, i) => indexing.test(line) && offenders.push(`${f}:${i + 1}: ${line.trim()}`));
    }
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});

describe('signature base strings', () => {
  it('treat query and GET parameter names such as constructor as plain keys, and drop __proto__ as the SDK does', () => {
    expect(v3BaseString('GET', 'https://r.example/p?b=2&constructor=c', { toString: 't', a: '1' })).toBe('https://r.example/p?a=1&b=2&constructor=c&toString=t');
    expect(v3BaseString('POST', 'https://r.example/p?__proto__=x&m=1', { CallUUID: 'u' })).toBe('https://r.example/p?m=1.CallUUIDu');
    expectNoPollution();
  });
});

describe('a data file with such keys', () => {
  let dir: string;
  let relay: TestRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('survives restarts: the keys stay own records, reachable by id, and nothing leaks onto Object.prototype', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-proto-'));
    relay = await startTestRelay({ dir });
    const boss = await relay.staff('Mo', 'manager');
    await relay.call({ answered: false });
    const thread = await waitFor(async () => (await relay!.api(boss, 'GET', '/api/threads')).body.threads[0], 'the thread');
    const callId = Object.keys(relay.store.data.calls)[0]!;
    await relay.stop();
    relay = undefined;

    // Rename the thread to "__proto__" and its call to "constructor" in the snapshot, as a hostile or hand-edited file might.
    const file = path.join(dir, 'ringback.json');
    const text = (await readFile(file, 'utf8')).replaceAll(`"${thread.id}"`, '"__proto__"').replaceAll(`"${callId}"`, '"constructor"');
    expect(text).toContain('"threads":{"__proto__":');
    await writeFile(file, text);
    // And a journal line after it that adds a contact keyed "__proto__" and a processed key "toString".
    const snap = JSON.parse(text);
    const contact = { id: '__proto__', name: 'Proto Caller', phone: '+15125550177', tags: [], notes: '', customerSince: null, createdAt: thread.openedAt, updatedAt: thread.openedAt };
    const line = { b: snap.batch + 1, seq: snap.seq + 1, p: [['contacts', '__proto__', contact], ['processed', 'toString', new Date().toISOString()]], a: {} };
    await appendFile(path.join(dir, 'ringback.journal.1'), `${JSON.stringify(line)}\n`);

    for (let round = 0; round < 2; round++) {
      relay = await startTestRelay({ dir });
      expectNoPollution();
      const data = relay.store.data;
      for (const map of ['threads', 'calls', 'contacts', 'processed', 'messages', 'settings'] as const) expect(Object.getPrototypeOf(data[map]), map).toBeNull();
      expect(Object.keys(data.threads)).toEqual(['__proto__']);
      expect(Object.keys(data.calls)).toEqual(['constructor']);
      expect(Object.keys(data.contacts)).toEqual(['__proto__']);
      expect(Object.hasOwn(data.processed, 'toString')).toBe(true);

      const token = await relay.staff(`Mo ${round}`, 'manager');
      const detail = await relay.api(token, 'GET', '/api/threads/__proto__');
      expect(detail.status).toBe(200);
      expect(detail.body.thread.id).toBe('__proto__');
      expect(detail.body.calls.map((c: any) => c.id)).toEqual(['constructor']);
      expect((await relay.api(token, 'GET', '/api/contacts/__proto__')).body.contact.name).toBe('Proto Caller');
      expect((await relay.api(token, 'GET', '/api/threads/constructor')).status).toBe(404);
      expect((await relay.api(token, 'GET', '/api/threads')).body.threads.map((t: any) => t.id)).toEqual(['__proto__']);
      expect((await relay.api(token, 'POST', '/api/threads/__proto__/notes', { text: `round ${round}` })).status).toBe(201);
      expect((await relay.api(token, 'GET', '/api/export/threads.csv')).status).toBe(200);
      expectNoPollution();
      await relay.stop();
      relay = undefined;
    }
    const final = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(final.threads)).toEqual(['__proto__']);
    expect(Object.values(final.notes).map((n: any) => n.text).sort()).toEqual(['round 0', 'round 1']);
  });

  it('a journal line naming "__proto__" as a collection is refused, not applied to Object.prototype', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-proto-'));
    const line = { b: 1, seq: 1, p: [['__proto__', 'claim', { staffId: 'x' }], ['constructor', 'status', 'resolved']], a: {} };
    await appendFile(path.join(dir, 'ringback.journal.1'), `${JSON.stringify(line)}\n`);
    await expect(Store.open(dir)).rejects.toBeInstanceOf(CorruptDataError);
    expectNoPollution();
  });

  it('archived months keep records keyed "__proto__" or "constructor" as their own keys', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-proto-'));
    let clock = new Date('2026-09-10T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    const token = await relay.staff('Riley');
    for (const [i, name] of ['__proto__', 'constructor'].entries()) {
      const c = { CallUUID: name, From: `1512555300${i}`, To: TRACKING.slice(1), Direction: 'inbound', CallStatus: 'completed', HangupCause: 'ORIGINATOR_CANCEL', Duration: '0' };
      expect((await sendWebhook({ kind: 'voice', url: `${relay.config.publicUrl}/plivo/voice/hangup`, params: c, token: relay.config.plivo.authToken })).status).toBe(200);
    }
    await waitFor(async () => (await relay!.sent()).length === 2, 'the text-backs');
    for (const t of (await relay.api(token, 'GET', '/api/threads')).body.threads) {
      expect((await relay.api(token, 'POST', `/api/threads/${t.id}/resolve`, { outcome: 'booked' })).status).toBe(200);
    }
    await relay.stop();
    // An existing month file from an earlier run, read back from JSON before the new records join it.
    await mkdir(path.join(dir, 'archive'), { recursive: true });
    await writeFile(path.join(dir, 'archive', '2026-09.json'), '{"threads":{},"calls":{"toString":{"id":"toString","threadId":null,"locationId":"main","from":"+15125553009","to":"+15125550100","startedAt":"2026-09-02T15:00:00.000Z","endedAt":"2026-09-02T15:01:00.000Z","outcome":"answered","afterHours":false,"dialStatus":"completed","missedAt":null,"voicemail":null,"textBackSettled":true,"textBackSkipped":null}},"messages":{},"notes":{}}');
    clock = new Date('2026-10-20T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady; // closed days kept and records archived
    expectNoPollution();
    expect(Object.keys(relay.store.data.calls)).toEqual([]);
    const month = await readArchive(dir, '2026-09');
    expect(Object.getPrototypeOf(month.calls)).toBeNull();
    expect(Object.keys(month.calls).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(month.calls['__proto__']).toMatchObject({ id: '__proto__', outcome: 'missed' });
    const token2 = await relay.staff('Sam');
    const september = (await relay.api(token2, 'GET', '/api/metrics?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z')).body;
    expect(september).toMatchObject({ missed: 2, booked: 2 });
    expectNoPollution();
  });
});
