import { mkdtemp, open, readdir, readFile, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { isDataFileName, MANIFEST, manifestSchema, sha256, TRAILER, type Manifest } from './backup.js';
import { dataVersionOf, migrate } from './migrations.js';
import { checkShape } from './store.js';
import { readTar } from './tar.js';

/** A backup that is damaged, partial, or not a Ringback backup; nothing was written. */
export class BackupRefusedError extends Error {}

/** Unpacked backups larger than this are refused rather than read into memory. */
const MAX_UNPACKED = 1024 * 1024 * 1024;

export interface VerifiedBackup {
  manifest: Manifest;
  files: { name: string; body: Buffer }[];
}

const refuse = (why: string): never => {
  throw new BackupRefusedError(`not restoring: ${why}`);
};

/** Every check a backup has, before anything is written: gzip, tar, trailer, manifest, each file's sha256, the data itself. */
export async function verifyBackup(gz: Buffer): Promise<VerifiedBackup> {
  // The header this writer makes (deflate, no flags); its time and OS bytes carry nothing restore uses.
  if (gz.length < 18 || gz.readUInt32BE(0) !== 0x1f8b0800) return refuse('the file is not a Ringback backup (no plain gzip header)');
  let tar: Buffer;
  try {
    tar = await promisify(gunzip)(gz, { maxOutputLength: MAX_UNPACKED });
  } catch (e) {
    return refuse(`the file is not a complete gzip archive (${(e as Error).message}); it is damaged or was cut short`);
  }
  let entries: ReturnType<typeof readTar>;
  try {
    entries = readTar(tar);
  } catch (e) {
    return refuse(`the archive is damaged: ${(e as Error).message}`);
  }
  const trailer = entries.at(-1);
  if (!trailer || trailer.name !== TRAILER) return refuse(`the archive has no ${TRAILER} at its end (partial backup?)`);
  if (trailer.body.toString('utf8').trim() !== sha256(tar.subarray(0, trailer.offset))) return refuse('the archive checksum does not match');
  const [first, ...rest] = entries.slice(0, -1);
  if (first?.name !== MANIFEST) return refuse(`${MANIFEST} is missing`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(first.body.toString('utf8'));
  } catch {
    return refuse(`${MANIFEST} is not JSON`);
  }
  const checked = manifestSchema.safeParse(parsed);
  if (!checked.success) return refuse(`this is not a Ringback backup this release can read (${MANIFEST}: ${checked.error.issues[0]?.message})`);
  const manifest = checked.data;
  if (manifest.files.length !== rest.length) return refuse('the manifest and the archive list different files');
  const seen = new Set<string>();
  for (const [i, f] of rest.entries()) {
    const listed = manifest.files[i]!;
    if (!isDataFileName(f.name) || seen.has(f.name)) return refuse(`unexpected file "${f.name}" in the archive`);
    seen.add(f.name);
    if (listed.name !== f.name || listed.size !== f.body.length || listed.sha256 !== sha256(f.body)) return refuse(`${f.name} does not match its checksum in the manifest`);
  }
  const snapshot = rest.find((f) => f.name === 'ringback.json');
  if (!snapshot) return refuse('the archive holds no ringback.json');
  try {
    const data = JSON.parse(snapshot.body.toString('utf8')) as Record<string, unknown>;
    if (dataVersionOf(data) !== manifest.dataVersion) throw new Error(`its data version is not the one the manifest names (${manifest.dataVersion})`);
    migrate(data);
    if (!checkShape(data)) throw new Error('unexpected shape');
    for (const f of rest) {
      if (!f.name.startsWith('archive/')) continue;
      const month = JSON.parse(f.body.toString('utf8')) as Record<string, unknown> | null;
      if (!month || !['threads', 'calls', 'messages', 'notes'].every((k) => month[k] && typeof month[k] === 'object')) throw new Error(`${f.name} is not an archive month`);
    }
  } catch (e) {
    return refuse(`the backed-up data cannot be read: ${(e as Error).message}`);
  }
  return { manifest, files: rest.map((f) => ({ name: f.name, body: f.body })) };
}

/**
 * Restore a backup into `dataDir`, which must be absent or empty. Everything is verified first, then
 * written into a private temp dir beside it (files 0600, dirs 0700) and renamed into place, so the
 * target is either untouched or complete.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<Manifest> {
  const target = path.resolve(dataDir);
  const existing = await readdir(target).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? [] : refuse(e.code === 'ENOTDIR' ? `${target} is not a directory` : `cannot read ${target} (${e.message})`),
  );
  if (existing.length > 0) throw new BackupRefusedError(`not restoring: ${target} is not empty; restore into a new or empty directory`);
  let gz: Buffer;
  try {
    gz = await readFile(file);
  } catch (e) {
    throw new BackupRefusedError(`not restoring: cannot read ${file} (${(e as Error).message})`);
  }
  // A sidecar checksum, when the copy brought one, must match too.
  const sidecar = await readFile(`${file}.sha256`, 'utf8').catch(() => null);
  if (sidecar !== null && sidecar.trim().split(/\s+/)[0] !== sha256(gz)) refuse(`${file} does not match ${file}.sha256`);
  const { manifest, files } = await verifyBackup(gz);

  await mkdir(path.dirname(target), { recursive: true });
  const tmp = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.restore-`));
  try {
    for (const f of files) {
      const dest = path.join(tmp, ...f.name.split('/'));
      await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      const fh = await open(dest, 'wx', 0o600);
      try {
        await fh.writeFile(f.body);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    // rename(2) replaces an empty directory, and fails if something appeared in it meanwhile.
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return manifest;
}
