import { MAP_NAMES, type Data, type ListName, type MapName } from './data.js';
import { DATA_VERSION, dataVersionOf, migrate } from './migrations.js';
import { setOwn } from './own.js';

/** How the hot data is laid out and how one journal line changes it: shared by the store and the compactor. */
export class CorruptDataError extends Error {}

export const MAPS = MAP_NAMES;
export const LISTS: readonly ListName[] = ['consent', 'audit'];

/** One journal line: the records a batch changed (null = deleted) and the list entries it added. */
export interface Batch {
  b: number;
  seq: number;
  p: [MapName, string, unknown][];
  a: Partial<Record<ListName, { from: number; items: unknown[] }>>;
  /** Oldest entries dropped from a list (archived), before the appends. */
  d?: Partial<Record<ListName, number>>;
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

export function apply(data: Data, batch: Batch): void {
  for (const [map, id, value] of batch.p) {
    // A damaged or hostile line could name "__proto__" as a collection: only ours are written to.
    if (!MAPS.includes(map)) throw new CorruptDataError(`refusing to start: a journal line names an unknown collection "${String(map)}"`);
    const table = data[map] as Record<string, unknown>;
    if (value === null) delete table[id];
    else setOwn(table, id, value);
  }
  for (const list of LISTS) {
    const dropped = batch.d?.[list];
    if (dropped) (data[list] as unknown[]).splice(0, dropped);
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

/** Ringback data from its JSON text (older versions migrated in memory), or null when it does not read as such. */
export function parseData(text: string): Data | null {
  try {
    const data: unknown = JSON.parse(text);
    if (dataVersionOf(data) < DATA_VERSION) migrate(data as Record<string, unknown>);
    return checkShape(data) ? data : null;
  } catch {
    return null;
  }
}
