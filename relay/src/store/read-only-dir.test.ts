import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../http/free-port.js';
import { mountTmpfs, type Tmpfs } from '../testing/tmpfs.js';
import { DataDirError, Store } from './store.js';

/** A data dir on a read-only mount (a tmpfs remounted ro; as root a chmod would not stop us). */
const ROOT = path.resolve(import.meta.dirname, '../../..');
let disk: Tmpfs | null = null;
let mnt = '';
let mounted = false;
beforeAll(async () => {
  disk = await mountTmpfs('read-only-dir', '1m');
  if (!disk) return;
  mounted = true;
  mnt = disk.dir;
  const s = await Store.open(path.join(mnt, 'data'));
  s.put('processed', 'k', 'v');
  await s.commit();
  await s.close();
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
});
afterAll(async () => {
  await disk?.unmount();
});

async function run(script: string, args: string[], dir: string): Promise<{ code: number; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', RINGBACK_MODE: 'sandbox', RINGBACK_DATA_DIR: dir, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.PLIVO_AUTH_ID;
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], { cwd: ROOT, env });
    return { code: 0, stderr: '' };
  } catch (e) {
    const x = e as { code: number; stderr: string };
    return { code: x.code, stderr: x.stderr };
  }
}

describe('read-only data dir', () => {
  it('is one plain line, not a stack trace, from the store, the relay and the CLI', async (ctx) => {
    if (!mounted) return ctx.skip();
    for (const dir of [path.join(mnt, 'data'), path.join(mnt, 'missing')]) {
      const err = await Store.open(dir).catch((e: unknown) => e);
      expect(err, String((err as Error).stack)).toBeInstanceOf(DataDirError);
      expect((err as Error).message).toMatch(new RegExp(`^cannot write the data dir ${dir} \\(EROFS: read-only file system.*\\) — mount it read-write`));
    }
    // `staff list` only reads; `staff add` writes, with no relay running to go through.
    for (const [script, args] of [['relay/src/main.ts', []], ['relay/src/cli.ts', ['staff', 'add', '--name', 'Ana', '--role', 'manager']]] as const) {
      const { code, stderr } = await run(script, [...args], path.join(mnt, 'data'));
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ringback: cannot write the data dir .*EROFS: read-only file system/)]);
    }
  });
});
