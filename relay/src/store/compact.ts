import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompactJob } from './compact-worker.js';

/**
 * A new ringback.json made from the files alone, on a worker thread at the lowest CPU priority: the old
 * snapshot with the closed journals replayed over it, exactly what a start would read. The webhooks' thread
 * neither serializes the hot data nor collects the garbage that makes. Resolves with the bytes written;
 * rejects (the old file untouched) when the files do not replay to `batch`.
 */
export function compactInWorker(job: CompactJob): Promise<number> {
  const [entry, options] = workerEntry();
  const worker = new Worker(entry, { ...options, workerData: job });
  return new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { bytes?: number; error?: string }) => (m.error === undefined ? resolve(m.bytes!) : reject(new Error(m.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the compaction worker exited (${code})`)));
  }).finally(() => void worker.terminate());
}

/** The worker's module beside this one: compact-worker.js in the built relay, the .ts (loaded through tsx) from source. */
function workerEntry(): [string | URL, { eval?: boolean }] {
  const ext = path.extname(new URL(import.meta.url).pathname);
  const url = new URL(`./compact-worker${ext}`, import.meta.url);
  if (ext === '.js') return [url, {}];
  return [`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`, { eval: true }];
}
