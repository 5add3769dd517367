import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { access, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { z } from 'zod';
import { RELAY_VERSION } from '../version.js';
import type { Data } from './data.js';
import type { Store } from './store.js';
import { JOURNAL_PREFIX, listJournals, readJournal } from './journal.js';
import { lockDataDir } from './lock.js';
import { dataVersionOf } from './migrations.js';
import { writeTar } from './tar.js';

/**
 * A backup is one gzip'd tar: manifest.json (what, when, which data version and seq, each file's sha256),
 * the files of a data dir (ringback.json, any journals, archive/YYYY-MM.json), and last `trailer.sha256`,
 * the sha256 of every tar byte before it. Restore checks all of it before writing anything.
 */
export const MANIFEST = 'manifest.json';
export const TRAILER = 'trailer.sha256';
export const BACKUP_FORMAT = 'ringback-backup';

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(1),
  ringbackVersion: z.string(),
  dataVersion: z.number().int().min(1),
  /** The last change the backup holds. */
  seq: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  files: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});
export type Manifest = z.infer<typeof manifestSchema>;

export interface Captured {
  files: { name: string; body: Buffer }[];
  dataVersion: number;
  seq: number;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const ARCHIVE_NAME = /^\d{4}-\d{2}\.json$/;

function archivesSync(dir: string): { name: string; body: Buffer }[] {
  let names: string[];
  try {
    names = readdirSync(path.join(dir, 'archive'));
  } catch {
    return [];
  }
  return names
    .filter((f) => ARCHIVE_NAME.test(f))
    .sort()
    .map((f) => ({ name: `archive/${f}`, body: readFileSync(path.join(dir, 'archive', f)) }));
}

/**
 * The running relay's state, taken in one synchronous step: its data as of now and the archive months
 * (which change only by rename, so each read sees a whole file). Nothing else runs meanwhile, so no commit
 * and no archiving can fall between the two. Callers commit before handing the backup out.
 */
export function captureLive(data: Data, dir: string): Captured {
  return {
    files: [{ name: 'ringback.json', body: Buffer.from(JSON.stringify(data)) }, ...archivesSync(dir)],
    dataVersion: data.version,
    seq: data.seq,
  };
}

/** The data dir as it lies on disk (snapshot, journals, archives); the caller holds the lock. */
export async function captureDisk(dir: string): Promise<Captured> {
  const snapshot = await readFile(path.join(dir, 'ringback.json'));
  const raw = JSON.parse(snapshot.toString('utf8')) as { seq?: number };
  const files: { name: string; body: Buffer }[] = [{ name: 'ringback.json', body: snapshot }];
  let seq = typeof raw.seq === 'number' ? raw.seq : 0;
  for (const j of await listJournals(dir)) {
    files.push({ name: path.basename(j.file), body: await readFile(j.file) });
    for (const { value } of await readJournal(j.file)) {
      const lineSeq = (value as { seq?: unknown } | null)?.seq;
      if (typeof lineSeq === 'number') seq = Math.max(seq, lineSeq);
    }
  }
  files.push(...archivesSync(dir));
  return { files, dataVersion: dataVersionOf(raw), seq };
}

/** Backup of a data dir no relay holds: locked while it is read, so none can start meanwhile. */
export async function backupDataDir(dir: string, now = new Date()): Promise<Buffer> {
  if (!(await access(path.join(dir, 'ringback.json')).then(() => true, () => false))) throw new Error(`there is no Ringback data in ${path.resolve(dir)}`);
  const unlock = await lockDataDir(dir);
  try {
    return await packBackup(await captureDisk(dir), now);
  } finally {
    await unlock();
  }
}

export async function packBackup(c: Captured, now: Date): Promise<Buffer> {
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    formatVersion: 1,
    ringbackVersion: RELAY_VERSION,
    dataVersion: c.dataVersion,
    seq: c.seq,
    createdAt: now.toISOString(),
    files: c.files.map((f) => ({ name: f.name, size: f.body.length, sha256: sha256(f.body) })),
  };
  const mtime = Math.floor(now.getTime() / 1000);
  const body = writeTar([{ name: MANIFEST, body: Buffer.from(JSON.stringify(manifest, null, 2)) }, ...c.files], mtime);
  // Drop writeTar's end marker, add the trailer over everything so far, and end the archive again.
  const entries = body.subarray(0, body.length - 1024);
  const tar = Buffer.concat([entries, writeTar([{ name: TRAILER, body: Buffer.from(`${sha256(entries)}\n`) }], mtime)]);
  return promisify(gzip)(tar);
}

/**
 * Write `buf` to `file` so that `file` is either absent or whole: a temp file beside it, fsynced, renamed
 * into place, then `file.sha256` (sha256sum format) for checking a copy made elsewhere.
 */
export async function writeBackupFile(file: string, buf: Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    for (const [target, body] of [
      [file, buf],
      [`${file}.sha256`, Buffer.from(`${sha256(buf)}  ${path.basename(file)}\n`)],
    ] as const) {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(body);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, target);
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The only names a backup may hold besides its manifest and trailer (and so the only files restore writes). */
export const isDataFileName = (name: string) =>
  name === 'ringback.json' || /^archive\/\d{4}-\d{2}\.json$/.test(name) || (name.startsWith(JOURNAL_PREFIX) && /^\d{1,9}$/.test(name.slice(JOURNAL_PREFIX.length)));

/** A backup of a running store: captured in one step, handed out only once all of it is durable. */
export async function backupStore(store: Store, now = new Date()): Promise<Buffer> {
  const captured = captureLive(store.data, store.dir);
  await store.commit();
  return packBackup(captured, now);
}
