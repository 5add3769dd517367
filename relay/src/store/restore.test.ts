import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDataDir, backupStore, packBackup, sha256, writeBackupFile } from './backup.js';
import { restoreBackup, verifyBackup } from './restore.js';
import { Store } from './store.js';
import { DATA_VERSION } from './migrations.js';
import { readTar, writeTar } from './tar.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/v1-data');
let tmp: string;
let dir: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'ringback-restore-'));
  dir = path.join(tmp, 'data');
  await cp(FIXTURE, dir, { recursive: true });
});
afterEach(async () => rm(tmp, { recursive: true, force: true }));

const json = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
/** A backup of the (migrated) fixture taken from a running store, with one change not yet committed. */
async function liveBackup(): Promise<{ file: string; data: unknown }> {
  const store = await Store.open(dir);
  store.put('optOuts', '+15125559999', { at: '2026-12-01T00:00:00.000Z', source: 'STOP', confirmationSent: false });
  store.nextSeq();
  const buf = await backupStore(store, new Date('2026-12-02T10:00:00.000Z'));
  const data = JSON.parse(JSON.stringify(store.data));
  await store.close();
  const file = path.join(tmp, 'b.tar.gz');
  await writeBackupFile(file, buf);
  return { file, data };
}

describe('backup and restore', () => {
  it('a live backup restores into an empty dir with every record, private modes and a self-describing manifest', async () => {
    const { file, data } = await liveBackup();
    const target = path.join(tmp, 'restored');
    const manifest = await restoreBackup(file, target);
    expect(manifest).toMatchObject({ format: 'ringback-backup', dataVersion: DATA_VERSION, seq: 70, createdAt: '2026-12-02T10:00:00.000Z' });
    // The snapshot as it lies on disk, the journal holding the change made since, the archive month.
    expect(manifest.files.map((f) => f.name)).toEqual(['ringback.json', 'ringback.journal.1', 'archive/2026-09.json']);
    expect((await stat(target)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(target, 'ringback.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(target, 'archive'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path.join(target, 'archive/2026-09.json'), 'utf8')).toBe(await readFile(path.join(FIXTURE, 'archive/2026-09.json'), 'utf8'));
    const restored = await Store.open(target);
    const { batch: _a, ...mine } = JSON.parse(JSON.stringify(restored.data));
    const { batch: _b, ...theirs } = data as Record<string, unknown>;
    expect(mine).toEqual(theirs);
    await restored.close();
    // The sidecar is in sha256sum's format.
    expect(await readFile(`${file}.sha256`, 'utf8')).toBe(`${sha256(await readFile(file))}  b.tar.gz\n`);
  });

  it('a backup of a stopped relay\'s dir (journal included) restores to the same data', async () => {
    const store = await Store.open(dir);
    store.put('processed', 'k1', '2026-12-01T00:00:00.000Z');
    store.nextSeq();
    await store.commit();
    // The dir as a crash leaves it: the change is only in the journal, not in the snapshot.
    const before = JSON.parse(JSON.stringify(store.data));
    const crashed = path.join(tmp, 'crashed');
    await cp(dir, crashed, { recursive: true, filter: (f) => !f.endsWith('relay.lock') && !f.endsWith('relay.sock') });
    await store.close();
    expect((await json(path.join(crashed, 'ringback.json'))).processed.k1).toBeUndefined();
    const file = path.join(tmp, 'offline.tar.gz');
    await backupDataDir(crashed, file);
    const { manifest } = await verifyBackup(await readFile(file));
    expect(manifest.files.map((f) => f.name)).toContain('ringback.journal.1');
    expect(manifest.seq).toBe(before.seq);
    await restoreBackup(file, path.join(tmp, 'r'));
    const r = await Store.open(path.join(tmp, 'r'));
    expect(r.data.processed.k1).toBe('2026-12-01T00:00:00.000Z');
    expect(r.data.seq).toBe(before.seq);
    await r.close();
  });

  it('a dir without data is not backed up (no empty backup that restores to nothing)', async () => {
    await mkdir(path.join(tmp, 'empty'));
    await expect(backupDataDir(path.join(tmp, 'empty'), path.join(tmp, 'e.tar.gz'))).rejects.toThrow(/there is no Ringback data in/);
    await expect(backupDataDir(path.join(tmp, 'missing'), path.join(tmp, 'm.tar.gz'))).rejects.toThrow(/there is no Ringback data in/);
  });

  it('a flipped byte in the compressed data, or a cut-short file, is refused and nothing is written', async () => {
    const { file } = await liveBackup();
    const good = await readFile(file);
    const target = path.join(tmp, 'target');
    const positions = [0, 10, 200, Math.floor(good.length / 2), good.length - 10, good.length - 1];
    for (const at of positions) {
      const bad = Buffer.from(good);
      bad[at] = bad[at]! ^ 0x01;
      await writeFile(file, bad);
      await rm(`${file}.sha256`, { force: true });
      await expect(restoreBackup(file, target), `byte ${at}`).rejects.toThrow(/^not restoring: /);
    }
    for (const length of [0, 20, Math.floor(good.length / 2), good.length - 1]) {
      await writeFile(file, good.subarray(0, length));
      await expect(restoreBackup(file, target), `${length} bytes`).rejects.toThrow(/^not restoring: /);
    }
    expect(await readdir(tmp)).not.toContain('target');
    expect((await readdir(tmp)).filter((f) => f.includes('restore-'))).toEqual([]);
  });

  it('every single flipped byte is refused or changes nothing the backup holds; with the sidecar, every one is refused', async () => {
    const { file } = await liveBackup();
    const good = await readFile(file);
    const original = (await verifyBackup(good)).files;
    let harmless = 0;
    for (let at = 0; at < good.length; at++) {
      const bad = Buffer.from(good);
      bad[at] = bad[at]! ^ (1 << at % 8);
      const got = await verifyBackup(bad).catch(() => null);
      if (got === null) continue;
      // Only bits the gzip format leaves unchecked (its time and OS bytes, unused deflate bits) get through.
      expect(got.files, `byte ${at}`).toEqual(original);
      harmless++;
    }
    expect(harmless).toBeLessThan(good.length / 50);
    const header = Buffer.from(good);
    header[5] = header[5]! ^ 0xff; // the gzip time field: unchecked inside, caught by the sidecar
    await writeFile(file, header);
    await expect(restoreBackup(file, path.join(tmp, 't'))).rejects.toThrow(/does not match .*\.sha256/);
  }, 60_000);

  it('data appended after the archive is refused', async () => {
    const { file } = await liveBackup();
    const good = await readFile(file);
    await rm(`${file}.sha256`);
    for (const extra of [good, await promisify(gzip)(Buffer.from('x'))]) {
      await writeFile(file, Buffer.concat([good, extra]));
      await expect(restoreBackup(file, path.join(tmp, 't'))).rejects.toThrow(/followed by data/);
    }
  });

  it('a tar cut short before its trailer, then re-gzipped, is refused as partial', async () => {
    const { file } = await liveBackup();
    const tar = await promisify(gunzip)(await readFile(file));
    const entries = readTar(tar);
    const partial = writeTar(entries.slice(0, -1).map((e) => ({ name: e.name, body: Buffer.from(e.body) })));
    await writeFile(file, await promisify(gzip)(partial));
    await rm(`${file}.sha256`);
    await expect(restoreBackup(file, path.join(tmp, 't'))).rejects.toThrow(/no trailer.sha256 at its end/);
  });

  it('a sidecar that does not match the archive is refused', async () => {
    const { file } = await liveBackup();
    await writeFile(`${file}.sha256`, `${'0'.repeat(64)}  b.tar.gz\n`);
    await expect(restoreBackup(file, path.join(tmp, 't'))).rejects.toThrow(/does not match .*\.sha256/);
  });

  it('refuses a target dir that is not empty, and leaves it as it was', async () => {
    const { file } = await liveBackup();
    const target = path.join(tmp, 'busy');
    await mkdir(target);
    await writeFile(path.join(target, 'notes.txt'), 'mine');
    await expect(restoreBackup(file, target)).rejects.toThrow(/is not empty/);
    expect(await readdir(target)).toEqual(['notes.txt']);
    await writeFile(path.join(tmp, 'a-file'), 'x');
    await expect(restoreBackup(file, path.join(tmp, 'a-file'))).rejects.toThrow(/a-file is not a directory/);
    // An empty existing dir is fine.
    await mkdir(path.join(tmp, 'empty'));
    await restoreBackup(file, path.join(tmp, 'empty'));
    expect((await readdir(path.join(tmp, 'empty'))).sort()).toEqual(['archive', 'ringback.journal.1', 'ringback.json']);
  });

  it('refuses archives naming files outside the data dir, data from a newer release, and files that are not backups', async () => {
    const data = await json(path.join(FIXTURE, 'ringback.json'));
    const cases: [string, Buffer, RegExp][] = [
      ['escape', await packBackup({ files: [{ name: 'ringback.json', body: Buffer.from(JSON.stringify(data)) }, { name: '../evil.json', body: Buffer.from('{}') }], dataVersion: 1, seq: 1 }, new Date()), /unexpected file "..\/evil.json"/],
      ['newer', await packBackup({ files: [{ name: 'ringback.json', body: Buffer.from(JSON.stringify({ ...data, version: 99 })) }], dataVersion: 99, seq: 1 }, new Date()), /newer Ringback \(data version 99/],
      ['no data', await packBackup({ files: [{ name: 'archive/2026-09.json', body: Buffer.from('{}') }], dataVersion: DATA_VERSION, seq: 1 }, new Date()), /no ringback.json/],
      ['bad shape', await packBackup({ files: [{ name: 'ringback.json', body: Buffer.from(JSON.stringify({ version: DATA_VERSION })) }], dataVersion: DATA_VERSION, seq: 1 }, new Date()), /cannot be read: unexpected shape/],
      ['bad manifest', await packBackup({ files: [{ name: 'ringback.json', body: Buffer.from(JSON.stringify(data)) }], dataVersion: 1, seq: -1 }, new Date()), /can read \(manifest.json: /],
      ['version mismatch', await packBackup({ files: [{ name: 'ringback.json', body: Buffer.from(JSON.stringify(data)) }], dataVersion: DATA_VERSION, seq: 1 }, new Date()), new RegExp(`not the one the manifest names \\(${DATA_VERSION}\\)`)],
      ['bad month', await packBackup({ files: [{ name: 'ringback.json', body: Buffer.from(JSON.stringify(data)) }, { name: 'archive/2026-09.json', body: Buffer.from('null') }], dataVersion: 1, seq: 1 }, new Date()), /archive\/2026-09.json is not an archive month/],
      ['not gzip', Buffer.from('{"version":2}'), /no plain gzip header/],
      ['gzip cut inside', (await promisify(gzip)(Buffer.alloc(4096, 1))).subarray(0, 30), /not a complete gzip archive/],
      ['gzip of something else', await promisify(gzip)(Buffer.from('hello')), /archive is damaged/],
    ];
    for (const [name, buf, why] of cases) {
      const file = path.join(tmp, `${name}.tar.gz`);
      await writeFile(file, buf);
      await expect(restoreBackup(file, path.join(tmp, 'x')), name).rejects.toThrow(why);
    }
    expect(await readdir(tmp)).not.toContain('x');
    expect(await readdir(tmp)).not.toContain('evil.json');
  });
});
