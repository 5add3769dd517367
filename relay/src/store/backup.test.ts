import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBusiness, TRACKING } from '../testing/harness.js';
import { spawnRelay, staffToken, type RelayProcess } from '../testing/relay-process.js';
import { verifyBackup } from './restore.js';
import { readDataReadOnly } from './store.js';

/**
 * `ringback backup` against a real relay process under a bounded loop of signed webhooks (the sandbox line
 * drives them), `ringback restore` into an empty dir, and a second relay on the result: the restored data
 * is exactly the source's state at the backup's seq.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(ROOT, 'relay/src/cli.ts');
let tmp: string;
let dir: string;
let relay: RelayProcess | null = null;
let second: RelayProcess | null = null;
let token: string;

async function cli(args: string[], dataDir = dir) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, RINGBACK_DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const json = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
type Rec = { seq: number } & Record<string, unknown>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'ringback-backup-'));
  dir = path.join(tmp, 'data');
  await mkdir(dir);
  await writeFile(path.join(tmp, 'config.json'), JSON.stringify(testBusiness()));
  token = await staffToken(dir, 'Checker', 'manager');
  relay = await spawnRelay({ dir, config: path.join(tmp, 'config.json') });
}, 90_000);

afterAll(async () => {
  await relay?.kill9();
  await second?.kill9();
  await rm(tmp, { recursive: true, force: true });
});

describe('ringback backup and restore', () => {
  it('backs up a relay under webhook load; the restore holds exactly its state at the backup seq and starts a relay', async () => {
    // Neither the CLI command that added the staff nor the start made a backup.
    expect(await readdir(path.join(dir, 'backups'))).toEqual([]);
    const url = relay!.url;
    const post = (p: string, body: unknown) => fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const settings = await fetch(`${url}/api/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ keywords: { PARKING: 'Behind the building.' } }),
    });
    expect(settings.status).toBe(200);

    // The load: 4 workers, at least 160 webhook-driving requests, on until 20 after the backup; 2000 and 60 s at most.
    const OPS = 160;
    const deadline = Date.now() + 60_000;
    let next = 0;
    let stopAt = 2000;
    let slowest = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (next < stopAt && Date.now() < deadline) {
        const i = next++;
        const caller = `+1512555${String(3000 + (i % 40)).padStart(4, '0')}`;
        const started = Date.now();
        const res =
          i % 3 === 2
            ? await post('/sandbox/sms', { from: caller, to: TRACKING, text: i % 21 === 2 ? 'STOP' : `message ${i}` })
            : await post('/sandbox/calls', { from: caller, to: TRACKING, answered: false });
        slowest = Math.max(slowest, Date.now() - started);
        if (res.status !== 200) failures.push(`${i}: ${res.status} ${await res.text()}`);
      }
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);
    while (next < OPS / 4) await new Promise((r) => setTimeout(r, 20));
    const file = path.join(tmp, 'live.tar.gz');
    const startedAt = next;
    const made = await cli(['backup', '--out', file]);
    const doneAt = next;
    stopAt = Math.max(OPS, doneAt + 20);
    await load;
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^backed up the running relay \(pid \d+\) at seq \d+/);
    expect(doneAt).toBeGreaterThan(startedAt); // webhooks kept coming in while the backup was made
    expect(failures).toEqual([]);
    expect(slowest).toBeLessThan(10_000);
    await relay!.stop();
    relay = null;

    const source = await json(path.join(dir, 'ringback.json'));
    const { manifest } = await verifyBackup(await readFile(file));
    expect(source.seq).toBeGreaterThan(manifest.seq);

    const target = path.join(tmp, 'restored');
    const restoredOut = await cli(['restore', file, '--data-dir', target]);
    expect(restoredOut.stderr).toBe('');
    expect(restoredOut.stdout).toContain(`restored seq ${manifest.seq}`);
    // What the relay starts with there: the snapshot with the journals the backup carries replayed on it.
    const restored = JSON.parse(JSON.stringify(await readDataReadOnly(target)));
    expect(restored.seq).toBe(manifest.seq);

    // Records with a seq: everything last changed at or before the backup is identical; nothing later is there.
    for (const map of ['threads', 'messages'] as const) {
      const src = source[map] as Record<string, Rec>;
      const got = restored[map] as Record<string, Rec>;
      for (const [id, r] of Object.entries(src)) if (r.seq <= manifest.seq) expect(got[id], `${map} ${id}`).toEqual(r);
      for (const [id, r] of Object.entries(got)) {
        expect(r.seq, `${map} ${id}`).toBeLessThanOrEqual(manifest.seq);
        expect(src[id], `${map} ${id}`).toBeDefined();
      }
      expect(Object.keys(got).length).toBeGreaterThan(0);
    }
    // Append-only lists: the backup holds a prefix of the source's.
    for (const list of ['audit', 'consent'] as const) {
      expect(source[list].slice(0, restored[list].length)).toEqual(restored[list]);
    }
    for (const [n, o] of Object.entries(restored.optOuts)) expect(source.optOuts[n]).toEqual(o);
    for (const id of Object.keys(restored.calls)) expect(source.calls[id]).toBeDefined();
    // The sandbox's Demo Desk is revoked when the relay stops, after the backup; everyone else is as backed up.
    const people = (staff: { name: string }[]) => staff.filter((x) => x.name !== 'Demo Desk');
    expect(people(restored.staff)).toEqual(people(source.staff));
    expect(restored.settings).toEqual(source.settings);

    // A relay on the restored dir, on another port: the same staff token works and the same threads are open.
    second = await spawnRelay({ dir: target, config: path.join(tmp, 'config.json') });
    const res = await fetch(`${second.url}/api/threads`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const open = ((await res.json()).threads as { id: string }[]).map((t) => t.id).sort();
    const expected = Object.values(restored.threads as Record<string, { id: string; status: string }>).filter((t) => t.status !== 'resolved').map((t) => t.id).sort();
    expect(open).toEqual(expected);
    await second.stop();
    second = null;

    // With no relay running, the backup comes from the data dir itself, and is current.
    const offline = path.join(tmp, 'offline.tar.gz');
    const off = await cli(['backup', '--out', offline]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain(`backed up the data dir ${dir} at seq ${source.seq}`);
    expect((await cli(['backup', '--out', offline])).stderr).toMatch(/already exists/);
    expect((await cli(['backup', '--out', path.join(tmp, 'nowhere', 'b.tar.gz')])).stderr).toMatch(/the folder .*nowhere does not exist/);
  }, 180_000);

  it('a damaged or cut-short backup, or a target that is not empty, is refused and nothing is written', async () => {
    const file = path.join(tmp, 'live.tar.gz');
    const good = await readFile(file);
    const bad = path.join(tmp, 'bad.tar.gz');
    const flipped = Buffer.from(good);
    flipped[Math.floor(good.length / 2)]! ^= 0x10;
    for (const body of [flipped, good.subarray(0, good.length - 100)]) {
      await writeFile(bad, body);
      const r = await cli(['restore', bad, '--data-dir', path.join(tmp, 'never')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^ringback: not restoring: /);
    }
    expect(await readdir(tmp)).not.toContain('never');
    const busy = await cli(['restore', file, '--data-dir', dir]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/is not empty/);
    expect((await cli(['restore', file])).code).toBe(2);
  }, 60_000);
});
