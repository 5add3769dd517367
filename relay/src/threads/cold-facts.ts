import { emptyFacts, type Facts } from '@ringback/shared';
import { factsMonthCurrent, monthOf, readFactsMeta, readFactsMonth, writeFactsMeta, writeFactsMonth } from './facts-file.js';
import { Lru } from './lru.js';

/** Months of kept facts held in memory (three years and a bit); older ones are read again when asked for. */
export const FACT_MONTHS_KEPT = 40;

export type DayFacts = Map<number, Map<string, Facts>>;

/**
 * The facts of the days before the hot window, kept in archive/facts/YYYY-MM.json once each day closed
 * (by UTC day, then by `location|timezone`), so figures over archived months never read raw archives.
 */
export class ColdFacts {
  /** Days before this are kept (for `keys`); later days are counted from the hot data. */
  through = -Infinity;
  first = Infinity;
  keys: string[] = [];
  private readonly months = new Lru<string, DayFacts>(FACT_MONTHS_KEPT);

  constructor(readonly dir: string) {}

  /**
   * Read what is kept. False when it cannot serve `keys` (none kept yet, another version of the facts,
   * other locations or time zones, a month file missing or of another version): then everything is counted
   * again from the raw months. Months are parsed when first asked for.
   */
  async load(keys: readonly string[]): Promise<boolean> {
    const meta = await readFactsMeta(this.dir);
    if (!meta || meta.keys.length !== keys.length || !keys.every((k) => meta.keys.includes(k))) return false;
    for (let day = meta.first; day < meta.through; ) {
      if (!(await factsMonthCurrent(this.dir, monthOf(day)))) return false;
      const d = new Date(day);
      day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    Object.assign(this, { through: meta.through, first: meta.first, keys: [...keys] });
    return true;
  }

  /** The kept facts of a day, or undefined when the day is not kept (hot, or a key not kept). */
  get(day: number, key: string): Facts | undefined {
    if (!(day < this.through) || !this.keys.includes(key)) return undefined;
    if (day < this.first) return emptyFacts();
    const month = monthOf(day);
    let m = this.months.get(month);
    if (!m) this.months.set(month, (m = readFactsMonth(this.dir, month) ?? new Map()));
    return m.get(day)?.get(key) ?? emptyFacts();
  }

  /** Keep these days' facts (each for every key), then record that days before `through` are kept. */
  async keep(days: DayFacts, first: number, through: number, keys: readonly string[]): Promise<void> {
    const byMonth = new Map<string, DayFacts>();
    for (const [day, f] of days) {
      const month = monthOf(day);
      const m = byMonth.get(month) ?? new Map();
      byMonth.set(month, m.set(day, f));
    }
    for (const [month, add] of byMonth) {
      const m = readFactsMonth(this.dir, month) ?? new Map();
      for (const [day, f] of add) m.set(day, f);
      await writeFactsMonth(this.dir, month, m);
      this.months.delete(month); // read again when asked for: a recount of every month does not stay in memory
    }
    await writeFactsMeta(this.dir, { first, through, keys: [...keys] });
    Object.assign(this, { through, first, keys: [...keys] });
  }
}
