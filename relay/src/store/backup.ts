import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { z } from 'zod';
import { RELAY_VERSION } from '../version.js';
import type { Store } from './store.js';
import { JOURNAL_PREFIX, listJournals, readJournal } from './journal.js';
import { lockDataDir } from './lock.js';
import { dataVersionOf } from './migrations.js';
import { ensurePart, PART_NAME } from './backup-parts.js';
import { tarEnd, tarHeader, tarPadding } from './tar.js';

/**
 * A backup is one gzip'd tar: manifest.json (what, when, which data version and seq, each file's sha256),
 * the files of a data dir (ringback.json, any journals, archive/YYYY-MM.json), and last `trailer.sha256`,
 * the sha256 of every tar byte before it. Restore checks all of it before it puts anything in place.
 * A scheduled backup (formatVersion 2) leaves the archive months out of the tar: each is kept once, by
 * content, as a part in the parts folder beside it (`parts/YYYY-MM.<sha256 prefix>.json.gz`), and the
 * manifest names the part. Backups are written and read as streams: memory does not grow with the archive.
 */
export const MANIFEST = 'manifest.json';
export const TRAILER = 'trailer.sha256';
export const BACKUP_FORMAT = 'ringback-backup';

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.union([z.literal(1), z.literal(2)]),
  ringbackVersion: z.string(),
  dataVersion: z.number().int().min(1),
  /** The last change the backup holds. */
  seq: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  files: z.array(
    z.object({
      name: z.string(),
      size: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** formatVersion 2: the file is not in the tar but in this part beside the backup. */
      part: z.string().regex(PART_NAME).optional(),
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** A file to back up: its bytes in memory, or the first `size` bytes of the file at `path`. */
export type CapturedFile = { name: string; body: Buffer } | { name: string; path: string; size: number };

export interface Captured {
  files: CapturedFile[];
  dataVersion: number;
  seq: number;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const ARCHIVE_NAME = /^\d{4}-\d{2}\.json$/;
const CHUNK = 1 << 20;

const sizeOf = (f: CapturedFile) => ('body' in f ? f.body.length : f.size);

/** The file's bytes in chunks of at most 1 MB; throws if the file is shorter than it was when captured. */
async function* contentOf(f: CapturedFile): AsyncGenerator<Buffer> {
  if ('body' in f) {
    for (let i = 0; i < f.body.length; i += CHUNK) yield f.body.subarray(i, i + CHUNK);
    return;
  }
  if (f.size === 0) return;
  let got = 0;
  for await (const chunk of createReadStream(f.path, { start: 0, end: f.size - 1, highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    got += chunk.length;
    yield chunk;
  }
  if (got !== f.size) throw new Error(`${f.name} shrank while it was backed up`);
}

/**
 * The sha256 of archive months by path, size, mtime and inode: a month changes only by a rename over it,
 * so an hourly backup of the running relay hashes only the months that changed since the last one.
 */
const monthHashes = new Map<string, { size: number; mtimeMs: number; ino: number; sha: string }>();

export async function shaOf(f: CapturedFile): Promise<string> {
  if ('body' in f) return sha256(f.body);
  const st = ARCHIVE_NAME.test(path.basename(f.path)) ? await stat(f.path).catch(() => null) : null;
  const known = st && monthHashes.get(f.path);
  if (st && known && known.size === f.size && st.size === f.size && known.mtimeMs === st.mtimeMs && known.ino === st.ino) return known.sha;
  const h = createHash('sha256');
  for await (const chunk of contentOf(f)) h.update(chunk);
  const sha = h.digest('hex');
  if (st && st.size === f.size) monthHashes.set(f.path, { size: f.size, mtimeMs: st.mtimeMs, ino: st.ino, sha });
  return sha;
}

async function archivesOf(dir: string): Promise<CapturedFile[]> {
  const names = await readdir(path.join(dir, 'archive')).catch(() => [] as string[]);
  const out: CapturedFile[] = [];
  for (const f of names.filter((n) => ARCHIVE_NAME.test(n)).sort()) {
    const file = path.join(dir, 'archive', f);
    out.push({ name: `archive/${f}`, path: file, size: (await stat(file)).size });
  }
  return out;
}

/**
 * The running relay's files as they lie on disk, held in place (no snapshot rotation, no archiving) until
 * `release` is called: ringback.json, each journal up to the length on disk when everything acknowledged
 * had been committed, and the archive months. Restore replays the journals over the snapshot at its first
 * start, so the backup holds exactly the state at `seq`. Nothing is serialized on the event loop.
 */
export async function captureLive(store: Store): Promise<{ captured: Captured; release: () => void }> {
  const release = await store.holdFiles();
  try {
    await store.commit();
    const { journals, seq } = store.durableFiles();
    const snapshot = path.join(store.dir, 'ringback.json');
    const files: CapturedFile[] = [{ name: 'ringback.json', path: snapshot, size: (await stat(snapshot)).size }];
    for (const j of journals) if (j.bytes > 0) files.push({ name: path.basename(j.file), path: j.file, size: j.bytes });
    files.push(...(await archivesOf(store.dir)));
    return { captured: { files, dataVersion: store.data.version, seq }, release };
  } catch (e) {
    release();
    throw e;
  }
}

/** The data dir as it lies on disk (snapshot, journals, archives); the caller holds the lock. */
export async function captureDisk(dir: string): Promise<Captured> {
  const snapshot = path.join(dir, 'ringback.json');
  const raw = JSON.parse(await readFile(snapshot, 'utf8')) as { seq?: number };
  const files: CapturedFile[] = [{ name: 'ringback.json', path: snapshot, size: (await stat(snapshot)).size }];
  let seq = typeof raw.seq === 'number' ? raw.seq : 0;
  for (const j of await listJournals(dir)) {
    files.push({ name: path.basename(j.file), path: j.file, size: (await stat(j.file)).size });
    for (const { value } of await readJournal(j.file)) {
      const lineSeq = (value as { seq?: unknown } | null)?.seq;
      if (typeof lineSeq === 'number') seq = Math.max(seq, lineSeq);
    }
  }
  files.push(...(await archivesOf(dir)));
  return { files, dataVersion: dataVersionOf(raw), seq };
}

/** Backup of a data dir no relay holds, into `file`: locked while it is read, so none can start meanwhile. */
export async function backupDataDir(dir: string, file: string, now = new Date()): Promise<BackupWritten> {
  if (!(await access(path.join(dir, 'ringback.json')).then(() => true, () => false))) throw new Error(`there is no Ringback data in ${path.resolve(dir)}`);
  const unlock = await lockDataDir(dir);
  try {
    return await writeBackup(await captureDisk(dir), file, now);
  } finally {
    await unlock();
  }
}

export interface BackupOptions {
  /** Keep archive months as parts in this folder (the backup file's folder + /parts) instead of in the tar. */
  parts?: boolean;
}

export interface BackupWritten {
  manifest: Manifest;
  /** Bytes of the backup file. */
  bytes: number;
  /** Its sha256 (also in FILE.sha256). */
  sha256: string;
  /** Bytes of parts this backup had to add (months no earlier backup had). */
  partBytes: number;
}

/** The manifest (a first pass hashes every file) and the tar as a stream of chunks, trailer included. */
async function prepare(c: Captured, now: Date, partsDir: string | null): Promise<{ manifest: Manifest; tar: AsyncGenerator<Buffer>; partBytes: number }> {
  const listed: Manifest['files'] = [];
  const inTar: CapturedFile[] = [];
  let partBytes = 0;
  for (const f of c.files) {
    const sha = await shaOf(f);
    if (partsDir && f.name.startsWith('archive/') && !('body' in f)) {
      const { part, added } = await ensurePart(partsDir, f.name, sha, contentOf(f));
      partBytes += added;
      listed.push({ name: f.name, size: f.size, sha256: sha, part });
    } else {
      listed.push({ name: f.name, size: sizeOf(f), sha256: sha });
      inTar.push(f);
    }
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    formatVersion: partsDir ? 2 : 1,
    ringbackVersion: RELAY_VERSION,
    dataVersion: c.dataVersion,
    seq: c.seq,
    createdAt: now.toISOString(),
    files: listed,
  };
  return { manifest, tar: tarChunks(manifest, inTar, Math.floor(now.getTime() / 1000)), partBytes };
}

async function* tarChunks(manifest: Manifest, files: CapturedFile[], mtime: number): AsyncGenerator<Buffer> {
  const tarHash = createHash('sha256');
  const emit = (b: Buffer) => (tarHash.update(b), b);
  const entry = function* (name: string, body: Buffer) {
    yield emit(tarHeader(name, body.length, mtime));
    if (body.length) yield emit(body);
    if (body.length % 512) yield emit(tarPadding(body.length));
  };
  yield* entry(MANIFEST, Buffer.from(JSON.stringify(manifest, null, 2)));
  for (const f of files) {
    const want = manifest.files.find((l) => l.name === f.name)!;
    yield emit(tarHeader(f.name, want.size, mtime));
    const h = createHash('sha256');
    for await (const chunk of contentOf(f)) {
      h.update(chunk);
      yield emit(chunk);
    }
    // The first pass hashed it: a file changed between the passes would make a backup that cannot be restored.
    if (h.digest('hex') !== want.sha256) throw new Error(`${f.name} changed while it was backed up`);
    if (want.size % 512) yield emit(tarPadding(want.size));
  }
  const trailer = Buffer.from(`${tarHash.digest('hex')}\n`);
  yield tarHeader(TRAILER, trailer.length, mtime);
  yield trailer;
  yield tarPadding(trailer.length);
  yield tarEnd();
}

/** Counts and hashes what passes through. */
function tap(): Transform & { bytes: number; hash: ReturnType<typeof createHash> } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      t.bytes += chunk.length;
      t.hash.update(chunk);
      cb(null, chunk);
    },
  }) as Transform & { bytes: number; hash: ReturnType<typeof createHash> };
  t.bytes = 0;
  t.hash = createHash('sha256');
  return t;
}

/**
 * Write the backup to `file` as a stream, so that `file` is either absent or whole: a temp file beside it,
 * fsynced, renamed into place, then `file.sha256` (sha256sum format) for checking a copy made elsewhere.
 */
export async function writeBackup(c: Captured, file: string, now: Date, opts: BackupOptions = {}): Promise<BackupWritten> {
  const { manifest, tar, partBytes } = await prepare(c, now, opts.parts ? path.join(path.dirname(file), 'parts') : null);
  const tmp = tempBeside(file);
  try {
    const out = tap();
    await pipeline(Readable.from(tar, { objectMode: false }), createGzip(), out, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    await syncFile(tmp);
    await rename(tmp, file);
    const sha = out.hash.digest('hex');
    await writeSidecar(file, sha);
    return { manifest, bytes: out.bytes, sha256: sha, partBytes };
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The whole backup in memory: for small data (tests, tools); the relay writes files with writeBackup. */
export async function packBackup(c: Captured, now: Date): Promise<Buffer> {
  const { tar } = await prepare(c, now, null);
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from(tar, { objectMode: false }),
    createGzip(),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(chunks);
}

const tempBeside = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);

export async function syncFile(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** `file.sha256`, in sha256sum format, written whole or not at all. */
export async function writeSidecar(file: string, sha: string): Promise<void> {
  await writeWhole(`${file}.sha256`, Buffer.from(`${sha}  ${path.basename(file)}\n`));
}

async function writeWhole(target: string, body: Buffer): Promise<void> {
  const tmp = tempBeside(target);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** A backup held in memory (packBackup's) written as writeBackup would. */
export async function writeBackupFile(file: string, buf: Buffer): Promise<void> {
  await writeWhole(file, buf);
  await writeSidecar(file, sha256(buf));
}

/** The only names a backup may hold besides its manifest and trailer (and so the only files restore writes). */
export const isDataFileName = (name: string) =>
  name === 'ringback.json' || /^archive\/\d{4}-\d{2}\.json$/.test(name) || (name.startsWith(JOURNAL_PREFIX) && /^\d{1,9}$/.test(name.slice(JOURNAL_PREFIX.length)));

/** A backup of the running store into `file`: its files held in place while they are copied, everything acknowledged in. */
export async function backupStoreTo(store: Store, file: string, now = new Date(), opts: BackupOptions = {}): Promise<BackupWritten> {
  const { captured, release } = await captureLive(store);
  try {
    return await writeBackup(captured, file, now, opts);
  } finally {
    release();
  }
}

/** The same, in memory: for small data in tests. */
export async function backupStore(store: Store, now = new Date()): Promise<Buffer> {
  const { captured, release } = await captureLive(store);
  try {
    return await packBackup(captured, now);
  } finally {
    release();
  }
}
