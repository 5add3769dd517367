import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Env } from '@ringback/shared';
import { backupStoreTo, captureDisk, writeBackup, type BackupWritten } from './backup.js';
import { PARTS_DIR } from './backup-parts.js';
import { readManifest } from './restore.js';
import { DATA_VERSION } from './migrations.js';
import type { Store } from './store.js';

/**
 * Automatic backups, made by the running relay: one an hour into the backup dir, kept hourly for a day and
 * daily for a month. Never at start or at a CLI command; a relay restarted often still makes one an hour,
 * because "due" is judged from the newest backup on disk.
 */
export const HOUR = 3600_000;

/** RINGBACK_BACKUP_DIR, else DATA_DIR/backups. */
export const backupDirOf = (env: Pick<Env, 'RINGBACK_DATA_DIR' | 'RINGBACK_BACKUP_DIR'>) =>
  env.RINGBACK_BACKUP_DIR ?? path.join(env.RINGBACK_DATA_DIR, 'backups');
const DAY = 24 * HOUR;

/** Scheduled backups (and the plain ringback.json copies older releases made), with the time in the name. */
const SCHEDULED = /^ringback-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.(tar\.gz|json)$/;

export const scheduledName = (at: Date) => `ringback-${at.toISOString().replace(/[:.]/g, '-')}.tar.gz`;

function timeOf(name: string): number | null {
  const m = SCHEDULED.exec(name);
  return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : null;
}

/**
 * Which scheduled backups to keep at `now`: the newest of each hour of the last 24 hours and the newest of
 * each day of the last 30. Names that are not scheduled backups (upgrade backups, an operator's own files)
 * are not touched and not returned; everything returned by `pruneBackups`' complement goes.
 */
export function keepBackups(names: readonly string[], now: Date): Set<string> {
  const dated = names
    .map((name) => ({ name, at: timeOf(name) }))
    .filter((b): b is { name: string; at: number } => b.at !== null && b.at <= now.getTime())
    .sort((a, b) => b.at - a.at);
  const keep = new Set<string>();
  const hours = new Set<number>();
  const days = new Set<number>();
  for (const b of dated) {
    const age = now.getTime() - b.at;
    const hour = Math.floor(b.at / HOUR);
    const day = Math.floor(b.at / DAY);
    if (age < DAY && !hours.has(hour)) {
      hours.add(hour);
      keep.add(b.name);
    }
    if (age < 30 * DAY && !days.has(day)) {
      days.add(day);
      keep.add(b.name);
    }
  }
  // A clock set back must not cost the backups made "in the future".
  for (const name of names) if ((timeOf(name) ?? 0) > now.getTime()) keep.add(name);
  return keep;
}

async function prune(dir: string, now: Date): Promise<void> {
  const names = await readdir(dir);
  const keep = keepBackups(names, now);
  for (const name of names) {
    if (timeOf(name) === null || keep.has(name)) continue;
    await rm(path.join(dir, name), { force: true });
    await rm(path.join(dir, `${name}.sha256`), { force: true });
  }
  await pruneParts(dir);
}

/**
 * Remove the parts no backup in the folder lists any more. A backup whose manifest cannot be read might
 * list any of them: then none goes.
 */
async function pruneParts(dir: string): Promise<void> {
  const parts = await readdir(path.join(dir, PARTS_DIR)).catch(() => [] as string[]);
  if (parts.length === 0) return;
  const listed = new Set<string>();
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.tar.gz')) continue;
    let manifest;
    try {
      manifest = await readManifest(path.join(dir, name));
    } catch {
      return;
    }
    for (const f of manifest.files) if (f.part) listed.add(path.basename(f.part));
  }
  for (const p of parts) if (!p.startsWith('.') && !listed.has(p)) await rm(path.join(dir, PARTS_DIR, p), { force: true });
}

/**
 * Take a scheduled backup now if the newest one is an hour old, then prune. Returns the file written, if
 * any. Archive months go to the parts folder once by content (see backup-parts.ts); `onWritten` is told how
 * big the backup was and how many part bytes it added.
 */
export async function backupIfDue(store: Store, dir: string, now: Date, everyMs = HOUR, onWritten?: (w: BackupWritten) => void): Promise<string | null> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Backups dated after now (a clock set back) do not count, or none would be made until the clock caught up.
  const times = (await readdir(dir)).map((n) => (n.endsWith('.tar.gz') ? (timeOf(n) ?? 0) : 0)).filter((t) => t <= now.getTime());
  let written: string | null = null;
  if (now.getTime() - Math.max(0, ...times) >= everyMs) {
    written = path.join(dir, scheduledName(now));
    const made = await backupStoreTo(store, written, now, { parts: true });
    onWritten?.(made);
  }
  await prune(dir, now);
  return written;
}

/** Check every `checkMs` (first check one interval after start) whether a backup is due. */
export function startBackupSchedule(store: Store, dir: string, log: Logger, now: () => Date, opts: { everyMs?: number; checkMs?: number } = {}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    let made: BackupWritten | null = null;
    backupIfDue(store, dir, now(), opts.everyMs, (w) => (made = w))
      .then((file) => file && log.info({ file, bytes: made?.bytes, partBytes: made?.partBytes }, 'backup written'))
      .catch((e: unknown) => log.error({ err: String(e) }, 'the scheduled backup failed'))
      .finally(() => (running = false));
  }, opts.checkMs ?? 5 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Before migrating: the data dir exactly as the older release left it (the caller holds the lock). */
export async function backupBeforeUpgrade(dataDir: string, dir: string, from: number, now = new Date()): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `ringback-v${from}-before-v${DATA_VERSION}-${now.toISOString().replace(/[:.]/g, '-')}.tar.gz`);
  await writeBackup(await captureDisk(dataDir), file, now);
  return file;
}
