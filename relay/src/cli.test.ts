import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffByToken } from './staff/tokens.js';
import { Store } from './store/store.js';

const run = promisify(execFile);
let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-cli-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'cli.ts'), ...args], {
      env: { ...process.env, RINGBACK_DATA_DIR: dir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('ringback CLI', () => {
  it('adds staff, prints the token as the last line, stores only its hash, lists and revokes', async () => {
    const added = await cli(['staff', 'add', '--name', 'Ana Ruiz', '--role', 'manager']);
    expect(added.code).toBe(0);
    const token = added.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^rb_[\w-]{40,}$/);
    const store = await Store.open(dir);
    expect(staffByToken(store, token)).toMatchObject({ name: 'Ana Ruiz', role: 'manager' });
    expect(JSON.stringify(store.data)).not.toContain(token);
    await store.close();

    expect((await cli(['staff', 'list'])).stdout).toMatch(/Ana Ruiz\tmanager/);
    expect((await cli(['staff', 'add', '--name', 'ana ruiz', '--role', 'receptionist'])).code).toBe(1);
    expect((await cli(['staff', 'revoke', '--name', 'Ana Ruiz'])).code).toBe(0);
    const after = await Store.open(dir);
    expect(staffByToken(after, token)).toBeNull();
    await after.close();
  }, 30_000);

  it('rejects bad input with a clear message and exit code 2', async () => {
    const bad = await cli(['staff', 'add', '--name', 'Sam', '--role', 'boss']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/role/);
    const none = await cli(['dance']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage/);
  }, 30_000);

  it('config check lists every problem of an invalid business file', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ business: { name: '', bookingUrl: 'nope' }, locations: [{ id: 'Main St', timezone: 'Mars/Olympus' }] }));
    const res = await cli(['config', 'check'], { RINGBACK_CONFIG: file });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/business\.name/);
    expect(res.stderr).toMatch(/business\.bookingUrl/);
    expect(res.stderr).toMatch(/locations\.0\.timezone: unknown IANA time zone/);
    const ok = await cli(['config', 'check']);
    expect(ok.stdout).toMatch(/ok: Bright Smile Dental from built-in demo; sandbox mode/);
  }, 30_000);

  it('recover keeps every intact journal line after a refused start, then the data dir opens normally', async () => {
    const store = await Store.open(dir);
    store.put('optOuts', '+15125551077', { at: 'x', source: 'STOP', confirmationSent: true });
    await store.commit();
    store.put('processed', 'later', 'v');
    await store.commit();
    // A crash, and the first journal line damaged since.
    const journal = path.join(dir, 'ringback.journal.1');
    const [first, second] = (await readFile(journal, 'utf8')).trim().split('\n');
    await store.close().catch(() => {});
    await writeFile(path.join(dir, 'ringback.json'), JSON.stringify({ ...JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8')), batch: 0, optOuts: {}, processed: {} }));
    await writeFile(journal, `${first!.slice(0, -5)}\n${second}\n`);
    expect((await cli(['staff', 'list'])).stderr).toMatch(/missing batch 1 \(damaged: ringback.journal.1 line 1/);
    const recovered = await cli(['recover', '--data-dir', dir]);
    expect(recovered.code).toBe(0);
    expect(recovered.stdout).toMatch(/lost batch 1 /);
    expect(recovered.stdout).toMatch(/replayed 1 intact journal lines/);
    expect((await cli(['staff', 'list'])).code).toBe(0);
    const after = await Store.open(dir);
    expect(after.data.processed.later).toBe('v');
    await after.close();
  });
});
