import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const TRACKING = '+15125550100';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `ringback staff add` through the real CLI (before the relay holds the data dir's lock); the token is the last line. */
async function addStaff(dir: string, name: string, role: 'manager' | 'receptionist'): Promise<string> {
  const { stdout } = await promisify(execFile)(TSX, ['relay/src/cli.ts', 'staff', 'add', '--name', name, '--role', role], {
    cwd: ROOT,
    env: { ...process.env, RINGBACK_DATA_DIR: dir },
  });
  return stdout.trim().split('\n').at(-1)!.trim();
}

export interface SandboxRelay {
  url: string;
  port: number;
  tokens: { ana: string; riley: string };
  /** Start (again) on the same port and data dir, e.g. after stop() to test "unreachable". */
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
  call(from: string, opts?: { answered?: boolean; voicemail?: number; landline?: boolean }): Promise<unknown>;
  sms(from: string, text: string): Promise<unknown>;
  sent(): Promise<{ to: string; text: string; status: string }[]>;
  api<T = any>(token: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** A real relay in sandbox mode, as a child process on a free loopback port with a temp data dir. */
export async function startSandboxRelay(): Promise<SandboxRelay> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tokens = { ana: await addStaff(dir, 'Ana', 'manager'), riley: await addStaff(dir, 'Riley', 'receptionist') };
  let child: ChildProcess | null = null;

  const json = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + p, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    if (!res.ok && !p.startsWith('/api/')) throw new Error(`${method} ${p} → ${res.status} ${text}`);
    return { status: res.status, body: parsed as any };
  };

  const relay: SandboxRelay = {
    url,
    port,
    tokens,
    async start() {
      const out: string[] = [];
      // Sandbox mode means no Plivo credentials at all.
      const { PLIVO_AUTH_ID: _id, PLIVO_AUTH_TOKEN: _token, ...env } = process.env;
      child = spawn(TSX, ['relay/src/main.ts'], {
        cwd: ROOT,
        env: { ...env, PORT: String(port), HOST: '127.0.0.1', RINGBACK_DATA_DIR: dir, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => out.push(String(d)));
      child.stderr!.on('data', (d) => out.push(String(d)));
      const c = child;
      c.once('exit', (code, signal) => {
        if (child === c) console.error(`relay exited unexpectedly (${code ?? signal}):\n${out.join('').slice(-4000)}`);
      });
      const until = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`relay exited: ${out.join('')}`);
        try {
          if ((await fetch(`${url}/healthz`)).ok) return;
        } catch {
          // not up yet
        }
        if (Date.now() > until) throw new Error(`relay did not start: ${out.join('')}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (c.exitCode === null) c.kill('SIGKILL');
    },
    async dispose() {
      await relay.stop();
      await rm(dir, { recursive: true, force: true });
    },
    call: (from, opts = {}) => json('POST', '/sandbox/calls', { from, to: TRACKING, answered: false, ...opts }).then((r) => r.body),
    sms: (from, text) => json('POST', '/sandbox/sms', { from, to: TRACKING, text }).then((r) => r.body),
    sent: () => json('GET', '/sandbox/messages').then((r) => r.body.messages),
    api: (token, method, p, body) => json(method, p, body, { authorization: `Bearer ${token}` }),
  };
  await relay.start();
  return relay;
}
