import { archiveResolved, hotFrom, type ArchiveOptions } from '../store/archive.js';
import type { Store } from '../store/store.js';
import type { HourFacts } from './cold-facts.js';
import { countHours } from './facts-hours.js';
import { monthOf } from './facts-file.js';
import type { History } from './history.js';
import type { Queries } from './queries.js';

const DAY = 86_400_000;
/** Work done per turn of the event loop while days are counted. */
const SLICE_MS = 20;

/**
 * Close the days before the hot window, then archive what only history needs. Each closed day's facts
 * are kept first (archive/facts), counted while its records are all still hot, so archiving never takes
 * away a record of a day whose facts are not kept. When nothing usable is kept (first start of this
 * release, a new shape of facts, other locations or time zones), every day is counted once from the raw
 * months. Returns how many threads were archived.
 */
export async function closeDays(store: Store, queries: Queries, history: History, now: Date, opts: ArchiveOptions = {}): Promise<number> {
  const cold = queries.cold!;
  const target = hotFrom(now, opts.olderThanDays);
  const keys = queries.factKeys();
  const names = keys.map((k) => k.key);
  const kept = await cold.load(names);
  // Nothing usable kept but months archived: each month of days is counted from the raw months holding it
  // (Queries.rawHistory), so a recount of years holds a few months in memory, never all of them.
  const reader = !kept && queries.archive && (await queries.archive.months()).length > 0 ? queries.archive : null;
  const archivedFrom = reader ? await reader.firstMonth() : undefined;
  const hot = history.extent();
  const extent = archivedFrom === undefined ? hot : { first: Math.min(Date.parse(`${archivedFrom}-01T00:00:00Z`), hot?.first ?? Infinity) };
  const firstDay = Math.min(extent ? Math.floor(extent.first / DAY) * DAY : target, target);
  const first = kept ? Math.min(cold.first, firstDay) : firstDay;
  const from = kept ? cold.through : first;
  if ((!kept && extent) || (kept && from < target)) {
    if (reader) cold.recounting = true;
    // A month at a time, so a recount of years never holds every hour in memory.
    let hours: HourFacts = new Map();
    let source = history;
    let sourceMonth = '';
    let turn = performance.now();
    for (let day = from; day < target; day += DAY) {
      if (reader && monthOf(day) !== sourceMonth) {
        sourceMonth = monthOf(day);
        const d = new Date(day);
        source = await queries.rawHistory(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
      }
      hours.set(day, countHours(queries, source, day, keys));
      if (performance.now() - turn >= SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        turn = performance.now();
      }
      if (day + DAY < target && monthOf(day + DAY) !== monthOf(day)) {
        await cold.keep(hours, first, day + DAY, names);
        hours = new Map();
      }
    }
    await cold.keep(hours, first, Math.max(target, from), names);
  }
  cold.recounting = false;
  history.coldBefore = cold.through;
  const archived = await archiveResolved(store, now, opts);
  history.reload();
  queries.archive?.forget();
  return archived;
}
