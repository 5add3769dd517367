import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../http/free-port.js';
import { Store } from '../store/store.js';

// The production build as an operator runs it: `npm run build -w @ringback/relay`, then plain node on relay/dist.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIST = path.join(ROOT, 'relay/dist');
const run = promisify(execFile);
const relayPkg = JSON.parse(await readFile(path.join(ROOT, 'relay/package.json'), 'utf8'));

const dirs: string[] = [];
/** Every relay started here, killed at the end whatever a failed test left behind. */
const pids = new Set<number>();
async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'ringback-ship-'));
  dirs.push(d);
  return d;
}

function env(dir: string, port: number): NodeJS.ProcessEnv {
  const { PLIVO_AUTH_ID: _i, PLIVO_AUTH_TOKEN: _t, NODE_ENV: _n, ...rest } = process.env;
  return { ...rest, PORT: String(port), HOST: '127.0.0.1', RINGBACK_DATA_DIR: dir, LOG_LEVEL: 'info' };
}

/** Starts a command, waits for the relay's start line (JSON on a pipe), returns the pid it names. */
async function start(cmd: string, args: string[], dir: string, port: number): Promise<{ child: ChildProcess; relayPid: number; output: () => string }> {
  const child = spawn(cmd, args, { cwd: ROOT, env: env(dir, port), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  for (const deadline = Date.now() + 30_000; ; ) {
    const m = /"pid":(\d+),[^\n]*"event":"start"/.exec(out);
    if (m) {
      pids.add(Number(m[1])).add(child.pid!);
      return { child, relayPid: Number(m[1]), output: () => out };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no banner from ${cmd} ${args.join(' ')}:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** After SIGTERM: the relay's process is gone, its port free and its data dir unlocked within `ms`. */
async function stoppedWithin(pid: number, port: number, dir: string, ms: number): Promise<number> {
  const t0 = Date.now();
  while (alive(pid) || (await portOpen(port)) || existsSync(path.join(dir, 'relay.sock'))) {
    if (Date.now() - t0 > ms) throw new Error(`relay ${pid} still running, listening or locked after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

beforeAll(async () => {
  await run('npm', ['run', 'build', '--workspace=@ringback/relay', '--silent'], { cwd: ROOT });
}, 60_000);
afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('production build', () => {
  it('bundles relay and shared into JavaScript that imports only node builtins and the relay’s dependencies', async () => {
    const deps = new Set(Object.keys(relayPkg.dependencies));
    for (const file of ['main.js', 'cli.js', 'compactor.js']) {
      const code = await readFile(path.join(DIST, file), 'utf8');
      const specifiers = [...code.matchAll(/(?:^|[;\s])(?:import|export)\s[^"';]*?from\s*"([^"]+)"|(?:^|[;\s(])import\s*(?:\(\s*)?"([^"]+)"/gm)].map((m) => m[1] ?? m[2]!);
      expect(specifiers.length).toBeGreaterThan(3);
      for (const s of specifiers) {
        if (s.startsWith('node:') || s.startsWith('.')) continue;
        const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!;
        expect(deps, `${file} imports ${s}, which relay/package.json's dependencies must list`).toContain(name);
      }
      expect(code).not.toMatch(/@ringback\/shared|\.ts"/);
    }
    expect((await readFile(path.join(DIST, 'cli.js'), 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('ships the compactor: compactor.js alone turns a snapshot and its journals into the state they hold', async () => {
    const dir = await dataDir();
    const store = await Store.open(dir);
    for (let i = 0; i < 50; i++) store.put('processed', `k${i}`, `before ${i}`);
    await store.close(); // ringback.json holds these
    const live = await Store.open(dir);
    for (let i = 0; i < 50; i += 2) live.put('processed', `k${i}`, `after ${i}`);
    live.put('processed', 'k1', undefined);
    await live.commit(); // in ringback.journal.1 only
    const file = path.join(dir, 'ringback.json');
    const journals = (await readdir(dir)).filter((f) => f.startsWith('ringback.journal.')).map((f) => path.join(dir, f));
    const job = { file, journals, batch: 1 + JSON.parse(await readFile(file, 'utf8')).batch };
    const child = fork(path.join(DIST, 'compactor.js'), [JSON.stringify(job)], { execArgv: ['--single-threaded'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const answer = await new Promise<{ bytes?: number; error?: string }>((resolve, reject) => child.once('message', resolve).once('error', reject));
    expect(answer.error).toBeUndefined();
    const made = JSON.parse(await readFile(file, 'utf8'));
    expect(answer.bytes).toBe(Buffer.byteLength(JSON.stringify(made)));
    expect(made.processed).toEqual(JSON.parse(JSON.stringify(live.data.processed)));
    expect(made.processed.k0).toBe('after 0');
    expect(made.processed.k1).toBeUndefined();
    await live.close();
  });

  it('loads the heavy parts only when used: the Plivo REST client with the first send, tsdav with the first CalDAV read', async () => {
    const code = await readFile(path.join(DIST, 'main.js'), 'utf8');
    const atStart = [...code.matchAll(/^import\s[^"';]*?from\s*"([^"]+)"/gm)].map((m) => m[1]);
    expect(atStart).toContain('plivo/dist/utils/plivoxml.js');
    expect(atStart).not.toContain('plivo');
    expect(atStart).not.toContain('tsdav');
    expect(code).toMatch(/import\("plivo"\)/);
    expect(code).toMatch(/import\("tsdav"\)/);
  });

  it('runs under plain node, serves its pages from dist, and on SIGTERM frees the port and the lock', async () => {
    const [dir, port] = [await dataDir(), await freePort()];
    const relay = await start(process.execPath, ['relay/dist/main.js', '--default-mode=sandbox'], dir, port);
    expect(relay.relayPid).toBe(relay.child.pid);
    expect(relay.output()).toMatch(new RegExp(`"event":"start","version":"${relayPkg.version.replace(/\./g, '\\.')}"`));
    const page = await fetch(`http://127.0.0.1:${port}/sandbox`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<!doctype html>/i);
    expect(existsSync(path.join(dir, 'relay.sock'))).toBe(true);
    const exited = new Promise<number | null>((r) => relay.child.once('exit', (code) => r(code)));
    relay.child.kill('SIGTERM');
    await stoppedWithin(relay.relayPid, port, dir, 10_000);
    expect(await exited).toBe(0);
  }, 60_000);

  it('npm start: SIGTERM to the npm process reaches the relay, which saves and exits', async () => {
    const [dir, port] = [await dataDir(), await freePort()];
    const npm = await start('npm', ['start', '--silent'], dir, port);
    expect(npm.relayPid).not.toBe(npm.child.pid);
    expect(alive(npm.relayPid)).toBe(true);
    npm.child.kill('SIGTERM');
    await stoppedWithin(npm.relayPid, port, dir, 10_000);
    expect(npm.output()).toMatch(/"event":"stop","signal":"SIGTERM"/);
  }, 60_000);

  it('the built CLI reports the release and adds staff', async () => {
    const dir = await dataDir();
    const cli = (...args: string[]) => run(process.execPath, ['relay/dist/cli.js', ...args], { cwd: ROOT, env: env(dir, 0) });
    expect((await cli('version')).stdout.trim()).toBe(relayPkg.version);
    const added = await cli('staff', 'add', '--name', 'Ana', '--role', 'manager');
    expect(added.stdout.trim().split('\n').at(-1)).toMatch(/^\S{30,}$/);
    expect((await cli('staff', 'list')).stdout).toContain('Ana\tmanager');
  }, 60_000);
});
