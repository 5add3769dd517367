import { emptyFacts, mergeFacts, type Facts } from '@ringback/shared';
import { factsHoursCurrent, factsMonthCurrent, monthOf, readFactsHours, readFactsHoursSync, readFactsMeta, readFactsMonth, writeFactsHours, writeFactsMeta, writeFactsMonth, type DayHours } from './facts-file.js';
import { Lru } from './lru.js';

/** Months of kept facts held in memory (those of the days cached in Queries); others are read again when asked for. */
export const FACT_MONTHS_KEPT = 5;

const DAY = 86_400_000;

/** Months of hourly facts held in memory: the ends of the ranges asked for lately. */
export const HOUR_MONTHS_KEPT = 4;

const HOUR = 3_600_000;

export type DayFacts = Map<number, Map<string, Facts>>;
export type HourFacts = Map<number, DayHours>;

/**
 * The facts of the days before the hot window, kept in archive/facts/YYYY-MM.json once each day closed
 * (by UTC day, then by `location|timezone`), so figures over archived months never read raw archives; and
 * by UTC hour in archive/facts/YYYY-MM.hours.json, read only for a range's ends inside a closed day.
 */
export class ColdFacts {
  /** Days before this are kept (for `keys`); later days are counted from the hot data. */
  through = -Infinity;
  first = Infinity;
  keys: string[] = [];
  /**
   * Days are being counted again from the raw months (the first start after an upgrade): until that is done,
   * only the hot window's figures are known, and asking for earlier days is refused rather than answered short.
   */
  recounting = false;
  /** Told when a kept month's file no longer reads (damaged, cut short, deleted): its days are counted again. */
  onDamaged: (month: string) => void = () => {};
  private readonly months = new Lru<string, DayFacts>(FACT_MONTHS_KEPT);
  private readonly hourMonths = new Lru<string, HourFacts>(HOUR_MONTHS_KEPT);

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
      if (!(await factsMonthCurrent(this.dir, monthOf(day))) || !(await factsHoursCurrent(this.dir, monthOf(day)))) return false;
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
    if (!m) this.months.set(month, (m = this.readable(month, readFactsMonth(this.dir, month))));
    return m.get(day)?.get(key) ?? emptyFacts();
  }

  /** Read a month's hourly facts into memory (before hoursOf asks for its days). */
  async loadHours(month: string): Promise<void> {
    if (!this.hourMonths.get(month)) this.hourMonths.set(month, this.readable(month, await readFactsHours(this.dir, month)));
  }

  /** The kept facts of [from, to), whole UTC hours within one kept day, for a key: the merge of its hours. */
  hours(from: number, to: number, key: string): Facts {
    const day = Math.floor(from / DAY) * DAY;
    if (!(day < this.through) || !this.keys.includes(key) || day < this.first) return emptyFacts();
    const month = monthOf(day);
    let m = this.hourMonths.get(month);
    if (!m) this.hourMonths.set(month, (m = this.readable(month, readFactsHoursSync(this.dir, month))));
    const hours = m.get(day) ?? [];
    const parts: Facts[] = [];
    for (let h = (from - day) / HOUR; h < (to - day) / HOUR; h++) {
      const f = hours[h]?.get(key);
      if (f) parts.push(f);
    }
    return mergeFacts(parts);
  }

  /** A kept month's file as read, or (it did not read) nothing until its days are counted again. */
  private readable<T>(month: string, read: Map<number, T> | null): Map<number, T> {
    if (read) return read;
    this.onDamaged(month);
    return new Map();
  }

  /**
   * Keep these days' hourly facts (each hour for every key) and the days' facts, their merge; then record
   * that days before `through` are kept. Hours first, then days, then meta: a crash leaves the old coverage.
   */
  async keep(hours: HourFacts, first: number, through: number, keys: readonly string[]): Promise<void> {
    const byMonth = new Map<string, HourFacts>();
    for (const [day, h] of hours) {
      const month = monthOf(day);
      const m = byMonth.get(month) ?? new Map();
      byMonth.set(month, m.set(day, h));
    }
    for (const [month, add] of byMonth) {
      const kept = (await readFactsHours(this.dir, month)) ?? new Map();
      for (const [day, h] of add) kept.set(day, h);
      await writeFactsHours(this.dir, month, kept);
      this.hourMonths.delete(month);
      const m = readFactsMonth(this.dir, month) ?? new Map();
      for (const [day, h] of add) m.set(day, new Map(keys.map((k) => [k, mergeFacts(h.map((byKey) => byKey.get(k) ?? emptyFacts()))])));
      await writeFactsMonth(this.dir, month, m);
      this.months.delete(month); // read again when asked for: a recount of every month does not stay in memory
    }
    await writeFactsMeta(this.dir, { first, through, keys: [...keys] });
    Object.assign(this, { through, first, keys: [...keys] });
  }
}
