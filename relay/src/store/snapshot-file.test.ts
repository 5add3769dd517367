import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyData } from './data.js';
import { own, setOwn } from './own.js';
import { listJournals } from './journal.js';
import { writeSnapshot } from './snapshot-file.js';
import { Store } from './store.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-snapfile-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** Data with the awkward parts: ids that are built-ins, unicode, nulls, nested objects, empty tables, lists. */
function sample(records: number, auditEntries = 500) {
  const data = emptyData();
  for (let i = 0; i < records; i++) setOwn(data.processed, `k${i}`, `v${i} ☎ "quoted" \n`);
  setOwn(data.processed, '__proto__', 'plain key');
  setOwn(data.processed, '42', 'integer-like key');
  setOwn(data.lineTypes, '+15125550100', { type: 'mobile', at: '2026-01-01T00:00:00.000Z' });
  for (let i = 0; i < auditEntries; i++) data.audit.push({ seq: i, at: 'x', actor: null, action: 'test', threadId: null, detail: { n: i, nested: { u: undefined, z: null } } });
  data.seq = 7;
  return data;
}

describe('writeSnapshot', () => {
  it('writes exactly what JSON.stringify gives, also when cut into many slices, as a private file', async () => {
    const data = sample(20_000);
    const file = path.join(dir, 'ringback.json');
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    await writeSnapshot(file, data, { sliceMs: 0 });
    clearInterval(counting);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(data));
    expect(turns).toBeGreaterThan(5); // the loop ran between slices
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeSnapshot(file, data, { sliceMs: Infinity, override: { batch: 12 } });
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify({ ...data, batch: 12 }));
    expect(await readdir(dir)).toEqual(['ringback.json']);
  });

  it('an abandoned snapshot leaves the old file as it was, and no temp file', async () => {
    const file = path.join(dir, 'ringback.json');
    await writeFile(file, '{"old":true}');
    await expect(writeSnapshot(file, sample(1000), { beforeRename: async () => Promise.reject(new Error('no')) })).rejects.toThrow('no');
    expect(await readFile(file, 'utf8')).toBe('{"old":true}');
    expect(await readdir(dir)).toEqual(['ringback.json']);
  });

  it('a process killed (kill -9) in the middle of a snapshot leaves the old snapshot, which opens', async () => {
    const old = await Store.open(dir);
    old.put('processed', 'before', 'yes');
    await old.close();
    const before = await readFile(path.join(dir, 'ringback.json'), 'utf8');
    const big = path.join(dir, 'big.json');
    await writeFile(big, JSON.stringify(sample(400_000)));
    // A separate process writes the big data over ringback.json slowly (one record per turn); it is killed once the temp file grows.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { writeSnapshot } = await import(${JSON.stringify(path.join(import.meta.dirname, 'snapshot-file.ts'))});
      const { readFile } = await import('node:fs/promises');
      const data = JSON.parse(await readFile(${JSON.stringify(big)}, 'utf8'));
      await writeSnapshot(${JSON.stringify(path.join(dir, 'ringback.json'))}, data, { sliceMs: 0 });
      console.log('finished');`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const exited = new Promise((r) => child.once('exit', r));
    const tmp = path.join(dir, '.ringback.json.tmp');
    for (let i = 0; i < 400; i++) {
      const size = await stat(tmp).then((s) => s.size, () => 0);
      if (size > 2 << 20) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await exited;
    expect(out).not.toContain('finished');
    expect((await stat(tmp)).size).toBeGreaterThan(0);
    expect(await readFile(path.join(dir, 'ringback.json'), 'utf8')).toBe(before);
    const s = await Store.open(dir);
    expect(s.data.processed.before).toBe('yes');
    await s.close();
    expect(await readdir(dir)).not.toContain('.ringback.json.tmp');
  }, 30_000);

  // Taking a table's keys is one step (V8 builds the whole list), so a table of 20 000 records, not the biggest list, bounds the stall.
  it('holds the event loop for a few ms at a time, where one JSON.stringify holds it for the whole file', async () => {
    const data = sample(20_000, 200_000);
    const file = path.join(dir, 'ringback.json');
    const stall = async (write: () => Promise<unknown>) => {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      await write();
      h.disable();
      return h.max / 1e6;
    };
    const whole = await stall(async () => {
      await new Promise((r) => setTimeout(r, 5));
      await writeFile(file, JSON.stringify(data));
    });
    const sliced = await stall(() => writeSnapshot(file, data, { sliceMs: 4 }));
    // Relative, not in ms: on a busy machine the scheduler adds its own delays to both.
    expect(sliced).toBeLessThan(whole / 3);
  });
});

describe('the store snapshot in the background', () => {
  /** What is on disk now, opened as a second process would after a crash (a copy of the files). */
  async function onDisk(): Promise<Store> {
    const copy = await mkdtemp(path.join(tmpdir(), 'ringback-snapcopy-'));
    for (const f of await readdir(dir)) if (f !== 'relay.sock' && f !== 'backups') await writeFile(path.join(copy, f), await readFile(path.join(dir, f)));
    return Store.open(copy);
  }

  it('a larger hot file is rewritten less often: once the journal has grown as large as the last snapshot', async () => {
    const s = await Store.open(dir);
    try {
      const filler = 'x'.repeat(2000);
      const grow = async (from: number, n: number) => {
        for (let i = from; i < from + n; i++) s.put('processed', `k${i}`, filler);
        await s.commit();
        await s.snapshotInProgress;
      };
      // Each snapshot starts the next journal file.
      const journals = async () => Math.max(...(await listJournals(dir)).map((j) => j.n));
      await grow(0, 3000); // ~6 MB in one journal line, past 4 MB: a snapshot of ~6 MB follows
      await s.commit();
      await s.snapshotInProgress;
      const snapshot = (await stat(path.join(dir, 'ringback.json'))).size;
      expect(snapshot).toBeGreaterThan(6_000_000);
      const after = await journals();
      await grow(3000, 2500); // ~5 MB of journal: past 4 MB, but less than the snapshot
      await s.commit();
      expect(await journals()).toBe(after);
      await grow(5500, 1000); // ~7 MB in all, past the snapshot's size
      await s.commit();
      await s.snapshotInProgress;
      expect(await journals()).toBe(after + 1);
      expect((await stat(path.join(dir, 'ringback.json'))).size).toBeGreaterThan(snapshot + 4_000_000);
    } finally {
      await s.close();
    }
  });

  it.each([
    ['made from the files by the compactor', true],
    ['written from memory', false],
  ] as const)('%s: changes made while it is written replay over it to exactly the live state', async (_, fromFiles) => {
    const s = await Store.open(dir, { snapshotAfterBytes: 64 * 1024, snapshotFromFiles: fromFiles });
    for (let i = 0; i < 30_000; i++) s.put('processed', `k${i}`, `first ${i}`);
    for (let i = 0; i < 200; i++) s.append('audit', { seq: i, at: 'x', actor: null, action: 'before', threadId: null, detail: {} });
    await s.commit(); // one big journal line: a snapshot starts after it
    expect(s.snapshotInProgress).not.toBeNull();
    s.put('processed', 'trigger', 'x');
    await s.commit();
    let during = 0;
    // Until it is in place: edits of records already written and not yet written, deletions, new records, list entries.
    while (s.snapshots.fromFiles + s.snapshots.fromMemory === 0) {
      s.put('processed', `k${during * 7}`, `changed during ${during}`);
      s.put('processed', `k${29_999 - during * 5}`, undefined);
      s.put('processed', `new${during}`, 'born during');
      s.append('audit', { seq: 1000 + during, at: 'x', actor: null, action: 'during', threadId: null, detail: {} });
      during++;
      await s.commit();
    }
    await s.snapshotInProgress; // the loop's last commits may have started the next one
    expect(fromFiles ? s.snapshots.fromMemory : s.snapshots.fromFiles).toBe(0);
    expect(during).toBeGreaterThan(3);
    const snap = JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8')) as { batch: number; processed: Record<string, string> };
    expect(snap.processed.k1).toBe('first 1');
    // From memory the file may be newer than its batch; from the files it is exactly that batch (compact.test.ts).
    // With the journal, either is the live data.
    const copy = await onDisk();
    expect(copy.data.processed).toEqual(s.data.processed);
    expect(copy.data.audit).toEqual(s.data.audit);
    expect(copy.data.audit.filter((e) => e.action === 'during')).toHaveLength(during);
    await copy.close();
    await s.close();
    const reopened = await Store.open(dir);
    expect(own(reopened.data.processed, 'new0')).toBe('born during');
    expect(own(reopened.data.processed, 'k29999')).toBeUndefined();
    await reopened.close();
  }, 60_000);
  it('when the files do not replay (the snapshot on disk was damaged meanwhile), it is written from memory and the log says why', async () => {
    const warnings: string[] = [];
    const s = await Store.open(dir, { snapshotAfterBytes: 64 * 1024, warn: (m) => warnings.push(m) });
    try {
      for (let i = 0; i < 2000; i++) s.put('processed', `k${i}`, `value ${i}`);
      await s.commit();
      // Only the compactor reads the file while the relay runs: the store's own state is untouched.
      await writeFile(path.join(dir, 'ringback.json'), '{"version": 1, "seq": ');
      for (let i = 2000; i < 6000; i++) s.put('processed', `k${i}`, `value ${i}`);
      await s.commit();
      await s.snapshotInProgress;
      expect(s.snapshots).toEqual({ fromFiles: 0, fromMemory: 1 });
      expect(warnings.join('\n')).toMatch(/written from memory: making it from the files failed \(ringback\.json does not read as Ringback data\)/);
      const copy = await onDisk();
      expect(Object.keys(copy.data.processed)).toHaveLength(6000);
      expect(own(copy.data.processed, 'k5999')).toBe('value 5999');
      await copy.close();
    } finally {
      await s.close();
    }
  });
});
