import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { AuditEntry, Booking, Call, Callback, Message, Note, ThreadSummary } from '@ringback/shared';
import { detach, own, setOwn, table } from './own.js';
import { privateDir, privateFile } from './private.js';
import type { Store } from './store.js';
import { carryMode } from '../config/data-mode.js';

/**
 * One month of history: threads resolved in it with everything that happened in them (call-backs, and bookings
 * whose appointment is over), answered calls (no thread) that started in it, and the audit entries written in
 * it. Files written by earlier releases lack the newer tables: they read as empty.
 */
export interface ArchiveMonth {
  threads: Record<string, ThreadSummary>;
  calls: Record<string, Call>;
  messages: Record<string, Message>;
  notes: Record<string, Note>;
  callbacks: Record<string, Callback>;
  bookings: Record<string, Booking>;
  audit: AuditEntry[];
}

const TABLES = ['threads', 'calls', 'messages', 'notes', 'callbacks', 'bookings'] as const;
const emptyMonth = (): ArchiveMonth => ({ threads: table(), calls: table(), messages: table(), notes: table(), callbacks: table(), bookings: table(), audit: [] });
/** A month read from JSON, its maps without a prototype (ids such as "__proto__" stay plain keys). */
const detachMonth = (m: ArchiveMonth): ArchiveMonth => {
  for (const k of TABLES) {
    const t = (m[k] ??= table()) as object;
    detach(t);
  }
  m.audit ??= [];
  return m;
};

export function archiveFile(dir: string, month: string): string {
  return path.join(dir, 'archive', `${month}.json`);
}

/** The archived months, oldest first. */
export async function archiveMonths(dir: string): Promise<string[]> {
  const files = await readdir(path.join(dir, 'archive')).catch(() => [] as string[]);
  return files.filter((f) => /^\d{4}-\d{2}\.json$/.test(f)).map((f) => f.slice(0, 7)).sort();
}

/** Every archived month from `since` on (all by default), oldest first: only for a one-off recount. */
export async function readArchives(dir: string, since = ''): Promise<ArchiveMonth[]> {
  const out: ArchiveMonth[] = [];
  for (const m of await archiveMonths(dir)) if (m >= since) out.push(await readArchive(dir, m));
  return out;
}

export async function readArchive(dir: string, month: string): Promise<ArchiveMonth> {
  const db = new Low<ArchiveMonth>(new DataFile(archiveFile(dir, month), { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), emptyMonth());
  await db.read();
  return detachMonth(db.data);
}

const DAY = 86_400_000;

/** The first UTC day still hot: records of earlier days may be archived once that day's facts are kept. */
export function hotFrom(now: Date, olderThanDays = 30): number {
  return Math.floor((now.getTime() - olderThanDays * DAY) / DAY) * DAY;
}

const indexFile = (dir: string) => path.join(dir, 'archive', 'index.json');

/**
 * Where archived records are: the month file of each thread, and for each month in which records
 * happened, the month files that hold them (a thread goes to the month it was resolved in), so a day's
 * raw records are read from a few files, not all.
 */
export interface ArchiveIndex {
  threads: Record<string, string>;
  sources: Record<string, string[]>;
}

/** The index, or null when it is missing or unreadable (rebuildIndex makes it again from the months). */
export async function readIndex(dir: string): Promise<ArchiveIndex | null> {
  try {
    const index = JSON.parse(await readFile(indexFile(dir), 'utf8')) as ArchiveIndex;
    if (!index.threads || !index.sources) return null;
    detach(index.threads);
    detach(index.sources);
    return index;
  } catch {
    return null;
  }
}

async function writeIndex(dir: string, index: ArchiveIndex): Promise<void> {
  const file = indexFile(dir);
  await writeFile(`${file}.tmp`, JSON.stringify(index), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

function addToIndex(index: ArchiveIndex, file: string, m: ArchiveMonth): void {
  const from = (iso: string | null | undefined) => {
    if (!iso) return;
    const month = iso.slice(0, 7);
    const list = own(index.sources, month) ?? [];
    if (!list.includes(file)) setOwn(index.sources, month, [...list, file].sort());
  };
  for (const id of Object.keys(m.threads)) setOwn(index.threads, id, file);
  for (const t of Object.values(m.threads)) from(t.openedAt);
  for (const c of Object.values(m.calls)) from(c.startedAt);
  for (const x of Object.values(m.messages)) from(x.at);
  for (const e of m.audit) from(e.at);
}

/** The index built from the month files themselves. */
export async function rebuildIndex(dir: string): Promise<ArchiveIndex> {
  const index: ArchiveIndex = { threads: table(), sources: table() };
  for (const m of await archiveMonths(dir)) addToIndex(index, m, await readArchive(dir, m));
  return index;
}

export interface ArchiveOptions {
  olderThanDays?: number;
  /** Tests: called once the month files are written, before anything leaves the hot data (a crash there). */
  afterWrite?: () => void;
}

/**
 * Keep the hot data small: threads resolved before the hot window (the last `olderThanDays` whole UTC
 * days) move, with their calls, messages and notes, to archive/YYYY-MM.json (month of resolution);
 * answered calls (no thread) and audit entries older than the window move to the month they happened
 * in. The month files are written first; only then are the records removed from the hot data, so a
 * crash in between leaves a copy in both places, which the next run merges by id (audit entries by seq).
 * The caller keeps the facts of the days before the window first (see closeDays).
 */
export async function archiveResolved(store: Store, now: Date, opts: ArchiveOptions = {}): Promise<number> {
  // A live backup copying the month files holds them: archiving waits, and no backup starts meanwhile.
  return store.fileWorkWhenUnheld(() => archiveNow(store, now, opts));
}

async function archiveNow(store: Store, now: Date, opts: ArchiveOptions): Promise<number> {
  const data = store.data;
  const cutoff = hotFrom(now, opts.olderThanDays);
  const months = new Map<string, ArchiveMonth>();
  const monthOf = (iso: string) => {
    const key = iso.slice(0, 7);
    let m = months.get(key);
    if (!m) months.set(key, (m = emptyMonth()));
    return m;
  };
  const ids = new Set<string>();
  for (const t of Object.values(data.threads)) {
    if (t.status !== 'resolved' || !t.resolution || !(Date.parse(t.resolution.at) < cutoff)) continue;
    setOwn(monthOf(t.resolution.at).threads, t.id, t);
    ids.add(t.id);
  }
  const calls: string[] = [];
  for (const [id, c] of Object.entries(data.calls)) {
    if (c.threadId !== null ? !ids.has(c.threadId) : c.outcome === 'ringing' || !(Date.parse(c.startedAt) < cutoff)) continue;
    const t = c.threadId === null ? undefined : own(data.threads, c.threadId);
    setOwn(monthOf(t?.resolution?.at ?? c.startedAt).calls, id, c);
    calls.push(id);
  }
  const belongs = <T extends { threadId: string }>(table: Record<string, T>, into: (m: ArchiveMonth) => Record<string, T>) => {
    const out: string[] = [];
    for (const [id, r] of Object.entries(table)) {
      if (!ids.has(r.threadId)) continue;
      setOwn(into(monthOf(own(data.threads, r.threadId)!.resolution!.at)), id, r);
      out.push(id);
    }
    return out;
  };
  const messages = belongs(data.messages, (m) => m.messages);
  const notes = belongs(data.notes, (m) => m.notes);
  const callbacks = belongs(data.callbacks, (m) => m.callbacks);
  // A booking goes with its thread once its appointment is over before the window (a cancelled one once it was
  // cancelled): the calendar reads every booking ahead, however long ago its thread was resolved.
  let index: ArchiveIndex | null = null;
  const bookings: string[] = [];
  for (const [id, b] of Object.entries(data.bookings)) {
    if (!(Date.parse(b.status === 'cancelled' ? (b.cancelledAt ?? b.end) : b.end) < cutoff)) continue;
    const thread = own(data.threads, b.threadId);
    let month = ids.has(b.threadId) ? thread!.resolution!.at.slice(0, 7) : undefined;
    if (!thread) month = own((index ??= (await readIndex(store.dir)) ?? (await rebuildIndex(store.dir))).threads, b.threadId);
    if (month === undefined) continue; // its thread is still hot
    setOwn(monthOf(month).bookings, id, b);
    bookings.push(id);
  }
  // The audit log is in time order: its head up to the window leaves (never the last entry: the next seq follows it).
  let audit = 0;
  while (audit < data.audit.length - 1 && Date.parse(data.audit[audit]!.at) < cutoff) {
    const e = data.audit[audit++]!;
    monthOf(e.at).audit.push(e);
  }

  if (months.size > 0) {
    await privateDir(path.join(store.dir, 'archive'));
    index ??= (await readIndex(store.dir)) ?? (await rebuildIndex(store.dir));
    for (const [month, add] of [...months].sort((a, b) => a[0].localeCompare(b[0]))) {
      const db = new Low<ArchiveMonth>(new DataFile(archiveFile(store.dir, month), { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), emptyMonth());
      await db.read();
      const m = detachMonth(db.data);
      for (const k of TABLES) for (const [id, r] of Object.entries(add[k])) setOwn(m[k] as Record<string, unknown>, id, r);
      addToIndex(index, month, add);
      const seen = new Set(m.audit.map((e) => e.seq));
      m.audit.push(...add.audit.filter((e) => !seen.has(e.seq)));
      m.audit.sort((a, b) => a.seq - b.seq);
      await db.write();
      await privateFile(archiveFile(store.dir, month));
    }
    await writeIndex(store.dir, index);
  }
  opts.afterWrite?.();
  for (const id of ids) store.put('threads', id, undefined);
  for (const id of calls) store.put('calls', id, undefined);
  for (const id of messages) store.put('messages', id, undefined);
  for (const id of notes) store.put('notes', id, undefined);
  for (const id of callbacks) store.put('callbacks', id, undefined);
  for (const id of bookings) store.put('bookings', id, undefined);
  carryMode(store, data.audit.slice(0, audit), now);
  store.dropHead('audit', audit);
  const gone = new Set(messages);
  if (gone.size > 0) {
    for (const e of Object.values(data.outbox)) {
      if (gone.has(e.messageId) && (e.state === 'sent' || e.state === 'failed')) store.put('outbox', e.id, undefined);
    }
  }
  await store.commit();
  return ids.size;
}
