import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSandbox } from './sandbox/sandbox.js';
import { addStaff } from './staff/tokens.js';
import { Store } from './store/store.js';
import { testBusiness, TRACKING, waitFor } from './testing/harness.js';
import { freePort, spawnRelay, type RelayProcess } from './testing/relay-process.js';

/**
 * kill -9 right after Plivo got its 200: the call, its thread and its text-back survive, and the text
 * goes out exactly once. The relay runs as a real child process in Plivo mode; "Plivo" is the sandbox
 * stand-in running here, so it outlives the relay's crashes.
 */
const AUTH_ID = 'MACRASHTEST000000000';
const AUTH_TOKEN = 'crash-test-token';

let dir: string;
let port: number;
let plivo: FastifyInstance;
let relay: RelayProcess | null = null;
let token: string;

const start = async () => {
  const plivoUrl = `http://127.0.0.1:${(plivo.server.address() as { port: number }).port}/sandbox/plivo`;
  relay = await spawnRelay({ dir, config: path.join(dir, 'config.json'), plivo: { url: plivoUrl, authId: AUTH_ID, authToken: AUTH_TOKEN }, port });
};

const sentTo = async (n: string) =>
  ((await (await plivo.inject({ method: 'GET', url: '/sandbox/messages' })).json()).messages as { to: string }[]).filter((m) => m.to === n);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ringback-crash-'));
  port = await freePort();
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(testBusiness()));
  const store = await Store.open(dir);
  token = addStaff(store, 'Riley', 'receptionist').token;
  await store.close();
  plivo = Fastify();
  await plivo.register(formbody);
  await registerSandbox(plivo, { publicUrl: `http://127.0.0.1:${port}`, authId: AUTH_ID, authToken: AUTH_TOKEN, trackingNumbers: [TRACKING] });
  await plivo.listen({ port: 0, host: '127.0.0.1' });
}, 30_000);

afterAll(async () => {
  await relay?.kill9();
  await plivo?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('kill -9 after an acknowledged hangup: the thread survives and the text goes out exactly once', async () => {
    for (let i = 0; i < 4; i++) {
      const caller = `+1512555020${i}`;
      await start();
      const res = await plivo.inject({ method: 'POST', url: '/sandbox/calls', payload: { from: caller, to: TRACKING, answered: false } });
      const steps = res.json().steps as { status: number }[];
      expect(steps.at(-1)!.status).toBe(200); // the hangup was acknowledged…
      await relay!.kill9(); // …and the relay dies at once.
      await start();
      await waitFor(async () => (await sentTo(caller)).length > 0, `the text-back to ${caller}`, 15_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(await sentTo(caller)).toHaveLength(1);
      const threads = (await (await fetch(`${relay!.url}/api/threads`, { headers: { authorization: `Bearer ${token}` } })).json()).threads;
      expect(threads.find((t: { caller: string }) => t.caller === caller)).toMatchObject({ missedCount: 1 });
      await relay!.kill9();
    }
  }, 120_000);
});
