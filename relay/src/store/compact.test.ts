import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactFromFiles } from './compact.js';
import { emptyData } from './data.js';
import { encodeLine } from './journal.js';

let dir = '';
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-compact-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** A hot file big enough that rewriting it takes a while: ~20 MB. */
async function bigFile(): Promise<{ file: string; text: string; journal: string }> {
  const data = emptyData() as ReturnType<typeof emptyData> & { batch: number };
  data.batch = 7;
  for (let i = 0; i < 200_000; i++) (data.processed as Record<string, string>)[`key-${i}`] = `value ${i} ${'x'.repeat(80)}`;
  const file = path.join(dir, 'ringback.json');
  const text = JSON.stringify(data);
  await writeFile(file, text);
  // One more batch in a journal: a file made from both differs from this one.
  const journal = path.join(dir, 'ringback.journal.1');
  await writeFile(journal, `${encodeLine(JSON.stringify({ b: 8, seq: 0, p: [['processed', 'key-0', 'changed']], a: {} }))}\n`);
  return { file, text, journal };
}

/** Processes whose command line names this file (the compactor carries its job there). */
async function compactorsOf(file: string): Promise<number[]> {
  const pids: number[] = [];
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const cmd = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('compactor') && cmd.includes(file)) pids.push(Number(p));
  }
  return pids;
}

describe('the compactor', () => {
  it('replays the journals over the file; refuses files that do not end at the batch asked for, leaving the file as it was', async () => {
    const { file, text, journal } = await bigFile();
    await expect(compactFromFiles({ file, journals: [], batch: 8 })).rejects.toThrow('the journals end at batch 7, not 8');
    expect(await readFile(file, 'utf8')).toBe(text);
    const bytes = await compactFromFiles({ file, journals: [journal], batch: 8 });
    const made = JSON.parse(await readFile(file, 'utf8'));
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(made)));
    expect(made.batch).toBe(8);
    expect(made.processed['key-0']).toBe('changed');
    expect(made.processed['key-1']).toMatch(/^value 1 /);
  });

  it('stops when the relay that started it dies, and never replaces the file after that', async () => {
    const { file, text, journal } = await bigFile();
    // A relay stand-in: starts the compaction, then is killed (kill -9) once the new file is being written.
    const script = `
      import { existsSync } from 'node:fs';
      import { compactFromFiles } from ${JSON.stringify(path.join(import.meta.dirname, 'compact.ts'))};
      compactFromFiles(${JSON.stringify({ file, journals: [journal], batch: 8 })}).catch(() => {});
      const tmp = ${JSON.stringify(path.join(dir, '.ringback.json.tmp'))};
      const poll = setInterval(() => { if (existsSync(tmp)) process.kill(process.pid, 'SIGKILL'); }, 1);
      setTimeout(() => { clearInterval(poll); process.kill(process.pid, 'SIGKILL'); }, 20000);`;
    const relay = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: import.meta.dirname, stdio: 'ignore' });
    await new Promise((r) => relay.once('exit', r));
    expect(relay.signalCode).toBe('SIGKILL');
    for (const deadline = Date.now() + 5000; (await compactorsOf(file)).length > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    expect(await compactorsOf(file)).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await readFile(file, 'utf8')).toBe(text);
    // Its temp file may stay behind: a start removes it.
    expect(existsSync(file)).toBe(true);
  }, 30_000);
});
