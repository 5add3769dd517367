import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { apply, checkShape, type Batch } from './batch.js';
import { detachMaps } from './data.js';
import { planReplay, readJournal, type JournalLine } from './journal.js';
import { writeSnapshot } from './snapshot-file.js';

/** What the store asks of a compaction: see compact.ts. */
export interface CompactJob {
  dir: string;
  file: string;
  journals: string[];
  batch: number;
}

// On Linux the nice value is the thread's own: the webhooks on the main thread go first, and under a
// machine busy for long the compaction still gets about a tenth of a core (at 19 it could starve).
try {
  setPriority(10);
} catch {
  // Not permitted here: it runs at the relay's priority.
}

const job = workerData as CompactJob;
try {
  const data: unknown = JSON.parse(await readFile(job.file, 'utf8'));
  if (!checkShape(data)) throw new Error(`${path.basename(job.file)} does not read as this release's data`);
  data.batch ??= 0;
  detachMaps(data);
  const lines: JournalLine[] = [];
  for (const j of job.journals) lines.push(...(await readJournal(j)));
  const { replay, losses } = planReplay<Batch>(data.batch, lines);
  if (losses.length > 0) throw new Error(`the journals miss batches ${losses.map((l) => `${l.from}–${l.to}`).join(', ')}`);
  for (const batch of replay) apply(data, batch);
  // The file must end exactly where the journal that goes on begins.
  if (data.batch !== job.batch) throw new Error(`the journals end at batch ${data.batch}, not ${job.batch}`);
  const bytes = await writeSnapshot(job.file, data, { sliceMs: Infinity });
  parentPort!.postMessage({ bytes });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
