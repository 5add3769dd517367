import type { ArchiveReader } from '../store/archive-reader.js';
import type { ArchiveMonth } from '../store/archive.js';

type Tables = Pick<ArchiveMonth, 'threads' | 'calls' | 'messages'>;

/**
 * Every record of one kind, archived months first (oldest first, one month in memory at a time), then
 * the hot data; each part in time order.
 */
export async function* allRecords<K extends keyof Tables>(
  hot: Tables,
  archive: ArchiveReader | null,
  kind: K,
  at: (r: Tables[K][string]) => string,
): AsyncIterable<Tables[K][string]> {
  const sorted = (t: Tables[K]) => (Object.values(t) as Tables[K][string][]).sort((a, b) => at(a).localeCompare(at(b)));
  for (const month of archive ? await archive.months() : []) yield* sorted((await archive!.month(month))[kind]);
  yield* sorted(hot[kind]);
}
