import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveResolved, readArchive } from '../store/archive.js';
import { own } from '../store/own.js';
import { CALLER, sleep, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relays: TestRelay[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const r of relays) await r.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  relays = [];
  dirs = [];
});

const MIN = 60_000;

/** 3000 other callers' threads whose every read is counted (`status` as given). */
function countedThreads(relay: TestRelay, status: 'open' | 'resolved') {
  const counter = { reads: 0 };
  const threads = relay.store.data.threads;
  for (let i = 0; i < 3000; i++) {
    const t = { id: `th_other_${i}`, caller: `+1512555${String(2000 + i).padStart(4, '0')}`, status, locationId: 'main' } as never;
    Object.defineProperty(threads, `th_other_${i}`, { enumerable: true, configurable: true, get: () => (counter.reads++, t) });
  }
  return {
    counter,
    remove: () => {
      for (let i = 0; i < 3000; i++) delete (threads as Record<string, unknown>)[`th_other_${i}`];
    },
  };
}

async function start(opts: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
  const r = await startTestRelay(opts);
  relays.push(r);
  return r;
}

describe('indexes on the webhook path', () => {
  it('a text from a number Lookup called a landline, and a STOP, read only that caller’s threads', async () => {
    const relay = await start();
    await relay.call({ answered: false, landline: true });
    await waitFor(() => own(relay.store.data.lineTypes, CALLER)?.type === 'landline', 'the Lookup answer');
    await sleep(100);
    const others = countedThreads(relay, 'open');
    await relay.sms('Do you have anything Thursday?');
    await relay.sms('STOP');
    await sleep(100);
    const reads = others.counter.reads;
    others.remove();
    expect(reads).toBe(0);
    const mine = Object.values(relay.store.data.threads).find((t) => t.caller === CALLER)!;
    expect(mine).toMatchObject({ lineType: 'unknown', optedOut: true });
  });

  it('the escalation check reads the open threads, never the resolved ones', async () => {
    const clock = { now: new Date('2024-03-04T15:00:00Z') };
    const relay = await start({ business: testBusiness((c) => (c.sla = { claimMinutes: 5 })), now: () => clock.now, escalationTickMs: 20 });
    await relay.call({ answered: false });
    const id = Object.values(relay.store.data.threads).find((t) => t.caller === CALLER)!.id;
    const others = countedThreads(relay, 'resolved');
    clock.now = new Date(clock.now.getTime() + 10 * MIN);
    const escalation = await waitFor(() => own(relay.store.data.threads, id)?.escalation, 'the escalation');
    await sleep(100); // a few more checks
    const reads = others.counter.reads;
    others.remove();
    expect(escalation).toMatchObject({ reason: 'unclaimed' });
    expect(reads).toBe(0);
  });
});

describe('indexes after restart, journal replay and archive', () => {
  it('a relay started on a copy of the files (snapshot + journal, as after a crash) finds the open thread and the caller’s threads', async () => {
    const clock = { now: new Date('2024-03-04T15:00:00Z') };
    const first = await start({ business: testBusiness((c) => (c.sla = { claimMinutes: 5 })), now: () => clock.now });
    await first.call({ answered: false });
    await waitFor(async () => (await first.sent()).length === 1, 'the text-back');
    await first.store.commit();
    // The thread is only in the journal: the snapshot was written at start, before the call.
    const copy = await mkdtemp(path.join(tmpdir(), 'ringback-index-copy-'));
    dirs.push(copy);
    const files = (await readdir(first.dir)).filter((f) => f === 'ringback.json' || f.startsWith('ringback.journal.'));
    expect(files.some((f) => f.startsWith('ringback.journal.'))).toBe(true);
    for (const f of files) await writeFile(path.join(copy, f), await readFile(path.join(first.dir, f)));
    const second = await start({ dir: copy, business: testBusiness((c) => (c.sla = { claimMinutes: 5 })), now: () => clock.now, escalationTickMs: 20 });
    const thread = Object.values(second.store.data.threads).find((t) => t.caller === CALLER)!;
    expect(thread.status).toBe('open');
    clock.now = new Date(clock.now.getTime() + 10 * MIN);
    await waitFor(() => own(second.store.data.threads, thread.id)?.escalation, 'the escalation of the replayed thread');
    await second.sms('STOP');
    await waitFor(() => own(second.store.data.threads, thread.id)?.optedOut, 'the opt-out on the replayed thread');
  });

  it('after archiving while running, a STOP marks the caller’s new thread and leaves the archived one as it was', async () => {
    let clock = new Date('2026-09-10T15:00:00Z');
    const relay = await start({ now: () => clock });
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    const old = await waitFor(() => Object.values(relay.store.data.threads).find((t) => t.caller === CALLER), 'thread');
    await waitFor(async () => (await relay.sent()).length === 1, 'text-back');
    await relay.api(token, 'POST', `/api/threads/${old.id}/resolve`, { outcome: 'booked', value: 420 });
    clock = new Date('2026-10-20T15:00:00Z');
    expect(await archiveResolved(relay.store, clock)).toBe(1);
    expect(own(relay.store.data.threads, old.id)).toBeUndefined();
    await relay.call({ answered: false });
    const fresh = await waitFor(() => Object.values(relay.store.data.threads).find((t) => t.caller === CALLER), 'new thread');
    expect(fresh.id).not.toBe(old.id);
    await relay.sms('STOP');
    await waitFor(() => own(relay.store.data.threads, fresh.id)?.optedOut, 'the opt-out on the new thread');
    expect(own(relay.store.data.threads, old.id)).toBeUndefined();
    expect((await readArchive(relay.dir, '2026-09')).threads[old.id]).toMatchObject({ optedOut: false, status: 'resolved' });
  });
});
