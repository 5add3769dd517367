import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '@ringback/shared';
import { createPlivoRest, type PlivoRest } from '../plivo/rest.js';
import type { OutboxEntry } from '../store/data.js';
import { CALLER, sleep, startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import type { OutboxOptions } from './outbox.js';

/**
 * A Plivo outage, with the real SDK talking to the sandbox stand-in in front of a switch: while `down`,
 * every REST call fails the way Plivo does in an outage (503) and is counted.
 */
function plivoSwitch() {
  const s = {
    real: null as PlivoRest | null,
    down: true,
    /** Every Plivo call the relay made, in order. */
    calls: [] as { op: 'send' | 'list'; to: string; down: boolean }[],
    inFlight: 0,
    maxInFlightWhileDown: 0,
    rest: null as unknown as PlivoRest,
  };
  const gate = async <T>(op: 'send' | 'list', to: string, go: () => Promise<T>): Promise<T> => {
    s.calls.push({ op, to, down: s.down });
    if (s.down) {
      s.inFlight++;
      s.maxInFlightWhileDown = Math.max(s.maxInFlightWhileDown, s.inFlight);
      await sleep(2);
      s.inFlight--;
      throw Object.assign(new Error('Service Unavailable'), { status: 503 });
    }
    return go();
  };
  s.rest = {
    sendSms: (from, to, text, url) => gate('send', to, () => s.real!.sendSms(from, to, text, url)),
    recentMessagesTo: (to, since) => gate('list', to, () => s.real!.recentMessagesTo(to, since)),
    lookupLineType: async () => 'mobile',
  };
  return s;
}

/** Short timings: the same schedule as production, in milliseconds instead of seconds. */
const FAST: Partial<OutboxOptions> = { retryBaseMs: 20, retryMaxMs: 80, breakerThreshold: 3, releasePerSecond: 50, random: () => 1 };

const relays: TestRelay[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of relays.splice(0)) await r.stop();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function start(sw: ReturnType<typeof plivoSwitch>, opts: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
  const relay = await startTestRelay({ rest: sw.rest, outbox: FAST, ...opts });
  relays.push(relay);
  sw.real = createPlivoRest(relay.config.plivo);
  return relay;
}

const messages = (r: TestRelay) => Object.values(r.store.data.messages);
const entries = (r: TestRelay) => Object.values(r.store.data.outbox);
const entryOf = (r: TestRelay, m: Message) => entries(r).find((e) => e.messageId === m.id)!;
const textBackTo = (r: TestRelay, caller: string) =>
  messages(r).find((m) => m.kind === 'text-back' && r.store.data.threads[m.threadId]!.caller === caller);

describe('a Plivo outage', () => {
  it('longer than six attempts: the text-back shows "retrying" (detail and push) and goes out once Plivo is back, exactly once', async () => {
    const sw = plivoSwitch();
    const relay = await start(sw);
    const token = await relay.staff('Riley');
    const socket = relay.socket(token);
    const pushed: Message[] = [];
    socket.on('message', (p) => pushed.push(p.message));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));

    await relay.call({ answered: false });
    const tb = await waitFor(() => textBackTo(relay, CALLER), 'the text-back');
    await waitFor(() => entryOf(relay, tb).attempts >= 9, 'more attempts than the old limit of six', 10_000);
    expect(tb.status).toBe('retrying');
    expect(tb.statusReason).toMatch(/^Plivo unavailable — retrying, attempt \d+$/);
    const detail = (await relay.api(token, 'GET', `/api/threads/${tb.threadId}`)).body;
    expect(detail.messages.find((m: Message) => m.id === tb.id)).toMatchObject({ status: 'retrying' });
    expect(detail.thread.textBack.state).toBe('pending');
    await waitFor(() => pushed.some((m) => m.id === tb.id && m.status === 'retrying'), 'a pushed "retrying" message event');

    sw.down = false;
    await waitFor(() => ['sent', 'delivered'].includes(tb.status), 'sent after the outage', 5000);
    await sleep(300);
    expect(await relay.sent()).toHaveLength(1);
    expect(sw.calls.filter((c) => c.op === 'send' && !c.down)).toHaveLength(1);
    expect(entryOf(relay, tb)).toMatchObject({ state: 'sent', held: false });
    expect(tb.statusReason).toBeNull();
  }, 20_000);

  it('while Plivo is down only the probe (the oldest entry) reaches it; on recovery the queue leaves oldest first, new texts behind it', async () => {
    const sw = plivoSwitch();
    const relay = await start(sw, { outbox: { ...FAST, releasePerSecond: 5 } });
    const token = await relay.staff('Riley');
    const callers = ['+15125550301', '+15125550302', '+15125550303'];
    for (const from of callers) {
      await relay.call({ answered: false, from });
      await sleep(5); // distinct queue times
    }
    const last = await waitFor(() => textBackTo(relay, callers[2]!), 'the last text-back');
    const { message: reply } = (await relay.api(token, 'POST', `/api/threads/${last.threadId}/messages`, { text: 'We will call you at 3' })).body;
    // Everything but the oldest (the probe, held between probes) waits in the held queue.
    await waitFor(() => entries(relay).length === 4 && entries(relay).every((e) => e.held || e.to === callers[0]), 'the queue held', 5000);

    const from = sw.calls.length;
    sw.maxInFlightWhileDown = 0;
    await sleep(800);
    const during = sw.calls.slice(from);
    // Several probe steps passed, and every call in them was the probe: the oldest text-back, one at a time.
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.length).toBeLessThan(20);
    expect(new Set(during.map((c) => c.to))).toEqual(new Set([callers[0]]));
    expect(sw.maxInFlightWhileDown).toBe(1);
    const waiting = entries(relay).filter((e) => e.state === 'pending' && e.to !== callers[0]);
    expect(waiting.every((e) => e.held)).toBe(true);
    expect(relay.store.data.messages[reply.id]!.status).toBe('retrying');

    sw.down = false;
    await waitFor(async () => (await relay.sent()).length >= 1, 'the probe through', 5000);
    // A text queued while the backlog drains (5 a second here) waits its turn behind it.
    const first = messages(relay).find((m) => m.kind === 'text-back' && relay.store.data.threads[m.threadId]!.caller === callers[0])!;
    expect((await relay.api(token, 'POST', `/api/threads/${first.threadId}/messages`, { text: 'Still there?' })).status).toBe(201);
    await waitFor(async () => (await relay.sent()).length === 5, 'all five sent', 5000);
    expect((await relay.sent()).map((m) => m.to)).toEqual([...callers, callers[2], callers[0]]);
    expect((await relay.sent()).map((m) => m.text).slice(3)).toEqual(['We will call you at 3', 'Still there?']);
    await sleep(200);
    expect(await relay.sent()).toHaveLength(5);
  }, 20_000);

  it('an automatic text still failing after 30 minutes fails as stale; a staff reply keeps retrying until cancelled, then never goes', async () => {
    const sw = plivoSwitch();
    // The clock runs with real time (timers still fire) and can jump ahead.
    const clock = { offset: 0 };
    const relay = await start(sw, { now: () => new Date(Date.now() + clock.offset) });
    const riley = await relay.staff('Riley');
    await relay.call({ answered: false });
    const tb = await waitFor(() => textBackTo(relay, CALLER), 'the text-back');
    const { message: sent } = (await relay.api(riley, 'POST', `/api/threads/${tb.threadId}/messages`, { text: 'Running late, sorry' })).body;
    const reply = relay.store.data.messages[sent.id]!;
    await waitFor(() => tb.status === 'retrying' && reply.status === 'retrying', 'both retrying', 5000);

    clock.offset += 31 * 60_000;
    await waitFor(() => tb.status === 'failed', 'the text-back stale', 5000);
    expect(tb.statusReason).toMatch(/^Stale: Plivo was unavailable for 30 minutes/);
    expect(relay.store.data.threads[tb.threadId]!.textBack?.state).toBe('failed');
    expect(entryOf(relay, tb).state).toBe('failed');

    // Past 30 minutes the reply is still tried: it is now the probe.
    const attempts = entryOf(relay, reply).attempts;
    await waitFor(() => entryOf(relay, reply).attempts >= attempts + 2, 'the reply still retrying past 30 minutes', 5000);
    expect(reply.status).toBe('retrying');

    const url = `/api/threads/${tb.threadId}/messages/${reply.id}/cancel`;
    const res = await waitFor(async () => {
      const r = await relay.api(riley, 'POST', url);
      return r.status === 409 && r.body.error.code === 'sending' ? undefined : r; // the probe was under way: ask again
    }, 'the cancellation');
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ id: reply.id, status: 'blocked', statusReason: 'Cancelled by Riley; not sent.' });
    expect(relay.store.data.audit.find((a) => a.action === 'cancel-message')).toMatchObject({ threadId: tb.threadId, actor: { name: 'Riley' } });
    expect((await relay.api(riley, 'POST', url)).status).toBe(409);

    const before = sw.calls.length;
    sw.down = false;
    await sleep(500);
    expect(sw.calls.slice(before)).toEqual([]);
    expect(await relay.sent()).toHaveLength(0);
    expect(reply.status).toBe('blocked');
  }, 20_000);

  it('a restart mid-outage keeps the held queue and its attempts, keeps probing, and sends once when Plivo is back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-outage-'));
    dirs.push(dir);
    const sw = plivoSwitch();
    let relay = await start(sw, { dir });
    await relay.call({ answered: false });
    const id = (await waitFor(() => textBackTo(relay, CALLER), 'the text-back')).id;
    await waitFor(() => entries(relay).some((e) => e.held && e.attempts >= 4), 'held after several attempts', 5000);
    await relay.stop();
    relays.splice(relays.indexOf(relay), 1);

    relay = await start(sw, { dir });
    const entry = entries(relay).find((e) => e.messageId === id) as OutboxEntry;
    expect(entry.attempts).toBeGreaterThanOrEqual(4);
    const after = entry.attempts;
    await waitFor(() => entry.attempts >= after + 2 && entry.held, 'probing again after the restart', 5000);
    // Held entries had no send under way: nothing to look up, no burst of lookups at start.
    expect(sw.calls.filter((c) => c.op === 'list')).toEqual([]);
    expect(relay.store.data.messages[id]!.status).toBe('retrying');

    sw.down = false;
    await waitFor(async () => (await relay.sent()).length === 1, 'sent after the restart', 5000);
    await sleep(300);
    expect(await relay.sent()).toHaveLength(1);
    expect(sw.calls.filter((c) => !c.down)).toHaveLength(1);
  }, 30_000);
});

describe('cancelling a text', () => {
  it('404 for an unknown or foreign message, 403 for someone else’s claimed thread, 409 once it has gone', async () => {
    const sw = plivoSwitch();
    const relay = await start(sw);
    const ana = await relay.staff('Ana');
    const sam = await relay.staff('Sam');
    await relay.call({ answered: false });
    await relay.call({ answered: false, from: '+15125550399' });
    const tb = await waitFor(() => textBackTo(relay, CALLER), 'text-back');
    const other = await waitFor(() => textBackTo(relay, '+15125550399'), 'other text-back');
    const { message: reply } = (await relay.api(ana, 'POST', `/api/threads/${tb.threadId}/messages`, { text: 'Hi' })).body;

    expect((await relay.api(ana, 'POST', `/api/threads/${tb.threadId}/messages/msg_nope/cancel`)).status).toBe(404);
    expect((await relay.api(ana, 'POST', `/api/threads/${tb.threadId}/messages/${other.id}/cancel`)).status).toBe(404);
    expect((await relay.api(null, 'POST', `/api/threads/${tb.threadId}/messages/${reply.id}/cancel`)).status).toBe(401);
    const refused = await relay.api(sam, 'POST', `/api/threads/${tb.threadId}/messages/${reply.id}/cancel`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not-owner');
    expect(relay.store.data.messages[reply.id]!.status).not.toBe('blocked');

    sw.down = false;
    await waitFor(() => ['sent', 'delivered'].includes(relay.store.data.messages[reply.id]!.status), 'the reply sent', 5000);
    const late = await relay.api(ana, 'POST', `/api/threads/${tb.threadId}/messages/${reply.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('already-sent');
  }, 20_000);
});

describe('the outbox index', () => {
  it('sending a text does not walk the entries already finished', async () => {
    const sw = plivoSwitch();
    sw.down = false;
    const relay = await start(sw);
    await relay.figuresReady; // the start's archiving run is over
    const outbox = relay.store.data.outbox;
    let reads = 0;
    const old: OutboxEntry[] = [];
    for (let i = 0; i < 5000; i++) {
      const e: OutboxEntry = {
        id: `old_${i}`, messageId: `gone_${i}`, from: '+15125550100', to: CALLER, text: 'x', state: 'sent', attempts: 1,
        nextAttemptAt: '2024-01-01T00:00:00.000Z', createdAt: '2024-01-01T00:00:00.000Z', lastError: null,
      };
      relay.store.put('outbox', e.id, e);
      old.push(e);
    }
    await relay.store.commit();
    // Count every read of a finished entry from here on.
    for (const e of old) Object.defineProperty(outbox, e.id, { enumerable: true, configurable: true, get: () => (reads++, e) });
    await relay.call({ answered: false });
    const tb = await waitFor(() => textBackTo(relay, CALLER), 'the text-back');
    await waitFor(() => tb.status === 'delivered', 'delivered', 5000);
    expect(reads).toBe(0);
  }, 20_000);
});
