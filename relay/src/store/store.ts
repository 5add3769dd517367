import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { emptyData, type Data } from './data.js';
import { lockDataDir } from './lock.js';

export class CorruptDataError extends Error {}

const FILE = 'ringback.json';
const BACKUPS_KEPT = 24;
const BACKUP_EVERY_MS = 60 * 60 * 1000;

function checkShape(data: unknown): data is Data {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  const maps = ['threads', 'calls', 'messages', 'notes', 'outbox', 'optOuts', 'lineTypes', 'processed'];
  return (
    d.version === 1 &&
    typeof d.seq === 'number' &&
    Array.isArray(d.staff) &&
    Array.isArray(d.consent) &&
    Array.isArray(d.audit) &&
    maps.every((k) => d[k] !== null && typeof d[k] === 'object' && !Array.isArray(d[k]))
  );
}

/**
 * The relay's durable state: one lowdb file, one writer, group commit.
 * Callers mutate `data` in memory through `change`, then `await commit()`; every commit that arrives
 * while a write is in flight joins the next write, so a burst of webhooks costs one stringify and
 * one file write (reliability.md L-2). A commit resolves only once its changes are on disk.
 */
export class Store {
  private scheduled = false;
  private writing: Promise<void> | null = null;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private dirty = false;
  private lastBackupAt = 0;
  /** The highest seq known to be on disk: changes up to it may be announced to clients. */
  durableSeq = 0;
  /** False after a failed write, until a write succeeds again. */
  healthy = true;

  private constructor(
    private readonly db: Low<Data>,
    readonly dir: string,
    private readonly unlock: () => Promise<void>,
  ) {}

  get data(): Data {
    return this.db.data;
  }

  static async open(dir: string): Promise<Store> {
    await mkdir(path.join(dir, 'backups'), { recursive: true });
    const unlock = await lockDataDir(dir);
    try {
      const file = path.join(dir, FILE);
      // steno's temp file from a write that was cut short; the real file is intact (rename is atomic).
      await rm(path.join(dir, `.${FILE}.tmp`), { force: true });
      const db = new Low<Data>(new DataFile<Data>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), emptyData());
      try {
        await db.read();
      } catch (e) {
        throw new CorruptDataError(await corruptMessage(dir, file, e));
      }
      if (!checkShape(db.data)) throw new CorruptDataError(await corruptMessage(dir, file, new Error('unexpected shape')));
      const store = new Store(db, dir, unlock);
      await store.commitNow();
      return store;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  /** Apply a change in memory; it becomes durable with the next commit. */
  change<T>(fn: (data: Data) => T): T {
    this.dirty = true;
    return fn(this.db.data);
  }

  /** Mark records mutated in place as changed. */
  touch(): void {
    this.dirty = true;
  }

  nextSeq(): number {
    this.dirty = true;
    return ++this.db.data.seq;
  }

  /** Resolves when everything changed so far is on disk; rejects if that write fails. */
  commit(): Promise<void> {
    if (!this.dirty && !this.writing && this.waiters.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private commitNow(): Promise<void> {
    this.dirty = true;
    return this.commit();
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    // setImmediate lets every webhook handled in this turn of the event loop join the same write.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiters;
    this.waiters = [];
    this.dirty = false;
    const seq = this.db.data.seq;
    this.writing = this.db.write();
    try {
      await this.writing;
      this.healthy = true;
      this.durableSeq = seq;
      for (const w of batch) w.resolve();
      void this.maybeBackup();
    } catch (e) {
      // Memory is now ahead of disk: keep it dirty so the next commit retries the whole state.
      this.healthy = false;
      this.dirty = true;
      await rm(path.join(this.dir, `.${FILE}.tmp`), { force: true }).catch(() => {});
      for (const w of batch) w.reject(e);
    } finally {
      this.writing = null;
      if (this.waiters.length > 0) this.schedule();
    }
  }

  private async maybeBackup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastBackupAt < BACKUP_EVERY_MS) return;
    this.lastBackupAt = now;
    try {
      const name = `${FILE.replace('.json', '')}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`;
      await copyFile(path.join(this.dir, FILE), path.join(this.dir, 'backups', name));
      const all = (await readdir(path.join(this.dir, 'backups'))).filter((f) => f.endsWith('.json')).sort();
      for (const old of all.slice(0, Math.max(0, all.length - BACKUPS_KEPT))) {
        await rm(path.join(this.dir, 'backups', old), { force: true });
      }
    } catch {
      // A missed backup is not worth failing a webhook over; the next hour tries again.
    }
  }

  async close(): Promise<void> {
    await this.commit().catch(() => {});
    await this.unlock();
  }
}

async function corruptMessage(dir: string, file: string, cause: unknown): Promise<string> {
  const backups = (await readdir(path.join(dir, 'backups')).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const newest = backups.at(-1);
  const hint = newest
    ? `The newest backup is ${path.join(dir, 'backups', newest)}; copy it over ${file} to restore it.`
    : 'There is no backup to restore.';
  return `refusing to start: ${file} is not a valid Ringback data file (${(cause as Error).message}). Starting empty would lose the opt-out list. ${hint}`;
}
