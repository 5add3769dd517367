import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompactAnswer, CompactJob } from './compactor.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A new ringback.json made from the files alone, in a child process at a lower CPU priority: the old
 * snapshot with the closed journals replayed over it, exactly what a start would read. The relay's thread
 * neither serializes the hot data nor collects the garbage that makes, and with `--single-threaded` the
 * child's collections do not run on the relay's cores at full priority either. Resolves with the bytes
 * written; rejects (the old file untouched) when the files do not replay to `batch`. The child exits when
 * the relay does.
 */
export function compactFromFiles(job: CompactJob): Promise<number> {
  // compactor.js beside the built relay; from source the .ts, through tsx (found from here, whatever the cwd).
  const ext = path.extname(fileURLToPath(import.meta.url));
  const loader = ext === '.js' ? [] : ['--import', 'tsx'];
  const child = fork(path.join(here, `compactor${ext}`), [JSON.stringify(job)], {
    cwd: here,
    execArgv: [...loader, '--single-threaded'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-2000)));
  return new Promise<number>((resolve, reject) => {
    child.once('message', (m: CompactAnswer) => ('bytes' in m ? resolve(m.bytes) : reject(new Error(m.error))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the compactor exited (${code})${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`)));
  });
}
