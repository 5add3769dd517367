import { LISTS, MAPS } from '../store/batch.js';
import type { Data } from '../store/data.js';
import { readDataReadOnly } from '../store/store.js';

/**
 * Where the data on disk (snapshot plus journals, as a start after kill -9 reads it) differs from the live
 * data: a change made in memory and never journaled. Empty when they agree. Background snapshots are made
 * from the files, so such a change would be lost at the next crash.
 */
export async function unjournaled(dir: string, live: Data): Promise<string[]> {
  const disk = await readDataReadOnly(dir);
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const map of MAPS) {
    const a = live[map] as Record<string, unknown>;
    const b = disk[map] as Record<string, unknown>;
    for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!same(a[id], b[id])) out.push(`${map}/${id}: live ${JSON.stringify(a[id])?.slice(0, 300)} disk ${JSON.stringify(b[id])?.slice(0, 300)}`);
    }
  }
  for (const list of LISTS) if (!same(live[list], disk[list])) out.push(`${list}: ${live[list].length} live entries, ${disk[list].length} on disk`);
  for (const key of ['seq', 'staff', 'version'] as const) if (!same(live[key], disk[key])) out.push(`${key} differs`);
  return out;
}
