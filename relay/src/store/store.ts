import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { backupBeforeUpgrade } from './backup-schedule.js';
import { detachMaps, emptyData, MAP_NAMES, type Data, type ListName, type MapName, type RecordOf } from './data.js';
import { JournalWriter, listJournals, readJournal } from './journal.js';
import { lockDataDir } from './lock.js';
import { DATA_VERSION, dataVersionOf, migrate, NewerDataError } from './migrations.js';
import { own, setOwn } from './own.js';

export class CorruptDataError extends Error {}

const FILE = 'ringback.json';
/** Past this much journal, the next commit also writes a fresh snapshot (in the background). */
const SNAPSHOT_AFTER_BYTES = 4 * 1024 * 1024;

const MAPS = MAP_NAMES;
const LISTS: readonly ListName[] = ['consent', 'audit'];

/** One journal line: the records a batch changed (null = deleted) and the list entries it added. */
interface Batch {
  b: number;
  seq: number;
  p: [MapName, string, unknown][];
  a: Partial<Record<ListName, { from: number; items: unknown[] }>>;
  staff?: Data['staff'];
}

/** Data of this release's version (older data is migrated first). */
export function checkShape(data: unknown): data is Data {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  return (
    d.version === DATA_VERSION &&
    typeof d.seq === 'number' &&
    Array.isArray(d.staff) &&
    LISTS.every((k) => Array.isArray(d[k])) &&
    MAPS.every((k) => d[k] !== null && typeof d[k] === 'object' && !Array.isArray(d[k]))
  );
}

function apply(data: Data, batch: Batch): void {
  for (const [map, id, value] of batch.p) {
    // A damaged or hostile line could name "__proto__" as a collection: only ours are written to.
    if (!MAPS.includes(map)) throw new CorruptDataError(`refusing to start: a journal line names an unknown collection "${String(map)}"`);
    const table = data[map] as Record<string, unknown>;
    if (value === null) delete table[id];
    else setOwn(table, id, value);
  }
  for (const list of LISTS) {
    const added = batch.a[list];
    if (!added) continue;
    // Replays are idempotent: the entries land at the index they were first written at.
    const arr = data[list] as unknown[];
    arr.length = Math.min(arr.length, added.from);
    arr.push(...added.items);
  }
  if (batch.staff) data.staff = batch.staff;
  data.seq = Math.max(data.seq, batch.seq);
  data.batch = batch.b;
}

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
  private seqChanged = false;
  private batch: number;
  private covered: JournalWriter[] = [];
  private snapshotting: Promise<void> | null = null;
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

  /** `backupDir` takes the backup made before an upgrade (default DIR/backups). */
  static async open(dir: string, opts: { backupDir?: string } = {}): Promise<Store> {
    await mkdir(path.join(dir, 'backups'), { recursive: true });
    const unlock = await lockDataDir(dir);
    try {
      const file = path.join(dir, FILE);
      // steno's temp file from a snapshot that was cut short; the real file is intact (rename is atomic).
      await rm(path.join(dir, `.${FILE}.tmp`), { force: true });
      const db = new Low<Data>(new DataFile<Data>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), emptyData());
      try {
        await db.read();
      } catch (e) {
        throw new CorruptDataError(await corruptMessage(dir, file, e));
      }
      await upgrade(dir, db.data, opts.backupDir ?? path.join(dir, 'backups'));
      if (!checkShape(db.data)) throw new CorruptDataError(await corruptMessage(dir, file, new Error('unexpected shape')));
      detachMaps(db.data);
      db.data.batch ??= 0;
      const journals = await listJournals(dir);
      for (const j of journals) {
        let lines: unknown[];
        try {
          lines = await readJournal(j.file);
        } catch (e) {
          throw new CorruptDataError(await corruptMessage(dir, j.file, e));
        }
        for (const line of lines as Batch[]) if (line.b > db.data.batch) apply(db.data, line);
      }
      // Start clean: everything replayed goes into a fresh snapshot, then the old journals go.
      await db.write();
      for (const j of journals) await rm(j.file, { force: true });
      const journal = await JournalWriter.open(dir, (journals.at(-1)?.n ?? 0) + 1);
      return new Store(db, dir, journal, unlock);
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  /** Told of every record put (not deleted): the history index keeps up through it. */
  readonly onPut: ((map: MapName, value: unknown) => void)[] = [];
  /** Told of every change to a record or list, so caches derived from the data can drop what is stale. */
  readonly onChange: ((map: MapName | ListName, id: string | null) => void)[] = [];

  /** Set (or, with undefined, delete) a record; it is journaled with the next commit. */
  put<M extends MapName>(map: M, id: string, value: RecordOf<M> | undefined): void {
    const table = this.db.data[map] as Record<string, RecordOf<M>>;
    if (value === undefined) delete table[id];
    else {
      setOwn(table, id, value);
      for (const listener of this.onPut) listener(map, value);
    }
    this.touch(map, id);
  }

  /** A record was changed in place. */
  touch(map: MapName, id: string): void {
    this.dirty.set(`${map}\u0000${id}`, [map, id]);
    for (const listener of this.onChange) listener(map, id);
  }

  append<L extends ListName>(list: L, entry: Data[L][number]): void {
    (this.db.data[list] as Data[L][number][]).push(entry);
    for (const listener of this.onChange) listener(list, null);
  }

  staffChanged(): void {
    this.staffDirty = true;
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

  private takeBatch(): { batch: Batch; undo: () => void } {
    const data = this.db.data;
    const dirty = this.dirty;
    const marks = { ...this.listMarks };
    const staffDirty = this.staffDirty;
    const seqChanged = this.seqChanged;
    const batch: Batch = { b: this.batch + 1, seq: data.seq, p: [], a: {} };
    for (const [map, id] of dirty.values()) batch.p.push([map, id, own(data[map] as Record<string, unknown>, id) ?? null]);
    for (const list of LISTS) {
      if (data[list].length > marks[list]) batch.a[list] = { from: marks[list], items: data[list].slice(marks[list]) };
      this.listMarks[list] = data[list].length;
    }
    if (staffDirty) batch.staff = data.staff;
    this.dirty = new Map();
    this.staffDirty = false;
    this.seqChanged = false;
    const undo = () => {
      // The write failed: these changes are still only in memory, so they go into the next attempt.
      for (const [k, v] of dirty) if (!this.dirty.has(k)) this.dirty.set(k, v);
      for (const list of LISTS) this.listMarks[list] = Math.min(this.listMarks[list], marks[list]);
      this.staffDirty ||= staffDirty;
      this.seqChanged ||= seqChanged;
    };
    return { batch, undo };
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.writing = true;
    const waiters = this.waiters;
    this.waiters = [];
    const { batch, undo } = this.takeBatch();
    try {
      await this.journal.append(JSON.stringify(batch));
      this.batch = batch.b;
      this.healthy = true;
      this.durableSeq = batch.seq;
      for (const w of waiters) w.resolve();
      if (this.journal.bytes > SNAPSHOT_AFTER_BYTES && !this.snapshotting) await this.rotate();
    } catch (e) {
      undo();
      this.healthy = false;
      for (const w of waiters) w.reject(e);
    } finally {
      this.writing = false;
      if (this.waiters.length > 0) this.schedule();
    }
  }

  /**
   * Start a new journal, then write the full snapshot in the background. The snapshot is taken now,
   * between appends, so it holds at least every journaled batch; later batches replay on top of it.
   */
  private async rotate(): Promise<void> {
    this.covered.push(this.journal);
    this.journal = await JournalWriter.open(this.dir, this.journal.n + 1);
    this.snapshotting = this.snapshot().finally(() => (this.snapshotting = null));
  }

  private async snapshot(): Promise<void> {
    const covered = [...this.covered];
    this.db.data.batch = this.batch;
    try {
      await this.db.write();
      for (const j of covered) await j.remove();
      this.covered = this.covered.filter((j) => !covered.includes(j));
    } catch {
      // The journals stay, so nothing is lost; the next rotation tries again.
      await rm(path.join(this.dir, `.${FILE}.tmp`), { force: true }).catch(() => {});
    }
  }

  /** Save everything into one snapshot and let the data dir go. */
  async close(): Promise<void> {
    await this.commit().catch(() => {});
    await this.snapshotting;
    this.covered.push(this.journal);
    await this.snapshot();
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
  const backups = (await readdir(path.join(dir, 'backups')).catch(() => [] as string[])).filter((f) => /^ringback-\d.*\.tar\.gz$/.test(f)).sort();
  const newest = backups.at(-1);
  const hint = newest
    ? `The newest backup is ${path.join(dir, 'backups', newest)}; restore it into an empty dir with: ringback restore ${path.join(dir, 'backups', newest)} --data-dir NEW_DIR`
    : 'There is no backup to restore.';
  return `refusing to start: ${file} is not valid Ringback data (${(cause as Error).message}). Starting empty would lose the opt-out list. ${hint}`;
}
