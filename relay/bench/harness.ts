import { createServer as createHttp, request, Agent, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { percentile } from '@ringback/shared';
import { signV2, signV3 } from '../src/plivo/signature.js';
import { addStaff } from '../src/staff/tokens.js';
import { Store } from '../src/store/store.js';
import { testBusiness } from '../src/testing/harness.js';
import { spawnRelay } from '../src/testing/relay-process.js';
export { freePort } from '../src/testing/relay-process.js';

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
