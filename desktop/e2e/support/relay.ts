import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnRelay, staffToken } from '@ringback/relay/testing/relay-process';

export const TRACKING = '+15125550100';

export interface Relay {
  url: string;
  tokens: { ana: string; riley: string };
  call(from: string, answered?: boolean, callerName?: string): Promise<void>;
  sms(from: string, text: string): Promise<void>;
  api<T = any>(token: string, method: string, p: string, body?: unknown): Promise<{ status: number; body: T }>;
  dispose(): Promise<void>;
}

/** The real relay in sandbox mode on a free port with a temp data dir; `origin` is where the renderer is served. */
export async function startRelay(origin: string): Promise<Relay> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-desktop-e2e-'));
  const tokens = { ana: await staffToken(dir, 'Ana', 'manager'), riley: await staffToken(dir, 'Riley', 'receptionist') };
  const relay = await spawnRelay({ dir, env: { RINGBACK_ALLOWED_ORIGINS: origin } });
  const url = relay.url;
  const post = async (p: string, body: unknown) => {
    const res = await fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${p} → ${res.status} ${await res.text()}`);
  };
  return {
    url,
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
    async dispose() {
      await relay.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
