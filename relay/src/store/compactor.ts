import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import path from 'node:path';
import { apply, parseData, type Batch } from './batch.js';
import { detachMaps } from './data.js';
import { planReplay, readJournal, type JournalLine } from './journal.js';
import { writeSnapshot } from './snapshot-file.js';

/** What the store asks of a compaction: see compact.ts. */
export interface CompactJob {
  file: string;
  journals: string[];
  batch: number;
}

/** The answer sent back to the relay. */
export type CompactAnswer = { bytes: number } | { error: string };

// Started by compact.ts with --single-threaded, so its collections run here too, at the lower priority: the
// relay's thread goes first, and on a machine busy for long this still gets about a tenth of a core.
try {
  setPriority(10);
} catch {
  // Not permitted here: it runs at the relay's priority.
}
let answered = false;
// The relay is gone: whoever starts next owns the files, and nothing here may replace them.
process.on('disconnect', () => process.exit(answered ? 0 : 1));

const answer = (a: CompactAnswer) => {
  answered = true;
  process.send?.(a, () => process.disconnect());
};
try {
  const job = JSON.parse(process.argv[2] ?? '') as CompactJob;
  const data = parseData(await readFile(job.file, 'utf8'));
  if (!data) throw new Error(`${path.basename(job.file)} does not read as Ringback data`);
  data.batch ??= 0;
  detachMaps(data);
  const lines: JournalLine[] = [];
  for (const j of job.journals) lines.push(...(await readJournal(j)));
  const { replay, losses } = planReplay<Batch>(data.batch, lines);
  if (losses.length > 0) throw new Error(`the journals miss batches ${losses.map((l) => `${l.from}–${l.to}`).join(', ')}`);
  for (const batch of replay) apply(data, batch);
  // The file must end exactly where the journal that goes on begins.
  if (data.batch !== job.batch) throw new Error(`the journals end at batch ${data.batch}, not ${job.batch}`);
  const bytes = await writeSnapshot(job.file, data, {
    sliceMs: Infinity,
    beforeRename: async () => {
      if (!process.connected) throw new Error('the relay is gone');
    },
  });
  answer({ bytes });
} catch (e) {
  answer({ error: (e as Error).message });
}
