import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnRelay, staffToken, type RelayProcess } from '@ringback/relay/testing/relay-process';

export const TRACKING = '+15125550100';

export interface Relay {
  url: string;
  /** The data dir (stop the relay before writing into it). */
  dir: string;
  tokens: { ana: string; riley: string };
  call(from: string, answered?: boolean, callerName?: string): Promise<void>;
  sms(from: string, text: string): Promise<void>;
  api<T = any>(token: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Stop, and start again on the same port and data dir. */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** The real relay in sandbox mode on a free port with a temp data dir; `origin` is where the renderer is served. */
export async function startRelay(origin: string, opts: { config?: (dir: string) => Promise<string> } = {}): Promise<Relay> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-desktop-e2e-'));
  const tokens = { ana: await staffToken(dir, 'Ana', 'manager'), riley: await staffToken(dir, 'Riley', 'receptionist') };
  // The business file lives beside the data dir, not in it.
  const config = opts.config ? await opts.config(await mkdtemp(path.join(tmpdir(), 'ringback-desktop-config-'))) : undefined;
  const spawn = (port?: number) => spawnRelay({ dir, ...(port ? { port } : {}), ...(config ? { config } : {}), env: { RINGBACK_ALLOWED_ORIGINS: origin } });
  let relay: RelayProcess | null = await spawn();
  const port = relay.port;
  const url = relay.url;
  const post = async (p: string, body: unknown) => {
    const res = await fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${p} → ${res.status} ${await res.text()}`);
  };
  return {
    url,
    dir,
    tokens,
    call: (from, answered = false, callerName) => post('/sandbox/calls', { from, to: TRACKING, answered, ...(callerName ? { callerName } : {}) }),
    sms: (from, text) => post('/sandbox/sms', { from, to: TRACKING, text }),
    async api(token, method, p, body) {
      const res = await fetch(url + p, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as never };
    },
    async stop() {
      await relay?.stop();
      relay = null;
    },
    async start() {
      relay = await spawn(port);
    },
    async dispose() {
      await relay?.stop();
      await rm(dir, { recursive: true, force: true });
      if (config) await rm(path.dirname(config), { recursive: true, force: true });
    },
  };
}
