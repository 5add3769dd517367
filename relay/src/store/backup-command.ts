import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ADMIN_HEADER, runningRelay } from '../staff/local-admin.js';
import { BACKUP_SHA_HEADER } from '../http/local-backup.js';
import { backupDataDir, syncFile, writeSidecar } from './backup.js';
import { restoreBackup, verifyBackupFile } from './restore.js';

/**
 * The backup from the relay that holds the data dir, if one runs (streamed into `tmp`); else straight from
 * the dir, locked meanwhile. Returns where it came from and the sha256 of what was written.
 */
async function takeBackup(dataDir: string, tmp: string): Promise<{ from: string; sha: string }> {
  const admin = await runningRelay(dataDir);
  if (!admin) {
    const { sha256: sha } = await backupDataDir(dataDir, tmp);
    await rm(`${tmp}.sha256`, { force: true });
    return { from: `the data dir ${dataDir}`, sha };
  }
  let res: Response;
  try {
    res = await fetch(`${admin.url}/_local/backup`, { method: 'POST', headers: { [ADMIN_HEADER]: admin.secret }, signal: AbortSignal.timeout(600_000) });
  } catch (e) {
    throw new Error(`the relay (pid ${admin.pid}) holds ${dataDir} but did not answer at ${admin.url}: ${(e as Error).message}`);
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(`the relay refused the backup: ${body?.error?.message ?? `HTTP ${res.status}`}`);
  }
  const h = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      cb(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), hashing, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
  const sha = h.digest('hex');
  if (sha !== res.headers.get(BACKUP_SHA_HEADER)) throw new Error('the backup arrived damaged (checksum mismatch); nothing was written');
  return { from: `the running relay (pid ${admin.pid})`, sha };
}

/** `ringback backup --out FILE`: one self-contained file, streamed (lines to print). */
export async function backupCommand(dataDir: string, out: string): Promise<string[]> {
  const file = path.resolve(out);
  if (await access(file).then(() => true, () => false)) throw new Error(`${file} already exists; choose a new file name`);
  if (!(await stat(path.dirname(file)).then((st) => st.isDirectory(), () => false))) throw new Error(`the folder ${path.dirname(file)} does not exist`);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const { from, sha } = await takeBackup(dataDir, tmp);
    // Checked like a restore would, so a backup that could not be restored is never reported as made.
    const manifest = await verifyBackupFile(tmp);
    await syncFile(tmp);
    const { size } = await stat(tmp);
    await rename(tmp, file);
    await writeSidecar(file, sha);
    return [
      `backed up ${from} at seq ${manifest.seq} (data version ${manifest.dataVersion}, ${manifest.files.length} files, ${size} bytes)`,
      `to ${file}; its sha256 is in ${file}.sha256. Copy both off this machine.`,
    ];
  } finally {
    await rm(tmp, { force: true });
  }
}

/** `ringback restore FILE --data-dir DIR`. */
export async function restoreCommand(file: string, dataDir: string): Promise<string[]> {
  const m = await restoreBackup(path.resolve(file), dataDir);
  return [
    `restored seq ${m.seq} (data version ${m.dataVersion}, backed up ${m.createdAt} by Ringback ${m.ringbackVersion}) into ${path.resolve(dataDir)}`,
    `start the relay on it with RINGBACK_DATA_DIR=${path.resolve(dataDir)}`,
  ];
}
