import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { readGunzipped } from './gunzip-file.js';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/**
 * Archive months of scheduled backups, kept once by content in the parts folder beside them: a month that
 * did not change since the last backup costs no bytes and no compression the next hour. The name carries
 * the month and the start of its sha256; the manifest of each backup that lists it holds the whole sha256.
 */
export const PART_NAME = /^parts\/\d{4}-\d{2}\.[0-9a-f]{16}\.json\.gz$/;
export const PARTS_DIR = 'parts';

export const partName = (archiveName: string, sha: string) => `${PARTS_DIR}/${path.basename(archiveName, '.json')}.${sha.slice(0, 16)}.json.gz`;

/**
 * Parts this process has read back whole (or written), by size, mtime and inode: each is checked once before
 * a backup first relies on it, and a damaged one is written again from the month (same content, same name).
 */
const sound = new Map<string, string>();
const stamp = (st: { size: number; mtimeMs: number; ino: number }) => `${st.size}:${st.mtimeMs}:${st.ino}`;

async function partHolds(file: string, sha: string): Promise<boolean> {
  const h = createHash('sha256');
  try {
    await readGunzipped(file, (chunk) => void h.update(chunk));
  } catch {
    return false;
  }
  return h.digest('hex') === sha;
}

/** The part for this month, written (gzip'd, fsynced, renamed into place) unless a sound copy is there already. */
export async function ensurePart(partsDir: string, archiveName: string, sha: string, content: AsyncIterable<Buffer>): Promise<{ part: string; added: number }> {
  const part = partName(archiveName, sha);
  const file = path.join(partsDir, path.basename(part));
  const st = await stat(file).catch(() => null);
  if (st?.isFile() && (sound.get(file) === stamp(st) || (await partHolds(file, sha)))) {
    sound.set(file, stamp(st));
    return { part, added: 0 };
  }
  await mkdir(partsDir, { recursive: true, mode: 0o700 });
  const tmp = path.join(partsDir, `.${path.basename(part)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const h = createHash('sha256');
    const check = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        h.update(chunk);
        cb(null, chunk);
      },
      flush(cb) {
        cb(h.digest('hex') === sha ? null : new Error(`${archiveName} changed while it was backed up`));
      },
    });
    await pipeline(Readable.from(content, { objectMode: false }), check, createGzip(), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    const written = await stat(tmp);
    await rename(tmp, file);
    sound.set(file, stamp(written));
    return { part, added: written.size };
  } finally {
    await rm(tmp, { force: true });
  }
}
