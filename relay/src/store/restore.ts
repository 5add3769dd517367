import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readdir, readFile, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readGunzipped } from './gunzip-file.js';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { isDataFileName, MANIFEST, manifestSchema, sha256, TRAILER, type Manifest } from './backup.js';
import { dataVersionOf, migrate } from './migrations.js';
import { checkShape } from './store.js';
import { TarParser } from './tar.js';

/** A backup that is damaged, partial, or not a Ringback backup; nothing was written. */
export class BackupRefusedError extends Error {}

/** A single file in a backup larger than this is refused rather than read into memory. */
const MAX_FILE = 1024 * 1024 * 1024;

export interface VerifiedBackup {
  manifest: Manifest;
  files: { name: string; body: Buffer }[];
}

const refuse = (why: string): never => {
  throw new BackupRefusedError(`not restoring: ${why}`);
};

export interface ReadOptions {
  /** Write each data file into this (private, empty) dir once it is checked. */
  extractTo?: string;
  /** Keep the bytes of each file (or of those named) in the result: small backups (tests), the snapshot for recovery. */
  keep?: boolean | ((name: string) => boolean);
  /** The folder of the backup file: a formatVersion 2 backup's parts are in its parts/ folder. Null: parts are not read. */
  partsBase?: string | null;
}

/** Bytes of one file as it streams in, refused past MAX_FILE. */
class Body {
  chunks: Buffer[] = [];
  size = 0;
  constructor(readonly name: string) {}
  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > MAX_FILE) refuse(`${this.name} is larger than ${MAX_FILE} bytes`);
    this.chunks.push(Buffer.from(chunk));
  }
  take(): Buffer {
    const b = Buffer.concat(this.chunks);
    this.chunks = [];
    return b;
  }
}

/**
 * Every check a backup has, in one pass over it as a stream: gzip, tar, manifest, each file's sha256 and
 * contents, the trailer over the tar, the sidecar over the file, and the parts a scheduled backup lists.
 * Only one file is in memory at a time (the largest: the hot snapshot or one archive month).
 */
export async function readBackup(source: AsyncIterable<Buffer> | Readable, opts: ReadOptions = {}): Promise<VerifiedBackup & { sha256: string }> {
  let manifest: Manifest | null = null;
  let inTar: Manifest['files'] = [];
  let index = 0;
  let trailer: { expect: string; body: Body } | null = null;
  let afterTrailer = false;
  let current: Body | null = null;
  let sawSnapshot = false;
  const seen = new Set<string>();
  const out: { name: string; body: Buffer }[] = [];

  const checked = async (name: string, body: Buffer) => {
    checkContent(name, body, manifest!);
    if (opts.extractTo) await writePrivate(opts.extractTo, name, body);
    if (opts.keep === true || (typeof opts.keep === 'function' && opts.keep(name))) out.push({ name, body });
  };

  const parser = new TarParser({
    entry: (name, size) => {
      if (trailer) afterTrailer = true;
      if (name === TRAILER) {
        trailer = { expect: parser.digestBefore(), body: new Body(name) };
        current = trailer.body;
        return;
      }
      if (!manifest) {
        if (name !== MANIFEST) refuse(`${MANIFEST} is missing`);
      } else {
        if (!isDataFileName(name) || seen.has(name)) refuse(`unexpected file "${name}" in the archive`);
        seen.add(name);
        const listed = inTar[index++];
        if (!listed) refuse('the manifest and the archive list different files');
        if (listed!.name !== name || listed!.size !== size) refuse(`${name} does not match its checksum in the manifest`);
      }
      current = new Body(name);
    },
    data: (chunk) => current!.add(chunk),
    endEntry: async () => {
      const body = current!;
      current = null;
      if (body === trailer?.body) return;
      if (!manifest) {
        manifest = parseManifest(body.take());
        inTar = manifest.files.filter((f) => !f.part);
        return;
      }
      const bytes = body.take();
      const listed = inTar[index - 1]!;
      if (sha256(bytes) !== listed.sha256) refuse(`${body.name} does not match its checksum in the manifest`);
      if (body.name === 'ringback.json') sawSnapshot = true;
      await checked(body.name, bytes);
    },
  });

  const gzHash = createHash('sha256');
  let gzBytes = 0;
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (head.length < 4) {
        head = Buffer.concat([head, chunk.subarray(0, 4)]);
        // The header this writer makes (deflate, no flags); its time and OS bytes carry nothing restore uses.
        if (head.length >= 4 && head.readUInt32BE(0) !== 0x1f8b0800) return cb(new BackupRefusedError('not restoring: the file is not a Ringback backup (no plain gzip header)'));
      }
      gzHash.update(chunk);
      gzBytes += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      cb(gzBytes < 18 || head.readUInt32BE(0) !== 0x1f8b0800 ? new BackupRefusedError('not restoring: the file is not a Ringback backup (no plain gzip header)') : null);
    },
  });
  // The first error of the tar or of a check; the gzip stream is still read to its end, since a damaged
  // or cut-short gzip is what to report first (whatever its garbled output looked like to the tar reader).
  let tarError: unknown = null;
  let pending: Promise<void> = Promise.resolve();
  try {
    await pipeline(
      source,
      tap,
      createGunzip(),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          if (tarError) return cb();
          pending = parser.push(chunk);
          pending.then(
            () => cb(),
            (e: unknown) => {
              tarError = e;
              cb();
            },
          );
        },
      }),
    );
  } catch (e) {
    // A file being written into the temp dir finishes first, so the caller's cleanup leaves nothing behind.
    await pending.catch(() => {});
    if (e instanceof BackupRefusedError) throw e;
    return refuse(`the file is not a complete gzip archive (${(e as Error).message}); it is damaged or was cut short`);
  }
  if (tarError instanceof BackupRefusedError) throw tarError;
  if (tarError) return refuse(`the archive is damaged: ${(tarError as Error).message}`);
  try {
    parser.end();
  } catch (e) {
    return refuse(`the archive is damaged: ${(e as Error).message}`);
  }
  const t = trailer as { expect: string; body: Body } | null;
  if (!t || afterTrailer) return refuse(`the archive has no ${TRAILER} at its end (partial backup?)`);
  if (t.body.take().toString('utf8').trim() !== t.expect) return refuse('the archive checksum does not match');
  if (!manifest) return refuse(`${MANIFEST} is missing`);
  const m = manifest as Manifest;
  if (index !== inTar.length) return refuse('the manifest and the archive list different files');
  if (!sawSnapshot) return refuse('the archive holds no ringback.json');
  if (opts.partsBase !== null) {
    for (const f of m.files) {
      if (!f.part) continue;
      const bytes = await readPart(opts.partsBase ?? null, f);
      await checked(f.name, bytes);
    }
  }
  return { manifest: m, files: out, sha256: gzHash.digest('hex') };
}

function parseManifest(body: Buffer): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return refuse(`${MANIFEST} is not JSON`);
  }
  const checked = manifestSchema.safeParse(parsed);
  if (!checked.success) return refuse(`this is not a Ringback backup this release can read (${MANIFEST}: ${checked.error.issues[0]?.message})`);
  const m = checked.data;
  if (m.formatVersion === 1 && m.files.some((f) => f.part)) refuse(`this is not a Ringback backup this release can read (${MANIFEST}: parts in a version 1 backup)`);
  const names = new Set<string>();
  for (const f of m.files) {
    if (!isDataFileName(f.name) || names.has(f.name) || (f.part && !f.name.startsWith('archive/'))) refuse(`unexpected file "${f.name}" in the manifest`);
    names.add(f.name);
  }
  if (!names.has('ringback.json')) refuse('the archive holds no ringback.json');
  return m;
}

/** The snapshot must be data this release can read, of the version the manifest names; each month an archive month. */
function checkContent(name: string, body: Buffer, manifest: Manifest): void {
  try {
    if (name === 'ringback.json') {
      const data = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (dataVersionOf(data) !== manifest.dataVersion) throw new Error(`its data version is not the one the manifest names (${manifest.dataVersion})`);
      migrate(data);
      if (!checkShape(data)) throw new Error('unexpected shape');
    } else if (name.startsWith('archive/')) {
      const month = JSON.parse(body.toString('utf8')) as Record<string, unknown> | null;
      if (!month || !['threads', 'calls', 'messages', 'notes'].every((k) => month[k] && typeof month[k] === 'object')) throw new Error(`${name} is not an archive month`);
    }
  } catch (e) {
    if (e instanceof BackupRefusedError) throw e;
    refuse(`the backed-up data cannot be read: ${(e as Error).message}`);
  }
}

/** A part of a scheduled backup, from the parts folder beside it: refused by name when missing or damaged. */
async function readPart(base: string | null, f: Manifest['files'][number]): Promise<Buffer> {
  const part = f.part!;
  if (base === null) return refuse(`${f.name} is kept in the part ${part}, which belongs beside the backup file`);
  const file = path.join(base, ...part.split('/'));
  const body = new Body(part);
  try {
    await readGunzipped(file, (chunk) => body.add(chunk));
  } catch (e) {
    if (e instanceof BackupRefusedError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return refuse(`the part ${file} that this backup lists for ${f.name} is missing; copy the parts folder together with the backup file`);
    }
    return refuse(`the part ${file} (${f.name}) is damaged: ${(e as Error).message}`);
  }
  const bytes = body.take();
  if (bytes.length !== f.size || sha256(bytes) !== f.sha256) refuse(`the part ${file} (${f.name}) is damaged: it does not match its checksum in the manifest`);
  return bytes;
}

async function writePrivate(root: string, name: string, body: Buffer): Promise<void> {
  const dest = path.join(root, ...name.split('/'));
  await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
  const fh = await open(dest, 'wx', 0o600);
  try {
    await fh.writeFile(body);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A backup held in memory, checked whole (parts, if any, from `partsBase`); its files are returned. */
export async function verifyBackup(gz: Buffer, partsBase: string | null = null): Promise<VerifiedBackup> {
  const { manifest, files } = await readBackup(Readable.from([gz]), { keep: true, partsBase });
  return { manifest, files };
}

/** A backup file checked whole as a stream, nothing kept (parts from beside it). */
export async function verifyBackupFile(file: string): Promise<Manifest> {
  return (await readBackup(createReadStream(file), { partsBase: path.dirname(file) })).manifest;
}

/**
 * Restore a backup into `dataDir`, which must be absent or empty. The backup is read once as a stream:
 * each file is checked and written into a private temp dir beside the target (files 0600, dirs 0700), and
 * only when everything checked out (trailer, sidecar, parts) is it renamed into place, so the target is
 * either untouched or complete.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<Manifest> {
  const target = path.resolve(dataDir);
  const existing = await readdir(target).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? [] : refuse(e.code === 'ENOTDIR' ? `${target} is not a directory` : `cannot read ${target} (${e.message})`),
  );
  if (existing.length > 0) throw new BackupRefusedError(`not restoring: ${target} is not empty; restore into a new or empty directory`);
  const fh = await open(file, 'r').catch((e: Error) => refuse(`cannot read ${file} (${e.message})`));
  await fh.close();
  // A sidecar checksum, when the copy brought one, must match too.
  const sidecar = await readFile(`${file}.sha256`, 'utf8').catch(() => null);

  await mkdir(path.dirname(target), { recursive: true });
  const tmp = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.restore-`));
  try {
    let read: Awaited<ReturnType<typeof readBackup>>;
    try {
      read = await readBackup(createReadStream(file), { extractTo: tmp, partsBase: path.dirname(path.resolve(file)) });
    } catch (e) {
      // A file that does not match its sidecar is reported as that, whatever else is wrong with it.
      if (sidecar !== null && sidecar.trim().split(/\s+/)[0] !== (await fileSha(file))) refuse(`${file} does not match ${file}.sha256`);
      throw e;
    }
    if (sidecar !== null && sidecar.trim().split(/\s+/)[0] !== read.sha256) refuse(`${file} does not match ${file}.sha256`);
    // rename(2) replaces an empty directory, and fails if something appeared in it meanwhile.
    await rename(tmp, target);
    return read.manifest;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function fileSha(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

/** Only the manifest of a backup file (read from its start, not checked against the rest): what parts it lists. */
export async function readManifest(file: string): Promise<Manifest> {
  let manifest: Manifest | null = null;
  let body: Body | null = null;
  const stop = new Error('manifest read');
  const parser = new TarParser({
    entry: (name) => {
      if (name !== MANIFEST) refuse(`${MANIFEST} is missing`);
      body = new Body(name);
    },
    data: (chunk) => body!.add(chunk),
    endEntry: () => {
      manifest = parseManifest(body!.take());
      throw stop;
    },
  });
  try {
    await readGunzipped(file, (chunk) => parser.push(chunk));
  } catch (e) {
    if (e !== stop) throw e;
  }
  if (!manifest) return refuse(`${file} has no ${MANIFEST}`);
  return manifest;
}
