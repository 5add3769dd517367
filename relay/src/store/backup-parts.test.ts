import { readdir, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupIfDue, HOUR } from './backup-schedule.js';
import type { BackupWritten } from './backup.js';
import { readTar } from './tar.js';
import { restoreBackup, verifyBackup } from './restore.js';
import { Store } from './store.js';

const NOW = new Date('2026-12-02T10:30:00.000Z');
const at = (h: number) => new Date(NOW.getTime() + h * HOUR);
let tmp: string;
let dir: string;
let backups: string;

/** An archive month of about `kb` KB. */
const month = (tag: string, kb = 64) =>
  JSON.stringify({ threads: { [`t-${tag}`]: { id: `t-${tag}`, note: 'x'.repeat(kb * 1024) } }, calls: {}, messages: {}, notes: {}, audit: [] });

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'ringback-parts-'));
  dir = path.join(tmp, 'data');
  backups = path.join(dir, 'backups');
  await mkdir(path.join(dir, 'archive'), { recursive: true });
  await writeFile(path.join(dir, 'archive', '2026-01.json'), month('jan'));
  await writeFile(path.join(dir, 'archive', '2026-02.json'), month('feb'));
});
afterEach(async () => rm(tmp, { recursive: true, force: true }));

async function scheduled(store: Store, when: Date): Promise<{ file: string; made: BackupWritten }> {
  let made: BackupWritten | null = null;
  const file = await backupIfDue(store, backups, when, HOUR, (w) => (made = w));
  return { file: file!, made: made! };
}
const parts = async () => (await readdir(path.join(backups, 'parts'))).sort();

describe('scheduled backups keep archive months once, as parts', () => {
  it('a second backup adds no part bytes for unchanged months; a changed month adds one part; both restore whole', async () => {
    const store = await Store.open(dir);
    store.put('processed', 'a', 'x');
    await store.commit();
    const first = await scheduled(store, NOW);
    expect(first.made.partBytes).toBeGreaterThan(0);
    expect(await parts()).toHaveLength(2);
    // The months are not in the tar: the backup holds the hot data only.
    const tar = readTar(await promisify(gunzip)(await readFile(first.file)));
    expect(tar.map((e) => e.name).filter((n) => n.startsWith('archive/'))).toEqual([]);
    expect(first.made.manifest.formatVersion).toBe(2);
    expect(first.made.manifest.files.filter((f) => f.part).map((f) => f.name)).toEqual(['archive/2026-01.json', 'archive/2026-02.json']);
    expect(first.made.bytes).toBeLessThan(8 * 1024);

    const second = await scheduled(store, at(1));
    expect(second.made.partBytes).toBe(0);
    expect(await parts()).toHaveLength(2);

    await writeFile(path.join(dir, 'archive', '2026-02.json'), month('feb2'));
    const third = await scheduled(store, at(2));
    expect(third.made.partBytes).toBeGreaterThan(0);
    expect(await parts()).toHaveLength(3);

    for (const [name, b, feb] of [['r1', first, 'feb'], ['r3', third, 'feb2']] as const) {
      const target = path.join(tmp, name);
      await restoreBackup(b.file, target);
      expect(await readFile(path.join(target, 'archive', '2026-01.json'), 'utf8')).toBe(month('jan'));
      expect(await readFile(path.join(target, 'archive', '2026-02.json'), 'utf8')).toBe(month(feb));
      const restored = await Store.open(target);
      expect(restored.data.processed.a).toBe('x');
      await restored.close();
    }
    await store.close();
  });

  it('a missing or damaged part is refused by name, and nothing is written', async () => {
    const store = await Store.open(dir);
    const { file } = await scheduled(store, NOW);
    await store.close();
    const [jan] = await parts();
    const janFile = path.join(backups, 'parts', jan!);
    const good = await readFile(janFile);
    const target = path.join(tmp, 'target');

    await rm(janFile);
    await expect(restoreBackup(file, target)).rejects.toThrow(new RegExp(`not restoring: the part .*${jan!.replace(/\./g, '\\.')} that this backup lists for archive/2026-01.json is missing`));
    // A part that is a whole gzip of other content, and one with a flipped byte.
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)]! ^= 0x04;
    await writeFile(janFile, flipped);
    await expect(restoreBackup(file, target)).rejects.toThrow(new RegExp(`not restoring: the part .*${jan!.replace(/\./g, '\\.')} \\(archive/2026-01.json\\) is damaged`));
    const other = (await parts()).find((p) => p !== jan)!;
    await writeFile(janFile, await readFile(path.join(backups, 'parts', other)));
    await expect(restoreBackup(file, target)).rejects.toThrow(/is damaged: it does not match its checksum in the manifest/);
    expect(await readdir(tmp)).not.toContain('target');
    expect((await readdir(tmp)).filter((f) => f.includes('restore-'))).toEqual([]);
    // The backup alone still verifies (it is the part that is wrong), and with the part back it restores.
    await verifyBackup(await readFile(file));
    await writeFile(janFile, good);
    await restoreBackup(file, target);
  });

  it('a part damaged on disk is written again by the next backup that needs it', async () => {
    const store = await Store.open(dir);
    await scheduled(store, NOW);
    const [jan] = await parts();
    const janFile = path.join(backups, 'parts', jan!);
    const good = await readFile(janFile);
    const bad = Buffer.from(good);
    bad[Math.floor(good.length / 2)]! ^= 0x04;
    await writeFile(janFile, bad);
    const next = await scheduled(store, at(1));
    expect(next.made.partBytes).toBe(good.length);
    expect(await readFile(janFile)).toEqual(good);
    await restoreBackup(next.file, path.join(tmp, 'r'));
    expect(await readFile(path.join(tmp, 'r', 'archive', '2026-01.json'), 'utf8')).toBe(month('jan'));
    await store.close();
  });

  it('pruning removes only the parts no kept backup lists', async () => {
    const store = await Store.open(dir);
    await scheduled(store, NOW);
    await writeFile(path.join(dir, 'archive', '2026-02.json'), month('feb2'));
    await scheduled(store, at(1));
    expect(await parts()).toHaveLength(3);
    // Forty days on: both backups have aged out; the new one lists January and the changed February.
    const late = await scheduled(store, at(40 * 24));
    const names = (await readdir(backups)).filter((n) => n.endsWith('.tar.gz'));
    expect(names).toEqual([path.basename(late.file)]);
    const listed = late.made.manifest.files.filter((f) => f.part).map((f) => path.basename(f.part!)).sort();
    expect(await parts()).toEqual(listed);
    await restoreBackup(late.file, path.join(tmp, 'r'));
    expect(await readFile(path.join(tmp, 'r', 'archive', '2026-02.json'), 'utf8')).toBe(month('feb2'));
    // A backup whose manifest cannot be read might list any part: then none is removed.
    await writeFile(path.join(backups, 'mine.tar.gz'), 'not a backup');
    await writeFile(path.join(dir, 'archive', '2026-03.json'), month('mar'));
    await scheduled(store, at(40 * 24 + 1));
    await writeFile(path.join(dir, 'archive', '2026-03.json'), month('mar2'));
    await scheduled(store, at(80 * 24));
    // January, the changed February, and both Marches: the first March is listed by no kept backup but stays.
    expect(await parts()).toHaveLength(4);
    await rm(path.join(backups, 'mine.tar.gz'));
    await scheduled(store, at(80 * 24 + 1));
    expect(await parts()).toHaveLength(3);
    expect((await stat(path.join(backups, 'parts'))).mode & 0o777).toBe(0o700);
    await store.close();
  });
});
