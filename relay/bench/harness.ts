import { spawn } from 'node:child_process';
import { createServer as createHttp, request, Agent, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { percentile } from '@ringback/shared';
import { signV2, signV3 } from '../src/plivo/signature.js';
import { addStaff } from '../src/staff/tokens.js';
import { Store } from '../src/store/store.js';
import { testBusiness } from '../src/testing/harness.js';
import { spawnRelay } from '../src/testing/relay-process.js';
import { freePort } from '../src/testing/relay-process.js';
export { freePort };

export const AUTH_ID = 'MABENCH0000000000000';
export const AUTH_TOKEN = 'bench-token';
export const TRACKING = '+15125550100';

export const summary = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 50) ?? NaN, p99: percentile(xs, 99) ?? NaN });

/** A minimal Plivo stand-in that timestamps each Message POST on arrival (performance.now()). */
export async function startStandIn(): Promise<{ url: string; arrivals: Map<string, number>; close(): Promise<void> }> {
  const arrivals = new Map<string, number>();
  const server: Server = createHttp((req, res) => {
    const at = performance.now();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.endsWith('/Message/')) {
        const { dst } = JSON.parse(body) as { dst: string };
        arrivals.set(dst, at);
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ api_id: 'x', message: 'message(s) queued', message_uuid: [`uuid-${dst}-${arrivals.size}`] }));
      } else if (req.method === 'GET' && req.url?.includes('/v1/Number/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ carrier: { type: 'mobile' } }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ api_id: 'x', meta: {}, objects: [] }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, arrivals, close: () => new Promise((r) => server.close(() => r())) };
}

export interface BenchRelay {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** The relay as its own process (as in production), in Plivo mode against the stand-in. */
export async function startRelayProcess(standInUrl: string, prepared?: { dir: string; token: string }): Promise<BenchRelay> {
  const dir = prepared?.dir ?? (await mkdtemp(path.join(tmpdir(), 'ringback-bench-')));
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(testBusiness((c) => (c.textBack = { dedupeMinutes: 30, maxWaitSeconds: 120, quietHours: null }))));
  let token = prepared?.token;
  if (!token) {
    const store = await Store.open(dir);
    token = addStaff(store, 'Bench', 'manager').token;
    await store.commit();
    await store.close();
  }
  const relay = await spawnRelay({ dir, config: path.join(dir, 'config.json'), plivo: { url: standInUrl, authId: AUTH_ID, authToken: AUTH_TOKEN } });
  return {
    url: relay.url,
    token,
    async close() {
      await relay.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POST a form body with keep-alive; resolves with the status. */
export function postForm(url: string, form: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(form);
  });
}

/** A signed voice webhook, as Plivo would send it. */
export function voice(relayUrl: string, pathname: string, params: Record<string, string>): Promise<number> {
  const nonce = String(Math.floor(Math.random() * 1e15));
  return postForm(relayUrl + pathname, new URLSearchParams(params).toString(), {
    'x-plivo-signature-v3': signV3('POST', relayUrl + pathname, params, nonce, AUTH_TOKEN),
    'x-plivo-signature-v3-nonce': nonce,
  });
}

/** Messaging webhooks are signed over URL + nonce only (V2); each carries a fresh nonce, as Plivo's do. */
export function smsHeaders(relayUrl: string): Record<string, string> {
  const nonce = String(Math.floor(Math.random() * 1e15));
  return { 'x-plivo-signature-v2': signV2(`${relayUrl}/plivo/sms/inbound`, nonce, AUTH_TOKEN), 'x-plivo-signature-v2-nonce': nonce };
}

export { agent };

const ROOT = path.resolve(import.meta.dirname, '../..');
export const BUILT_MAIN = path.join(ROOT, 'relay/dist/main.js');

export interface BuiltRelay {
  url: string;
  pid: number;
  /** Spawn to the first 200 from /healthz. */
  healthzMs: number;
  /** Spawn to figuresReady in /healthz (polled every 20 ms). */
  figuresMs(): Promise<number>;
  /** Resident set of the relay process (kB from /proc, in MB). */
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The production build (`node relay/dist/main.js`) on a data dir that stays, in Plivo mode against the
 * stand-in: what an operator starts, so start time and memory are the real ones (no tsx).
 */
export async function startBuilt(dir: string, standInUrl: string, extraArgs: string[] = [], main = BUILT_MAIN): Promise<BuiltRelay> {
  const config = path.join(dir, 'config.json');
  await writeFile(config, JSON.stringify(testBusiness((c) => (c.textBack = { dedupeMinutes: 30, maxWaitSeconds: 120, quietHours: null }))));
  const port = await freePort();
  const { PLIVO_AUTH_ID: _i, PLIVO_AUTH_TOKEN: _t, ...inherited } = process.env;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...extraArgs, main], {
    cwd: dir,
    env: {
      ...inherited, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', RINGBACK_DATA_DIR: dir, RINGBACK_MODE: 'plivo', LOG_LEVEL: 'warn',
      RINGBACK_CONFIG: config, PLIVO_AUTH_ID: AUTH_ID, PLIVO_AUTH_TOKEN: AUTH_TOKEN, PLIVO_API_URL: standInUrl, PLIVO_LOOKUP_URL: standInUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + String(d)).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const health = async (): Promise<{ figuresReady: boolean } | null> => {
    try {
      const res = await fetch(`${url}/healthz`);
      return res.ok ? ((await res.json()) as { figuresReady: boolean }) : null;
    } catch {
      return null;
    }
  };
  const deadline = Date.now() + 180_000;
  let first: { figuresReady: boolean } | null = null;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}:\n${output}`);
    if ((first = await health())) break;
    if (Date.now() > deadline) throw new Error(`the relay did not start within 180 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const healthzMs = performance.now() - t0;
  let figuresAt: number | null = first.figuresReady ? healthzMs : null;
  return {
    url,
    pid: child.pid!,
    healthzMs,
    async figuresMs() {
      while (figuresAt === null && Date.now() < deadline + 120_000) {
        if ((await health())?.figuresReady) figuresAt = performance.now() - t0;
        else await new Promise((r) => setTimeout(r, 20));
      }
      return figuresAt ?? NaN;
    },
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(late);
      if (child.exitCode !== 0 && child.signalCode !== 'SIGTERM') throw new Error(`the relay stopped with code ${child.exitCode}:\n${output}`);
    },
  };
}
