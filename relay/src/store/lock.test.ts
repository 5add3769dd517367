import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './lock.js';
import { Store } from './store.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-lock-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** Another process that takes the lock with the real code (after `go` appears, if given) and keeps it until killed. */
function contender(go?: string): ReturnType<typeof spawn> {
  const lock = path.join(import.meta.dirname, 'lock.ts');
  const wait = go ? `while (!require('node:fs').existsSync(${JSON.stringify(go)})) {}` : '';
  const code = `${wait} import(${JSON.stringify(lock)}).then((m) => m.lockDataDir(${JSON.stringify(dir)})).then(() => { console.log('locked'); setInterval(() => {}, 1000); }, (e) => { console.error(String(e)); process.exit(3); });`;
  return spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function holder(): Promise<ReturnType<typeof spawn>> {
  const child = contender();
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  return child;
}

describe('data dir lock', () => {
  it('refuses while another process holds it, and takes over once that process is killed with kill -9', async () => {
    const child = await holder();
    const refused = await lockDataDir(dir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toContain(`pid ${child.pid}`);
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    expect(await readdir(dir)).toContain('relay.sock'); // left behind, nobody listening
    const unlock = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await unlock();
    expect(await readdir(dir)).not.toContain('relay.sock');
  });

  it('a holder that is alive but frozen (SIGSTOP) still holds the dir', async () => {
    const child = await holder();
    child.kill('SIGSTOP');
    await expect(lockDataDir(dir)).rejects.toThrow(/another process is using the data dir/);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  });

  it('several starts racing over a stale socket: exactly one wins', async () => {
    const dead = await holder();
    dead.kill('SIGKILL');
    await new Promise((r) => dead.once('exit', r));
    const go = path.join(dir, 'go');
    const children = Array.from({ length: 4 }, () => contender(go));
    await new Promise((r) => setTimeout(r, 3000)); // all loaded and spinning on the start line
    await writeFile(go, '');
    const outcomes = await Promise.all(
      children.map(
        (c) =>
          new Promise<string>((resolve) => {
            c.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve('locked'));
            c.stderr!.on('data', (d: Buffer) => /is using the data dir/.test(d.toString()) && resolve('refused'));
            c.once('exit', (code) => resolve(`exit ${code}`));
          }),
      ),
    );
    for (const c of children) c.kill('SIGKILL');
    expect(outcomes.sort()).toEqual(['locked', 'refused', 'refused', 'refused']);
  });

  it('takes over from a start that died in the middle of a takeover (a guard left for seconds)', async () => {
    await mkdir(path.join(dir, 'relay.sock.takeover'));
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(dir, 'relay.sock.takeover'), old, old);
    const unlock = await lockDataDir(dir);
    await unlock();
  });

  it('is not fooled by a pidfile from an earlier release naming a live pid (ours, or pid 1)', async () => {
    for (const pid of [process.pid, 1]) {
      await writeFile(path.join(dir, 'relay.lock'), String(pid));
      const s = await Store.open(dir);
      expect(await readdir(dir)).not.toContain('relay.lock');
      await s.close();
    }
  });

  it('two stores in one process: the second is refused', async () => {
    const a = await Store.open(dir);
    await expect(Store.open(dir)).rejects.toThrow(/another relay \(pid \d+\) is using the data dir/);
    await a.close();
    await (await Store.open(dir)).close();
  });

  it('says plainly when the data dir path is too long for a Unix socket', async () => {
    const deep = path.join(dir, 'x'.repeat(100));
    await expect(Store.open(deep)).rejects.toThrow(/longer than the 107 bytes Unix sockets allow/);
  });
});
