import { mkdir, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV2 } from '../plivo/signature.js';
import { CALLER, sleep, startTestRelay, TRACKING, waitFor, type TestRelay } from '../testing/harness.js';
import { unjournaled } from '../testing/disk-state.js';
import { mountTmpfs, type Tmpfs } from '../testing/tmpfs.js';
import { own } from './own.js';
import { StorageUnavailableError, Store } from './store.js';

/** Disk full, for real: the data dir is a 1 MB tmpfs (needs root to mount; says so plainly otherwise). */
let disk: Tmpfs | null = null;
let mnt = '';
let mounted = false;
beforeAll(async () => {
  disk = await mountTmpfs('disk-full', '1m');
  mounted = disk !== null;
  mnt = disk?.dir ?? '';
});
/** Relays still running when a test fails: stopped before the unmount, which they would otherwise block. */
const running = new Set<TestRelay>();
async function start(dir: string): Promise<TestRelay> {
  const relay = await startTestRelay({ dir });
  const stop = relay.stop;
  relay.stop = async () => {
    running.delete(relay);
    await stop();
  };
  running.add(relay);
  return relay;
}
afterAll(async () => {
  for (const relay of running) await relay.stop().catch(() => {});
  await disk?.unmount();
});

async function sms(relay: TestRelay, uuid: string, text: string): Promise<number> {
  const url = `${relay.config.publicUrl}/plivo/sms/inbound`;
  // One nonce per message, as Plivo sends: the same nonce with another body is refused as a replay.
  const nonce = `n-${uuid}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-plivo-signature-v2': signV2(url, nonce, relay.config.plivo.authToken),
      'x-plivo-signature-v2-nonce': nonce,
    },
    body: new URLSearchParams({ MessageUUID: uuid, From: CALLER, To: TRACKING, Text: text }).toString(),
  });
  return res.status;
}

describe('disk full', () => {
  it('answers 503 while nothing can be saved, then takes Plivo retry once space is back', async (ctx) => {
    if (!mounted) return ctx.skip();
    let relay = await start(mnt);
    const filler = path.join(mnt, 'filler');
    await writeFile(filler, Buffer.alloc(4 * 1024 * 1024)).catch(() => {}); // fills the tmpfs to the last page
    const text = 'x'.repeat(1500);
    const statuses: number[] = [];
    for (let i = 0; i < 6 && !statuses.includes(503); i++) statuses.push(await sms(relay, `full-${i}`, text));
    expect(statuses).toContain(503);
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(503);
    const failed = `full-${statuses.indexOf(503)}`;

    await rm(filler);
    expect(await sms(relay, failed, text)).toBe(200); // Plivo's retry
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
    await relay.stop();
    relay = await start(mnt);
    const stored = Object.values(relay.store.data.messages).filter((m) => m.plivoUuid === failed);
    expect(stored).toHaveLength(1);
    await relay.stop();
  });

  it('undoes a staff command whose write fails (503): no change, nothing sent later, a retry sends once', async (ctx) => {
    if (!mounted) return ctx.skip();
    const dir = path.join(mnt, 'staff');
    await mkdir(dir);
    let relay = await start(dir);
    // Every line this person writes is longer than a page: it can never slip into the journal's last page.
    const token = await relay.staff(`Ana ${'a'.repeat(5000)}`, 'manager');
    await relay.call({ answered: false });
    const id = await waitFor(() => Object.keys(relay.store.data.threads)[0], 'the thread');
    // The line's delivery report must be in before the snapshot of the thread is taken.
    await waitFor(async () => (await relay.api(token, 'GET', `/api/threads/${id}`)).body.thread.textBack?.state === 'delivered', 'the delivery report');
    const before = (await relay.api(token, 'GET', `/api/threads/${id}`)).body;
    const settingsBefore = (await relay.api(token, 'GET', '/api/settings')).body;
    const staffBefore = (await relay.api(token, 'GET', '/api/staff')).body;

    const socket = relay.socket(token);
    const announced: string[] = [];
    socket.on('message', (p) => announced.push(p.message.text));
    await new Promise((r) => socket.once('connect', () => r(null)));

    const filler = path.join(dir, 'filler');
    await writeFile(filler, Buffer.alloc(4 * 1024 * 1024)).catch(() => {});
    const reply = { text: 'See you at 3', clientId: 'c-1' };
    const refused = [
      await relay.api(token, 'POST', `/api/threads/${id}/claim`),
      await relay.api(token, 'POST', `/api/threads/${id}/messages`, reply),
      await relay.api(token, 'POST', `/api/threads/${id}/notes`, { text: 'called twice' }),
      await relay.api(token, 'POST', `/api/threads/${id}/resolve`, { outcome: 'booked' }),
      await relay.api(token, 'PATCH', '/api/settings', { sla: { claimMinutes: 7 } }),
      await relay.api(token, 'POST', '/api/staff', { name: 'Sam', role: 'receptionist' }),
    ];
    for (const r of refused) expect(r).toMatchObject({ status: 503, body: { error: { code: 'storage_unavailable' } } });
    expect((await relay.api(token, 'GET', `/api/threads/${id}`)).body).toEqual(before);
    expect((await relay.api(token, 'GET', '/api/settings')).body).toEqual(settingsBefore);
    expect((await relay.api(token, 'GET', '/api/staff')).body).toEqual(staffBefore);

    await rm(filler);
    expect(await sms(relay, 'after-full', 'are you there?')).toBe(200); // a write that succeeds (and kicks the outbox)
    await sleep(300);
    expect((await relay.sent()).map((m) => m.text)).not.toContain(reply.text);
    expect(announced).toContain('are you there?');
    expect(announced).not.toContain(reply.text);
    const after = (await relay.api(token, 'GET', `/api/threads/${id}`)).body;
    expect(after.thread.claim).toBeNull();
    expect(after.notes).toEqual([]);
    expect(after.messages.filter((m: { clientId: string | null }) => m.clientId === 'c-1')).toEqual([]);

    expect((await relay.api(token, 'POST', `/api/threads/${id}/messages`, reply)).status).toBe(201);
    expect((await relay.api(token, 'POST', `/api/threads/${id}/messages`, reply)).status).toBe(200);
    await waitFor(async () => (await relay.sent()).some((m) => m.text === reply.text), 'the reply');
    await sleep(200);
    expect((await relay.sent()).filter((m) => m.text === reply.text)).toHaveLength(1);
    await relay.stop();
    relay = await start(dir);
    expect(Object.values(relay.store.data.messages).filter((m) => m.clientId === 'c-1')).toHaveLength(1);
    expect(relay.store.data.audit.filter((e) => e.action === 'note' || e.action === 'settings')).toEqual([]);
    expect(relay.store.data.staff.map((s) => s.name)).not.toContain('Sam');
    await relay.stop();
  });

  /** A store in a folder of its own on the tmpfs, snapshotting every 32 KB of journal; closed whatever happens. */
  async function onTmpfs(name: string, use: (store: Store, dir: string) => Promise<void>): Promise<void> {
    const dir = path.join(mnt, name);
    await mkdir(dir);
    const store = await Store.open(dir, { snapshotAfterBytes: 32 * 1024 });
    try {
      await use(store, dir);
    } finally {
      await store.close();
    }
  }

  /** `n` records of a KB each under `prefix`, committed, and the snapshot that may start with them done. */
  async function fill(store: Store, prefix: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) store.put('processed', `${prefix}${i}`, 'y'.repeat(1000));
    await store.commit();
    await store.snapshotInProgress;
  }

  const journals = async (dir: string) => (await readdir(dir)).filter((f) => f.startsWith('ringback.journal.'));

  it('after a journal write failed, the next snapshot is written from memory; the one after is made from the files again', async (ctx) => {
    if (!mounted) return ctx.skip();
    await onTmpfs('snapshots', async (store, dir) => {
      store.put('processed', 'first', 'on disk');
      await store.commit();
      const filler = path.join(dir, 'filler');
      await writeFile(filler, Buffer.alloc(4 * 1024 * 1024)).catch(() => {});
      store.put('processed', 'big', 'x'.repeat(8000)); // more than the page the journal has left
      await expect(store.commit()).rejects.toThrow(StorageUnavailableError);
      await rm(filler);
      await fill(store, 'a', 40);
      expect(store.snapshots).toEqual({ fromFiles: 0, fromMemory: 1 });
      await fill(store, 'b', 40);
      expect(store.snapshots).toEqual({ fromFiles: 1, fromMemory: 1 });
      expect(await unjournaled(dir, store.data)).toEqual([]);
      expect(own(store.data.processed, 'big')).toHaveLength(8000);
    });
  });

  it('a snapshot that does not fit on the disk loses nothing: the journals stay until one fits, and no temp file is left', async (ctx) => {
    if (!mounted) return ctx.skip();
    await onTmpfs('no-room', async (store, dir) => {
      await fill(store, 'k', 300); // ~300 KB on disk as ringback.json
      const before = { ...store.snapshots };
      // Room for a few journal lines, not for another copy of the file.
      const { bavail, bsize } = await statfs(mnt);
      const filler = path.join(dir, 'filler');
      await writeFile(filler, Buffer.alloc(Math.max(0, bavail * bsize - 100 * 1024)));
      for (let i = 0; i < 40; i++) {
        store.put('processed', `late${i}`, 'y'.repeat(1000));
        await store.commit();
      }
      await store.snapshotInProgress;
      expect(store.snapshots).toEqual(before); // neither way could write it
      expect((await journals(dir)).length).toBeGreaterThan(1);
      expect(await readdir(dir)).not.toContain('.ringback.json.tmp');
      expect(await unjournaled(dir, store.data)).toEqual([]);
      await rm(filler);
      await fill(store, 'after', 40);
      expect(store.snapshots.fromFiles).toBe(before.fromFiles + 1);
      expect(await journals(dir)).toHaveLength(1);
      expect(await unjournaled(dir, store.data)).toEqual([]);
    });
  });
});
