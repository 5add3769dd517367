import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptDataError, Store } from './store.js';
import { DataDirLockedError } from './lock.js';
import { backupIfDue } from './backup-schedule.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-store-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const snapshot = async () => JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8'));
const journals = async () => (await readdir(dir)).filter((f) => f.startsWith('ringback.journal.'));
const audit = (n: number) => ({ seq: n, at: 'x', actor: null, action: 'test', threadId: null, detail: {} });

/** A second process's view: what is on disk right now, with this one still holding the data. */
async function reopenCopy(): Promise<Store> {
  const copy = await mkdtemp(path.join(tmpdir(), 'ringback-copy-'));
  for (const f of await readdir(dir)) if (f !== 'relay.lock' && f !== 'backups') await writeFile(path.join(copy, f), await readFile(path.join(dir, f)));
  return Store.open(copy);
}

describe('store', () => {
  it('a commit is on disk (journal) before it resolves, and survives without a clean close', async () => {
    const a = await Store.open(dir);
    a.put('processed', 'k', 'v');
    a.append('audit', audit(1));
    a.nextSeq();
    await a.commit();
    const b = await reopenCopy();
    expect(b.data.processed.k).toBe('v');
    expect(b.data.audit).toHaveLength(1);
    expect(b.data.seq).toBe(1);
    expect(b.durableSeq).toBe(1);
    await b.close();
    await a.close();
    // A clean close folds everything into the lowdb snapshot.
    expect((await snapshot()).processed.k).toBe('v');
    expect(await journals()).toEqual([]);
  });

  it('group-commits a burst of changes into a single journal line', async () => {
    const s = await Store.open(dir);
    const commits = Array.from({ length: 200 }, (_, i) => {
      s.put('processed', `k${i}`, 'x');
      return s.commit();
    });
    await Promise.all(commits);
    const [file] = await journals();
    const lines = (await readFile(path.join(dir, file!), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).p).toHaveLength(200);
    await s.close();
  });

  it('replays journals idempotently, including list appends already in the snapshot', async () => {
    const s = await Store.open(dir);
    s.append('audit', audit(1));
    await s.commit();
    s.append('audit', audit(2));
    s.put('processed', 'gone', 'x');
    await s.commit();
    s.put('processed', 'gone', undefined);
    await s.commit();
    const copy = await reopenCopy();
    expect(copy.data.audit.map((e) => e.seq)).toEqual([1, 2]);
    expect(copy.data.processed.gone).toBeUndefined();
    await copy.close();
    await s.close();
  });

  it('drops a torn last journal line (never acknowledged) but refuses a damaged one in the middle', async () => {
    const s = await Store.open(dir);
    s.put('processed', 'a', '1');
    await s.commit();
    const [file] = await journals();
    await appendFile(path.join(dir, file!), '{"b":99,"seq":9,"p":[["proc');
    const copy = await reopenCopy();
    expect(copy.data.processed.a).toBe('1');
    await copy.close();
    await appendFile(path.join(dir, file!), '\n{"b":100,"seq":10,"p":[],"a":{}}\n');
    await expect(reopenCopy()).rejects.toBeInstanceOf(CorruptDataError);
    await s.close();
  });

  it('refuses a second relay on the same data dir', async () => {
    const a = await Store.open(dir);
    await expect(Store.open(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await a.close();
    const b = await Store.open(dir);
    await b.close();
  });

  it('takes over the lock of a relay that died (kill -9)', async () => {
    await writeFile(path.join(dir, 'relay.lock'), '999999');
    const s = await Store.open(dir);
    await s.close();
  });

  it('refuses to start over a corrupt file instead of starting empty, and names the newest backup', async () => {
    const a = await Store.open(dir);
    a.put('optOuts', '+15125551077', { at: 'x', source: 'STOP', confirmationSent: true });
    await a.commit();
    const backup = await backupIfDue(a, path.join(dir, 'backups'), new Date());
    await a.close();
    await writeFile(path.join(dir, 'ringback.json'), '{"version":1,"seq":3,"threads":{'); // truncated
    const err = await Store.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toContain(`ringback restore ${backup}`);
    await writeFile(path.join(dir, 'ringback.json'), Buffer.alloc(64)); // NUL-filled
    await expect(Store.open(dir)).rejects.toBeInstanceOf(CorruptDataError);
    await writeFile(path.join(dir, 'ringback.json'), '{"hello":"world"}'); // valid JSON, wrong shape
    await expect(Store.open(dir)).rejects.toBeInstanceOf(CorruptDataError);
    expect(await readdir(dir)).not.toContain('relay.lock');
  });

  it('removes a temp file left by a snapshot that was cut short', async () => {
    await writeFile(path.join(dir, '.ringback.json.tmp'), '{"half');
    const s = await Store.open(dir);
    expect(await readdir(dir)).not.toContain('.ringback.json.tmp');
    await s.close();
  });
});
