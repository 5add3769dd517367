import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ADMIN_HEADER, runningRelay } from '../staff/local-admin.js';
import { BACKUP_SHA_HEADER } from '../http/local-backup.js';
import { backupDataDir, sha256, writeBackupFile } from './backup.js';
import { restoreBackup, verifyBackup } from './restore.js';

/** From the relay that holds the data dir, if one runs; else straight from the dir, locked meanwhile. */
async function takeBackup(dataDir: string): Promise<{ buf: Buffer; from: string }> {
  const admin = await runningRelay(dataDir);
  if (!admin) return { buf: await backupDataDir(dataDir), from: `the data dir ${dataDir}` };
  let res: Response;
  try {
    res = await fetch(`${admin.url}/_local/backup`, { method: 'POST', headers: { [ADMIN_HEADER]: admin.secret }, signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    throw new Error(`the relay (pid ${admin.pid}) holds ${dataDir} but did not answer at ${admin.url}: ${(e as Error).message}`);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(`the relay refused the backup: ${body?.error?.message ?? `HTTP ${res.status}`}`);
  }
  const buf = Buffer.from(await res.arrayBuffer());
  if (sha256(buf) !== res.headers.get(BACKUP_SHA_HEADER)) throw new Error('the backup arrived damaged (checksum mismatch); nothing was written');
  return { buf, from: `the running relay (pid ${admin.pid})` };
}

/** `ringback backup --out FILE`: lines to print. */
export async function backupCommand(dataDir: string, out: string): Promise<string[]> {
  const file = path.resolve(out);
  if (await access(file).then(() => true, () => false)) throw new Error(`${file} already exists; choose a new file name`);
  if (!(await stat(path.dirname(file)).then((st) => st.isDirectory(), () => false))) throw new Error(`the folder ${path.dirname(file)} does not exist`);
  const { buf, from } = await takeBackup(dataDir);
  // Checked like a restore would, so a backup that could not be restored is never reported as made.
  const { manifest } = await verifyBackup(buf);
  await writeBackupFile(file, buf);
  return [
    `backed up ${from} at seq ${manifest.seq} (data version ${manifest.dataVersion}, ${manifest.files.length} files, ${buf.length} bytes)`,
    `to ${file}; its sha256 is in ${file}.sha256. Copy both off this machine.`,
  ];
}

/** `ringback restore FILE --data-dir DIR`. */
export async function restoreCommand(file: string, dataDir: string): Promise<string[]> {
  const m = await restoreBackup(path.resolve(file), dataDir);
  return [
    `restored seq ${m.seq} (data version ${m.dataVersion}, backed up ${m.createdAt} by Ringback ${m.ringbackVersion}) into ${path.resolve(dataDir)}`,
    `start the relay on it with RINGBACK_DATA_DIR=${path.resolve(dataDir)}`,
  ];
}
