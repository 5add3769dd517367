import { archiveMonths, readArchive, readIndex, rebuildIndex, type ArchiveIndex, type ArchiveMonth } from './archive.js';
import { own } from './own.js';
import { Lru } from '../threads/lru.js';

/** Raw months kept open at once: a thread's history or an export reads one after another. */
export const MONTHS_OPEN = 3;

/**
 * Reads archived months on demand (a thread's detail, exports, the audit log and recounts of old days),
 * keeping the last few used; nothing archived stays in memory otherwise.
 */
export class ArchiveReader {
  private readonly open = new Lru<string, Promise<ArchiveMonth>>(MONTHS_OPEN);
  private index: Promise<ArchiveIndex> | null = null;

  constructor(readonly dir: string) {}

  month(month: string): Promise<ArchiveMonth> {
    let m = this.open.get(month);
    if (!m) {
      m = readArchive(this.dir, month);
      this.open.set(month, m);
      m.catch(() => this.open.delete(month));
    }
    return m;
  }

  months(): Promise<string[]> {
    return archiveMonths(this.dir);
  }

  private where(): Promise<ArchiveIndex> {
    this.index ??= readIndex(this.dir).then((i) => i ?? rebuildIndex(this.dir));
    return this.index;
  }

  /** The month file an archived thread is in, or undefined. */
  async threadMonth(id: string): Promise<string | undefined> {
    return own((await this.where()).threads, id);
  }

  /** The first month anything archived happened in (undefined: nothing is archived). */
  async firstMonth(): Promise<string | undefined> {
    return Object.keys((await this.where()).sources).sort()[0];
  }

  /** The month files holding records that happened in the months of [from, to), oldest first. */
  async sources(from: number, to: number): Promise<string[]> {
    const { sources } = await this.where();
    const out = new Set<string>();
    for (let t = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1); t < to; t = Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth() + 1, 1)) {
      for (const m of own(sources, new Date(t).toISOString().slice(0, 7)) ?? []) out.add(m);
    }
    return [...out].sort();
  }

  /** Counts archiving runs: what was derived from the months before is stale once it moves. */
  generation = 0;

  /** The files changed (an archiving run): read them afresh. */
  forget(): void {
    this.generation++;
    this.index = null;
    for (const [k] of [...this.open.entries()]) this.open.delete(k);
  }
}
