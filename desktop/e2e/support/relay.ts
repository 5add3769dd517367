import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const TRACKING = '+15125550100';

export interface Relay {
  url: string;
  tokens: { ana: string; riley: string };
  call(from: string, answered?: boolean): Promise<void>;
  sms(from: string, text: string): Promise<void>;
  api<T = any>(token: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: T }>;
  dispose(): Promise<void>;
}

async function addStaff(dir: string, name: string, role: string): Promise<string> {
  const { stdout } = await promisify(execFile)(TSX, ['relay/src/cli.ts', 'staff', 'add', '--name', name, '--role', role], { cwd: ROOT, env: { ...process.env, RINGBACK_DATA_DIR: dir } });
  return stdout.trim().split('\n').at(-1)!.trim();
}

/** The real relay in sandbox mode on a free port with a temp data dir; `origin` is where the renderer is served. */
export async function startRelay(origin: string): Promise<Relay> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-desktop-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tokens = { ana: await addStaff(dir, 'Ana', 'manager'), riley: await addStaff(dir, 'Riley', 'receptionist') };
  const { PLIVO_AUTH_ID: _i, PLIVO_AUTH_TOKEN: _t, ...env } = process.env;
  const out: string[] = [];
  const child: ChildProcess = spawn(TSX, ['relay/src/main.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', RINGBACK_DATA_DIR: dir, RINGBACK_ALLOWED_ORIGINS: origin, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => out.push(String(d)));
  child.stderr!.on('data', (d) => out.push(String(d)));
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`relay exited: ${out.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`relay did not start: ${out.join('')}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const post = async (p: string, body: unknown) => {
    const res = await fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${p} → ${res.status} ${await res.text()}`);
  };
  return {
    url,
    tokens,
    call: (from, answered = false) => post('/sandbox/calls', { from, to: TRACKING, answered }),
    sms: (from, text) => post('/sandbox/sms', { from, to: TRACKING, text }),
    async api(token, method, p, body) {
      const res = await fetch(url + p, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as never };
    },
    async dispose() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
