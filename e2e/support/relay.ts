import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, spawnRelay, staffToken, type RelayProcess } from '@ringback/relay/testing/relay-process';

export const TRACKING = '+15125550100';

export interface SandboxRelay {
  url: string;
  port: number;
  /** The data dir (stop the relay before writing into it). */
  dir: string;
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
export async function startSandboxRelay(opts: { config?: (dir: string) => Promise<string> } = {}): Promise<SandboxRelay> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tokens = { ana: await staffToken(dir, 'Ana', 'manager'), riley: await staffToken(dir, 'Riley', 'receptionist') };
  let running: RelayProcess | null = null;
  // The business file lives beside the data dir, not in it.
  const config = opts.config ? await opts.config(await mkdtemp(path.join(tmpdir(), 'ringback-e2e-config-'))) : undefined;

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
    dir,
    tokens,
    async start() {
      running = await spawnRelay({ dir, port, ...(config ? { config } : {}) });
    },
    async stop() {
      await running?.stop();
      running = null;
    },
    async dispose() {
      await relay.stop();
      await rm(dir, { recursive: true, force: true });
      if (config) await rm(path.dirname(config), { recursive: true, force: true });
    },
    call: (from, opts = {}) => json('POST', '/sandbox/calls', { from, to: TRACKING, answered: false, ...opts }).then((r) => r.body),
    sms: (from, text) => json('POST', '/sandbox/sms', { from, to: TRACKING, text }).then((r) => r.body),
    sent: () => json('GET', '/sandbox/messages').then((r) => r.body.messages),
    api: (token, method, p, body) => json(method, p, body, { authorization: `Bearer ${token}` }),
  };
  await relay.start();
  return relay;
}
