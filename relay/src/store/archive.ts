import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Call, Message, Note, ThreadSummary } from '@ringback/shared';
import { detach, own, setOwn, table } from './own.js';
import { privateDir, privateFile } from './private.js';
import type { Store } from './store.js';

/** One month of resolved threads, with everything that happened in them. */
export interface ArchiveMonth {
  threads: Record<string, ThreadSummary>;
  calls: Record<string, Call>;
  messages: Record<string, Message>;
  notes: Record<string, Note>;
}

const emptyMonth = (): ArchiveMonth => ({ threads: table(), calls: table(), messages: table(), notes: table() });
/** A month read from JSON, its maps without a prototype (ids such as "__proto__" stay plain keys). */
const detachMonth = (m: ArchiveMonth): ArchiveMonth => {
  for (const t of [m.threads, m.calls, m.messages, m.notes]) detach(t);
  return m;
};

export function archiveFile(dir: string, month: string): string {
  return path.join(dir, 'archive', `${month}.json`);
}

/** Every archived month, oldest first. */
export async function readArchives(dir: string): Promise<ArchiveMonth[]> {
  const files = await readdir(path.join(dir, 'archive')).catch(() => [] as string[]);
  const months = files.filter((f) => /^\d{4}-\d{2}\.json$/.test(f)).map((f) => f.slice(0, 7)).sort();
  return Promise.all(months.map((m) => readArchive(dir, m)));
}

export async function readArchive(dir: string, month: string): Promise<ArchiveMonth> {
  const db = new Low<ArchiveMonth>(new DataFile(archiveFile(dir, month), { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), emptyMonth());
  await db.read();
  return detachMonth(db.data);
}

/**
 * Keep the hot data small: threads resolved more than `olderThanDays` ago move, with their calls,
 * messages and notes, to archive/YYYY-MM.json (month of resolution). The month file is written
 * first; only then are the records removed from the hot data, so a crash in between leaves a copy in
 * both places, which the next run merges by id.
 */
export async function archiveResolved(store: Store, now: Date, olderThanDays = 30): Promise<number> {
  const data = store.data;
  const cutoff = now.getTime() - olderThanDays * 86_400_000;
  const byMonth = new Map<string, ThreadSummary[]>();
  for (const t of Object.values(data.threads)) {
    if (t.status !== 'resolved' || !t.resolution || Date.parse(t.resolution.at) > cutoff) continue;
    const month = t.resolution.at.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), t]);
  }
  if (byMonth.size === 0) return 0;
  await privateDir(path.join(store.dir, 'archive'));
  const ids = new Set([...byMonth.values()].flat().map((t) => t.id));
  const belongs = <T extends { threadId: string | null }>(table: Record<string, T>) =>
    Object.entries(table).filter(([, r]) => r.threadId !== null && ids.has(r.threadId));
  const calls = belongs(data.calls);
  const messages = belongs(data.messages);
  const notes = belongs(data.notes);

  for (const [month, threads] of byMonth) {
    const db = new Low<ArchiveMonth>(new DataFile(archiveFile(store.dir, month), { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), emptyMonth());
    await db.read();
    detachMonth(db.data);
    const mine = new Set(threads.map((t) => t.id));
    for (const t of threads) setOwn(db.data.threads, t.id, t);
    for (const [id, c] of calls) if (mine.has(c.threadId!)) setOwn(db.data.calls, id, c);
    for (const [id, m] of messages) if (mine.has(m.threadId)) setOwn(db.data.messages, id, m);
    for (const [id, n] of notes) if (mine.has(n.threadId)) setOwn(db.data.notes, id, n);
    await db.write();
    await privateFile(archiveFile(store.dir, month));
  }
  for (const id of ids) store.put('threads', id, undefined);
  for (const [id] of calls) store.put('calls', id, undefined);
  for (const [id] of messages) store.put('messages', id, undefined);
  for (const [id] of notes) store.put('notes', id, undefined);
  for (const e of Object.values(data.outbox)) {
    if (!own(data.messages, e.messageId) && (e.state === 'sent' || e.state === 'failed')) store.put('outbox', e.id, undefined);
  }
  await store.commit();
  return ids.size;
}
