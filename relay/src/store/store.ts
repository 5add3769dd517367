import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { apply, checkShape, CorruptDataError, LISTS, parseData, type Batch } from './batch.js';
import { backupBeforeUpgrade } from './backup-schedule.js';
import { detachMaps, emptyData, type Data, type ListName, type MapName, type RecordOf } from './data.js';
import { JOURNAL_PREFIX, JournalWriter, listJournals, parseJournal, planReplay, readJournal, type JournalLine, type JournalLoss } from './journal.js';
import { lockDataDir } from './lock.js';
import { DATA_VERSION, dataVersionOf, migrate, NewerDataError } from './migrations.js';
import { own, setOwn } from './own.js';
import { privateDir, privateFile, privateFiles } from './private.js';
import { readBackup } from './restore.js';
import { writeSnapshot } from './snapshot-file.js';
import { compactFromFiles } from './compact.js';

export { checkShape, CorruptDataError };
/** The data dir cannot be written at all (read-only mount, wrong owner): said in one line, not a stack. */
export class DataDirError extends Error {}
/** A commit could not be written: nothing it carried happened (staff commands are undone; retry later). */
export class StorageUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`could not save the change (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); nothing was changed, retry later`);
  }
}

export interface OpenOptions {
  /** Replay every intact journal line over damage and gaps (and a backup for a corrupt snapshot), moving the damaged files aside. */
  recover?: boolean;
  /** Told of things worth a line in the log (a data dir that had to be made private). */
  warn?: (message: string) => void;
  /** Where the backup made before an upgrade goes (default DIR/backups). */
  backupDir?: string;
  /** Journal size past which a commit starts a full snapshot (default: the snapshot's own size, at least 4 MB; tests make it small). */
  snapshotAfterBytes?: number;
  /** False: background snapshots too are written from memory, as when a journal write failed (tests of that path). */
  snapshotFromFiles?: boolean;
}

/**
 * Changes made inside `store.transaction()`: the state of each record before its first change (the
 * live object and a copy of it), the list entries added, and the staff list before any change. When
 * the write that carries them fails, they are put back.
 */
interface Txn {
  before: Map<string, { map: MapName; id: string; live: unknown; copy: unknown }>;
  appended: { list: ListName; entry: unknown }[];
  staff: Data['staff'] | null;
  /** onPut listeners wait until the record is on disk: derived figures never count an undone record. */
  puts: [MapName, unknown][];
  /** data.seq when it began and ended: the numbers it took are given back if nobody took one since. */
  seq: [number, number];
}

const FILE = 'ringback.json';
/**
 * Past this much journal (or as much as the snapshot itself holds, if more), the next commit also writes a fresh
 * snapshot in the background. A snapshot rewrites the whole hot file: taken when the journal has grown as large,
 * its cost per change stays the same however large the hot data is, and a start replays at most about that much.
 */
const SNAPSHOT_AFTER_BYTES = 4 * 1024 * 1024;

/**
 * The relay's durable state: a lowdb snapshot plus an append-only journal, one writer, group commit.
 * Code changes records in memory and says which (`put`, `touch`, `append`, `staffChanged`); `commit()`
 * resolves once they are on disk. Commits that arrive while a journal append is in flight join the
 * next one, so a burst of webhooks costs one small append and one fdatasync (reliability.md L-2).
 * The full lowdb file is rewritten only now and then, off the webhook path.
 */
export class Store {
  private scheduled = false;
  private writing = false;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private dirty = new Map<string, [MapName, string]>();
  private listMarks: Record<ListName, number>;
  private staffDirty = false;
  private dropped: Partial<Record<ListName, number>> = {};
  private seqChanged = false;
  private batch: number;
  private covered: JournalWriter[] = [];
  /** The last batch in the closed journals (`covered`). */
  private coveredThrough = 0;
  private snapshotting: Promise<void> | null = null;
  /** Bytes of the current journal that are on disk, as of durableSeq. */
  private durableBytes = 0;
  /** Live backups copying the files: no snapshot replaces ringback.json and no archiving rewrites a month meanwhile. */
  private holds = 0;
  private holdWaiters: (() => void)[] = [];
  /** Archiving in progress: a hold waits for it, so a backup never sees half of it. */
  private fileWork: Promise<void> | null = null;
  /** Set by tests; otherwise the larger of SNAPSHOT_AFTER_BYTES and the last snapshot's size. */
  private snapshotAfterBytes: number | null = null;
  private snapshotBytes = 0;
  /** Journal writes that failed so far: a snapshot spanning one is abandoned. */
  private failures = 0;
  /** `failures` as of the last snapshot: when it moved, the closed journals may hold a line that was undone. */
  private failuresAtSnapshot = 0;
  private txn: Txn | null = null;
  /** Transactions that ended since the last batch was taken: they ride on the next one. */
  private ended: Txn[] = [];
  /** Records created but not yet on disk (in no batch, or in the one being written). */
  private unborn = new Set<string>();
  /** Snapshots written so far: made from the files by the compactor, or from memory. */
  readonly snapshots = { fromFiles: 0, fromMemory: 0 };
  private snapshotFromFiles = true;
  private warn: ((message: string) => void) | undefined;
  /** What a recovering open did (`ringback recover` prints it). */
  recovery: string[] = [];
  /** The highest seq known to be on disk: changes up to it may be announced to clients. */
  durableSeq: number;
  /** False after a failed write, until a write succeeds again. */
  healthy = true;

  private constructor(
    private readonly db: Low<Data>,
    readonly dir: string,
    private journal: JournalWriter,
    private readonly unlock: () => Promise<void>,
  ) {
    this.batch = db.data.batch;
    this.durableSeq = db.data.seq;
    this.listMarks = { consent: db.data.consent.length, audit: db.data.audit.length };
  }

  get data(): Data {
    return this.db.data;
  }

  static async open(dir: string, opts: OpenOptions = {}): Promise<Store> {
    try {
      return await Store.openDir(dir, opts);
    } catch (e) {
      throw unwritable(dir, e) ?? e;
    }
  }

  private static async openDir(dir: string, opts: OpenOptions): Promise<Store> {
    await privateDir(dir, opts.warn);
    await privateDir(path.join(dir, 'backups'), opts.warn);
    await privateFiles(path.join(dir, 'backups'), opts.warn);
    if (await stat(path.join(dir, 'archive')).then((st) => st.isDirectory(), () => false)) {
      await privateDir(path.join(dir, 'archive'), opts.warn);
      await privateFiles(path.join(dir, 'archive'), opts.warn);
    }
    const unlock = await lockDataDir(dir);
    try {
      const file = path.join(dir, FILE);
      const aside = path.join(dir, `damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      const report: string[] = [];
      // steno's temp file from a snapshot that was cut short; the real file is intact (rename is atomic).
      await rm(path.join(dir, `.${FILE}.tmp`), { force: true });
      const db = new Low<Data>(new DataFile<Data>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), emptyData());
      if (opts.recover) await restoreBackup(dir, file, aside, report);
      try {
        await db.read();
      } catch (e) {
        throw new CorruptDataError(await corruptMessage(dir, file, e));
      }
      const versionRead = (db.data as { version?: unknown }).version;
      const existed = await stat(file).then(() => true, () => false);
      await upgrade(dir, db.data, opts.backupDir ?? path.join(dir, 'backups'));
      if (!checkShape(db.data)) throw new CorruptDataError(await corruptMessage(dir, file, new Error('unexpected shape')));
      detachMaps(db.data);
      db.data.batch ??= 0;
      const journals = await listJournals(dir);
      const lines: JournalLine[] = [];
      for (const j of journals) lines.push(...(await readJournal(j.file)));
      const snapshotBatch = db.data.batch;
      const { replay, losses } = planReplay<Batch>(snapshotBatch, lines);
      if (losses.length > 0 && !opts.recover) throw new CorruptDataError(journalMessage(dir, snapshotBatch, losses, lines.length));
      for (const batch of replay) apply(db.data, batch);
      // Start clean: everything replayed (or migrated) goes into a fresh snapshot, then the old journals go.
      // A snapshot that already holds everything is not rewritten: a start does not pay for the whole file.
      if (replay.length > 0 || !existed || db.data.version !== versionRead || opts.recover) {
        await writeSnapshot(file, db.data, { sliceMs: Infinity });
      }
      await privateFile(file);
      if (opts.recover && (losses.length > 0 || report.length > 0)) {
        await mkdir(aside, { recursive: true, mode: 0o700 });
        for (const j of journals) await rename(j.file, path.join(aside, path.basename(j.file)));
        report.push(...losses.map((l) => `lost ${describeLoss(l)}`));
        report.push(`replayed ${replay.length} intact journal lines; the journals are kept in ${aside}`);
      } else {
        for (const j of journals) await rm(j.file, { force: true });
      }
      const journal = await JournalWriter.open(dir, (journals.at(-1)?.n ?? 0) + 1);
      const store = new Store(db, dir, journal, unlock);
      if (opts.snapshotAfterBytes !== undefined) store.snapshotAfterBytes = opts.snapshotAfterBytes;
      store.snapshotFromFiles = opts.snapshotFromFiles ?? true;
      store.snapshotBytes = (await stat(file)).size;
      store.recovery = report;
      store.warn = opts.warn;
      return store;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  /** Told of every record put (not deleted): the history index keeps up through it. */
  readonly onPut: ((map: MapName, value: unknown) => void)[] = [];
  /** Told of every change to a record or list, so caches derived from the data can drop what is stale. */
  readonly onChange: ((map: MapName | ListName, id: string | null) => void)[] = [];

  /**
   * Run a synchronous command as one unit: if the write that carries its changes fails, they are undone
   * (records as before, list entries removed, creations forgotten), so a failed command did nothing.
   * Inside it, records are changed in place only after `edit()` (or replaced with `put()`).
   */
  transaction<T>(fn: () => T): T {
    if (this.txn) return fn();
    const txn: Txn = { before: new Map(), appended: [], staff: null, puts: [], seq: [this.db.data.seq, this.db.data.seq] };
    this.txn = txn;
    try {
      return fn();
    } finally {
      this.txn = null;
      txn.seq[1] = this.db.data.seq;
      // Whatever was edited is journaled, also where the code changed it in place and forgot to say so.
      for (const { map, id } of txn.before.values()) this.touch(map, id);
      this.ended.push(txn);
    }
  }

  /** The record, to be changed in place: inside a transaction, its state is kept first and it is journaled at the end (outside one, `touch` it). */
  edit<M extends MapName>(map: M, id: string): RecordOf<M> | undefined {
    const value = own(this.db.data[map] as Record<string, RecordOf<M>>, id);
    this.keep(map, id, value);
    return value;
  }

  private keep(map: MapName, id: string, live: unknown): void {
    const k = `${map}\u0000${id}`;
    if (!this.txn || this.txn.before.has(k)) return;
    this.txn.before.set(k, { map, id, live, copy: live === undefined ? undefined : structuredClone(live) });
  }

  /** Set (or, with undefined, delete) a record; it is journaled with the next commit. */
  put<M extends MapName>(map: M, id: string, value: RecordOf<M> | undefined): void {
    const table = this.db.data[map] as Record<string, RecordOf<M>>;
    this.keep(map, id, own(table, id));
    if (value === undefined) delete table[id];
    else {
      const k = `${map}\u0000${id}`;
      if (own(table, id) === undefined && !this.dirty.has(k)) this.unborn.add(k);
      setOwn(table, id, value);
      if (this.txn) this.txn.puts.push([map, value]);
      else for (const listener of this.onPut) listener(map, value);
    }
    this.touch(map, id);
  }

  /** A record was changed in place. */
  touch(map: MapName, id: string): void {
    this.dirty.set(`${map}\u0000${id}`, [map, id]);
    for (const listener of this.onChange) listener(map, id);
  }

  /** False while a record created in memory has not been written yet: nothing may act on it outside (a send). */
  onDisk(map: MapName, id: string): boolean {
    return !this.unborn.has(`${map}\u0000${id}`);
  }

  append<L extends ListName>(list: L, entry: Data[L][number]): void {
    (this.db.data[list] as Data[L][number][]).push(entry);
    this.txn?.appended.push({ list, entry });
    for (const listener of this.onChange) listener(list, null);
  }

  /** The staff list changed (it is journaled whole); inside a transaction, say so before changing it. */
  staffChanged(): void {
    if (this.txn && !this.txn.staff) this.txn.staff = structuredClone(this.db.data.staff);
    this.staffDirty = true;
  }

  /** Drop the oldest `count` entries of a list (they were archived); journaled with the next commit. */
  dropHead(list: ListName, count: number): void {
    if (count <= 0) return;
    this.db.data[list].splice(0, count);
    this.listMarks[list] -= count;
    this.dropped[list] = (this.dropped[list] ?? 0) + count;
    for (const listener of this.onChange) listener(list, null);
  }

  nextSeq(): number {
    this.seqChanged = true;
    return ++this.db.data.seq;
  }

  private hasChanges(): boolean {
    return (
      this.dirty.size > 0 ||
      this.staffDirty ||
      this.seqChanged ||
      Object.keys(this.dropped).length > 0 ||
      LISTS.some((l) => this.db.data[l].length !== this.listMarks[l])
    );
  }

  /** Resolves when everything changed so far is on disk; rejects if that write fails. */
  commit(): Promise<void> {
    if (!this.writing && !this.scheduled && !this.hasChanges()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    // setImmediate lets every webhook handled in this turn of the event loop join the same append.
    setImmediate(() => void this.flush());
  }

  private takeBatch(): { batch: Batch; txns: Txn[]; born: string[]; undo: () => void } {
    const data = this.db.data;
    const txns = this.ended;
    this.ended = [];
    const dirty = this.dirty;
    const marks = { ...this.listMarks };
    const staffDirty = this.staffDirty;
    const seqChanged = this.seqChanged;
    const batch: Batch = { b: this.batch + 1, seq: data.seq, p: [], a: {} };
    const dropped = this.dropped;
    this.dropped = {};
    if (Object.keys(dropped).length > 0) batch.d = dropped;
    for (const [map, id] of dirty.values()) batch.p.push([map, id, own(data[map] as Record<string, unknown>, id) ?? null]);
    for (const list of LISTS) {
      if (data[list].length > marks[list]) batch.a[list] = { from: marks[list], items: data[list].slice(marks[list]) };
      this.listMarks[list] = data[list].length;
    }
    if (staffDirty) batch.staff = data.staff;
    const born = [...dirty.keys()].filter((k) => this.unborn.has(k));
    this.dirty = new Map();
    this.staffDirty = false;
    this.seqChanged = false;
    const undo = () => {
      // The write failed: these changes are still only in memory, so they go into the next attempt.
      for (const [k, v] of dirty) if (!this.dirty.has(k)) this.dirty.set(k, v);
      for (const list of LISTS) this.listMarks[list] = Math.min(this.listMarks[list], marks[list]);
      this.staffDirty ||= staffDirty;
      this.seqChanged ||= seqChanged;
      for (const [list, n] of Object.entries(dropped) as [ListName, number][]) this.dropped[list] = (this.dropped[list] ?? 0) + n;
    };
    return { batch, txns, born, undo };
  }

  /** The write that carried these transactions failed: put back what they changed, newest first. */
  private rollBack(txns: Txn[]): void {
    const data = this.db.data;
    for (const txn of [...txns].reverse()) {
      for (const { map, id, live, copy } of [...txn.before.values()].reverse()) {
        const table = data[map] as Record<string, unknown>;
        const k = `${map}\u0000${id}`;
        if (live === undefined) {
          delete table[id];
          this.unborn.delete(k);
        } else {
          // In place: whoever holds the object (indexes, pending announcements) sees the old state.
          const obj = live as Record<string, unknown>;
          for (const key of Object.keys(obj)) if (!(key in (copy as object))) delete obj[key];
          Object.assign(obj, copy);
          setOwn(table, id, obj);
        }
        for (const listener of this.onChange) listener(map, id);
      }
      for (const { list, entry } of txn.appended) {
        const arr = data[list] as unknown[];
        const i = arr.lastIndexOf(entry);
        if (i >= 0) arr.splice(i, 1);
        for (const listener of this.onChange) listener(list, null);
      }
      if (txn.staff) data.staff = txn.staff;
      if (data.seq === txn.seq[1]) data.seq = txn.seq[0];
    }
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.writing = true;
    const waiters = this.waiters;
    this.waiters = [];
    const { batch, txns, born, undo } = this.takeBatch();
    try {
      await this.journal.append(JSON.stringify(batch));
    } catch (e) {
      // Commands that ran since, on top of these changes, cannot stand either: they fail with them.
      const later = this.ended;
      this.ended = [];
      this.rollBack([...txns, ...later]);
      undo();
      this.healthy = false;
      this.failures++;
      const err = new StorageUnavailableError(e);
      for (const w of [...waiters, ...this.waiters.splice(0)]) w.reject(err);
      this.writing = false;
      return;
    }
    this.batch = batch.b;
    this.healthy = true;
    this.durableSeq = batch.seq;
    this.durableBytes = this.journal.bytes;
    for (const k of born) this.unborn.delete(k);
    for (const w of waiters) w.resolve();
    try {
      for (const txn of txns) for (const [map, value] of txn.puts) for (const listener of this.onPut) listener(map, value);
      // A journal that cannot be opened now is tried again at the next commit; this one goes on.
      const after = this.snapshotAfterBytes ?? Math.max(SNAPSHOT_AFTER_BYTES, this.snapshotBytes);
      if (this.journal.bytes > after && !this.snapshotting && this.holds === 0) await this.rotate().catch(() => {});
    } finally {
      this.writing = false;
      if (this.waiters.length > 0) this.schedule();
    }
  }

  /**
   * Start a new journal, then write the full snapshot in the background. The snapshot is taken now,
   * between appends, so it holds at least every journaled batch; later batches replay on top of it.
   */
  private rotate(): Promise<void> {
    const opening = JournalWriter.open(this.dir, this.journal.n + 1).then((next) => {
      this.covered.push(this.journal);
      this.coveredThrough = this.batch;
      this.journal = next;
      this.durableBytes = 0;
    });
    // Marked at once, before the new journal is open: a hold taken meanwhile waits for the whole rotation.
    this.snapshotting = opening.then(() => this.snapshot(), () => {}).finally(() => (this.snapshotting = null));
    return opening;
  }

  /**
   * The full file for the journals rotation closed. In the background it is made from the files by a child
   * process (compact.ts) while no journal write has failed since the last snapshot; otherwise, and when that
   * fails, and at close, it is written from memory.
   */
  private async snapshot(sliceMs = 4): Promise<void> {
    const covered = [...this.covered];
    const failures = this.failures;
    const file = path.join(this.dir, FILE);
    try {
      if (sliceMs === Infinity || !this.snapshotFromFiles || failures !== this.failuresAtSnapshot) throw new Error('from memory');
      this.snapshotBytes = await compactFromFiles({ file, journals: covered.map((j) => j.file), batch: this.coveredThrough });
      this.snapshots.fromFiles++;
    } catch (e) {
      if (sliceMs !== Infinity && this.snapshotFromFiles && failures === this.failuresAtSnapshot) this.warn?.(`the snapshot was written from memory: making it from the files failed (${(e as Error).message})`);
      if (!(await this.snapshotFromMemory(sliceMs))) return;
    }
    await privateFile(file).catch(() => {});
    for (const j of covered) await j.remove();
    this.covered = this.covered.filter((j) => !covered.includes(j));
    this.failuresAtSnapshot = failures;
  }

  /**
   * The full file written a slice at a time between webhooks. It says it holds batches up to the one
   * journaled last before it began; records changed meanwhile may be written newer than that, so before it
   * replaces the old file every change made so far is journaled (and replays over it to the same state).
   * A failed write meanwhile (its changes were rolled back in memory) abandons it. False when abandoned.
   */
  private async snapshotFromMemory(sliceMs: number): Promise<boolean> {
    const failures = this.failures;
    this.db.data.batch = this.batch;
    try {
      this.snapshotBytes = await writeSnapshot(path.join(this.dir, FILE), this.db.data, {
        override: { batch: this.batch },
        sliceMs,
        beforeRename: async () => {
          await this.commit();
          if (this.failures !== failures) throw new Error('a journal write failed during the snapshot');
        },
      });
      this.snapshots.fromMemory++;
      return true;
    } catch {
      // The journals stay, so nothing is lost; the next rotation tries again.
      await rm(path.join(this.dir, `.${FILE}.tmp`), { force: true }).catch(() => {});
      return false;
    }
  }

  /** The full snapshot being written in the background, if one is. */
  get snapshotInProgress(): Promise<void> | null {
    return this.snapshotting;
  }

  /**
   * Keep the data dir's files as they are until the returned release is called: no snapshot rotation (the
   * journal keeps growing instead) and no archiving. Waits for a snapshot or archiving in progress first, so
   * the files then hold one consistent state: ringback.json plus the journals up to `durableFiles()`.
   */
  async holdFiles(): Promise<() => void> {
    while (this.snapshotting || this.fileWork) await Promise.allSettled([this.snapshotting, this.fileWork]);
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) for (const w of this.holdWaiters.splice(0)) w();
    };
  }

  private async unheld(): Promise<void> {
    while (this.holds > 0) await new Promise<void>((resolve) => this.holdWaiters.push(resolve));
  }

  /** Run work that rewrites files a backup copies (archiving) once no hold is on, keeping new holds off meanwhile. */
  async fileWorkWhenUnheld<T>(fn: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.unheld();
      if (!this.fileWork) break;
      await this.fileWork;
    }
    let end!: () => void;
    this.fileWork = new Promise<void>((resolve) => (end = resolve));
    try {
      return await fn();
    } finally {
      this.fileWork = null;
      end();
    }
  }

  /** The journals and how much of each is on disk, and the seq they reach: with ringback.json, everything acknowledged. */
  durableFiles(): { journals: { file: string; bytes: number }[]; seq: number } {
    return {
      journals: [...this.covered.map((j) => ({ file: j.file, bytes: j.bytes })), { file: this.journal.file, bytes: this.durableBytes }],
      seq: this.durableSeq,
    };
  }

  /** Save everything into one snapshot and let the data dir go. */
  async close(): Promise<void> {
    await this.commit().catch(() => {});
    await this.snapshotting;
    await this.unheld();
    this.covered.push(this.journal);
    // Nothing else runs now: all at once is quickest.
    await this.snapshot(Infinity);
    await this.unlock();
  }
}

/** Older data: back the data dir up as it is, then migrate in memory (the caller writes the snapshot). */
async function upgrade(dir: string, data: unknown, backupDir: string): Promise<void> {
  let from: number;
  try {
    from = dataVersionOf(data);
  } catch (e) {
    if (e instanceof NewerDataError) throw new CorruptDataError(e.message);
    return; // no valid version: checkShape refuses it with the usual message
  }
  if (from === DATA_VERSION) return;
  try {
    await backupBeforeUpgrade(dir, backupDir, from);
  } catch (e) {
    throw new CorruptDataError(`refusing to upgrade the data in ${dir} (version ${from} to ${DATA_VERSION}): the backup before it failed (${(e as Error).message})`);
  }
  migrate(data as Record<string, unknown>);
}

async function corruptMessage(dir: string, file: string, cause: unknown): Promise<string> {
  const names = await readdir(path.join(dir, 'backups')).catch(() => [] as string[]);
  const archive = names.filter((f) => /^ringback-.*\.tar\.gz$/.test(f)).sort().at(-1);
  const newest = archive ?? names.filter((f) => f.endsWith('.json')).sort().at(-1);
  const hint = newest
    ? `To start from the newest good backup (${path.join(dir, 'backups', newest)}) with every intact journal line replayed on top of it, run: ringback recover --data-dir ${dir} (the damaged file and the journals are moved aside, not deleted).` +
      (archive ? ` Or restore the backup alone into an empty dir: ringback restore ${path.join(dir, 'backups', archive)} --data-dir NEW_DIR` : '')
    : 'There is no backup to restore.';
  return `refusing to start: ${file} is not valid Ringback data (${(cause as Error).message}). Starting empty would lose the opt-out list. ${hint}`;
}

/**
 * The data as it is on disk, without the lock and without writing anything: for tools that only read
 * while a relay runs (`staff list`, `config check`). The relay may rewrite its snapshot and delete the
 * journals it covers meanwhile; a gap in the batch numbers shows that, and the read starts over.
 */
export async function readDataReadOnly(dir: string, attempts = 5): Promise<Data> {
  await readdir(dir); // no data dir: ENOENT, told apart from a journal vanishing below
  for (let i = 0; i < attempts; i++) {
    const file = path.join(dir, FILE);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') data = emptyData();
      else if (i < attempts - 1) continue; // caught mid-rename: read again
      else throw new CorruptDataError(await corruptMessage(dir, file, e));
    }
    try {
      if (dataVersionOf(data) < DATA_VERSION) migrate(data as Record<string, unknown>);
    } catch (e) {
      if (e instanceof NewerDataError) throw new CorruptDataError(e.message);
    }
    if (!checkShape(data)) throw new CorruptDataError(await corruptMessage(dir, file, new Error('unexpected shape')));
    data.batch ??= 0;
    detachMaps(data);
    let gap = false;
    try {
      const lines: JournalLine[] = [];
      for (const j of await listJournals(dir)) lines.push(...(await readJournal(j.file)));
      const { replay, losses } = planReplay<Batch>(data.batch, lines);
      // Damage is not a race with the relay: say so as the relay would. A bare gap may be a snapshot replacing journals.
      if (losses.some((l) => l.damaged.length > 0)) throw new CorruptDataError(journalMessage(dir, data.batch, losses, lines.length));
      gap = losses.length > 0;
      for (const batch of replay) apply(data, batch);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      gap = true; // a journal was deleted under us: a newer snapshot covers it
    }
    if (!gap) return data;
  }
  throw new Error(`the data in ${dir} kept changing while it was read; try again`);
}

/** Ringback data read from a file (older versions migrated in memory), or null when it does not read as such. */
async function readData(file: string): Promise<Data | null> {
  return readFile(file, 'utf8').then(parseData, () => null);
}


/** Recovery over a damaged snapshot: it moves aside, and the newest backup that reads well takes its place. */
async function restoreBackup(dir: string, file: string, aside: string, report: string[]): Promise<void> {
  if (await readData(file)) return;
  const folder = path.join(dir, 'backups');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((f) => f.endsWith('.json') || f.endsWith('.tar.gz'));
  const dated = await Promise.all(names.map(async (name) => ({ name, at: (await stat(path.join(folder, name))).mtimeMs })));
  for (const { name } of dated.sort((a, b) => b.at - a.at)) {
    const backup = path.join(folder, name);
    // A backup archive is verified whole before its state (snapshot and its own journals) is used; an old plain copy must read as data.
    const body = name.endsWith('.tar.gz') ? await backupState(backup).catch(() => undefined) : await readFile(backup);
    if (!body || !parseData(body.toString('utf8'))) continue;
    await mkdir(aside, { recursive: true, mode: 0o700 });
    await rename(file, path.join(aside, FILE));
    await writeFile(file, body, { mode: 0o600 });
    report.push(`${file} was unreadable; started from the backup ${backup} (moved the damaged file to ${aside})`);
    return;
  }
  // No good backup: the start below refuses with the usual message.
}

/** The state a backup file holds: its snapshot with its journals replayed, as JSON (read as a stream, months not kept). */
async function backupState(file: string): Promise<Buffer | undefined> {
  const { files } = await readBackup(createReadStream(file), { keep: (name) => !name.startsWith('archive/'), partsBase: null });
  const snapshot = files.find((f) => f.name === FILE);
  const data = snapshot && parseData(snapshot.body.toString('utf8'));
  if (!data) return undefined;
  const journals = files.filter((f) => f.name.startsWith(JOURNAL_PREFIX)).sort((a, b) => Number(a.name.slice(JOURNAL_PREFIX.length)) - Number(b.name.slice(JOURNAL_PREFIX.length)));
  if (journals.length === 0) return snapshot.body;
  data.batch ??= 0;
  detachMaps(data);
  const lines = journals.flatMap((j) => parseJournal(j.body.toString('utf8'), j.name));
  for (const batch of planReplay<Batch>(data.batch, lines).replay) apply(data, batch);
  return Buffer.from(JSON.stringify(data));
}

function describeLoss(l: JournalLoss): string {
  const batches = l.from === l.to ? `batch ${l.from}` : `batches ${l.from}–${l.to}`;
  const damaged = l.damaged.map((d) => `${path.basename(d.file)} line ${d.line}`).join(', ');
  return `${batches} (${damaged ? `damaged: ${damaged}; ` : ''}the journal resumes at ${path.basename(l.resumesAt.file)} line ${l.resumesAt.line})`;
}

function journalMessage(dir: string, snapshotBatch: number, losses: JournalLoss[], lines: number): string {
  const damaged = losses.reduce((n, l) => n + l.damaged.length, 0);
  const out = [`refusing to start: acknowledged changes are missing from the journal in ${dir}, and starting would drop them silently.`];
  for (const l of losses) {
    out.push(`  - missing ${describeLoss(l)}`);
    if (l.damaged.length === 0 && l.from === snapshotBatch + 1) {
      out.push(`    ${FILE} holds batches up to ${snapshotBatch}: is it older than the journals (copied back from a backup)? If the newer ${FILE} still exists, put it back instead.`);
    }
  }
  out.push(
    `The other ${lines - damaged} journal lines are intact. To start with ${FILE} plus every intact line (opt-outs included), leaving out only what is listed above, run:`,
    `  ringback recover --data-dir ${dir}`,
    'It moves the journals aside to a damaged-<time> folder in the data dir (nothing is deleted) and prints what was lost.',
  );
  return out.join('\n');
}

const REASONS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** A data dir the relay cannot write, as one plain sentence; null for any other error. */
export function unwritable(dir: string, e: unknown): DataDirError | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (!code || !REASONS[code]) return null;
  const fix =
    code === 'EROFS'
      ? 'mount it read-write, or set RINGBACK_DATA_DIR to a writable directory'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free some space on its disk'
        : `give the user running Ringback (uid ${process.getuid?.() ?? '?'}) write access to it, or set RINGBACK_DATA_DIR to a directory it owns`;
  const where = (e as NodeJS.ErrnoException).path;
  return new DataDirError(`cannot write the data dir ${dir} (${code}: ${REASONS[code]}${where && where !== dir ? ` at ${where}` : ''}) — ${fix}`);
}
