import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptDataError, Store } from './store.js';
import { DataDirLockedError } from './lock.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-store-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const onDisk = async () => JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8'));

describe('store', () => {
  it('persists to a real file and reads it back', async () => {
    const a = await Store.open(dir);
    a.change((d) => (d.processed.k = 'v'));
    a.nextSeq();
    await a.commit();
    await a.close();
    expect((await onDisk()).processed.k).toBe('v');
    const b = await Store.open(dir);
    expect(b.data.seq).toBe(1);
    expect(b.durableSeq).toBe(1);
    await b.close();
  });

  it('group-commits a burst of changes into few writes, every commit resolving after its write', async () => {
    const s = await Store.open(dir);
    let writes = 0;
    const db = (s as unknown as { db: { write: () => Promise<void> } }).db;
    const write = db.write.bind(db);
    db.write = () => {
      writes++;
      return write();
    };
    const commits = Array.from({ length: 200 }, (_, i) => {
      s.change((d) => (d.processed[`k${i}`] = 'x'));
      return s.commit();
    });
    await Promise.all(commits);
    expect(writes).toBeLessThanOrEqual(2);
    expect(Object.keys((await onDisk()).processed)).toHaveLength(200);
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
    a.change((d) => (d.optOuts['+15125551077'] = { at: 'x', source: 'STOP', confirmationSent: true }));
    await a.commit();
    await a.close();
    const backups = await readdir(path.join(dir, 'backups'));
    expect(backups.length).toBeGreaterThan(0);
    await writeFile(path.join(dir, 'ringback.json'), '{"version":1,"seq":3,"threads":{'); // truncated
    const err = await Store.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(/backups/);
    await writeFile(path.join(dir, 'ringback.json'), Buffer.alloc(64)); // NUL-filled
    await expect(Store.open(dir)).rejects.toBeInstanceOf(CorruptDataError);
    await writeFile(path.join(dir, 'ringback.json'), '{"hello":"world"}'); // valid JSON, wrong shape
    await expect(Store.open(dir)).rejects.toBeInstanceOf(CorruptDataError);
    // Still refused: the lock was released by the failed opens.
    expect(await readdir(dir)).not.toContain('relay.lock');
  });

  it('removes a temp file left by a write that was cut short', async () => {
    await writeFile(path.join(dir, '.ringback.json.tmp'), '{"half');
    const s = await Store.open(dir);
    expect(await readdir(dir)).not.toContain('.ringback.json.tmp');
    await s.close();
  });
});
