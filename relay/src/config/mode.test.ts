import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStaff, staffByToken } from '../staff/tokens.js';
import { Store } from '../store/store.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import { freePort, spawnRelay } from '../testing/relay-process.js';
import { enterMode, SandboxRefusedError } from './enter-mode.js';
import { ConfigError, loadConfig } from './load.js';
import { isLoopbackHost } from './mode.js';

const SANDBOX = { RINGBACK_MODE: 'sandbox' };
// Plivo mode with a Plivo nobody listens at: these tests never send.
const PLIVO = { RINGBACK_MODE: 'plivo', PLIVO_AUTH_ID: 'MAMODETEST', PLIVO_AUTH_TOKEN: 'mode-test', PLIVO_API_URL: 'http://127.0.0.1:9', PLIVO_LOOKUP_URL: 'http://127.0.0.1:9' };

let dir: string;
let relay: TestRelay | null = null;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-mode-'))));
afterEach(async () => {
  await relay?.stop();
  relay = null;
  await rm(dir, { recursive: true, force: true });
});

/** Real data as an operator has it: staff added by the CLI to a data dir that never ran the demo. */
async function realData(): Promise<string> {
  const store = await Store.open(dir);
  const { token } = addStaff(store, 'Ana Ruiz', 'manager');
  await store.close();
  return token;
}

async function withStore<T>(fn: (s: Store) => T): Promise<T> {
  const store = await Store.open(dir);
  try {
    return fn(store);
  } finally {
    await store.close();
  }
}

/** GET with a chosen Host header (fetch will not send one). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('choosing the mode', () => {
  it('no mode and no credentials is an error naming both choices; plivo needs credentials; each mode has its data dir', () => {
    expect(() => loadConfig({})).toThrow(/no mode chosen: set RINGBACK_MODE=sandbox .*\(\.\/data-demo\), or RINGBACK_MODE=plivo with PLIVO_AUTH_ID/);
    expect(() => loadConfig({ RINGBACK_MODE: 'plivo' })).toThrow(/RINGBACK_MODE=plivo needs PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN/);
    expect(() => loadConfig({ RINGBACK_MODE: 'demo' })).toThrow(ConfigError);
    expect(loadConfig({}, 'sandbox')).toMatchObject({ mode: 'sandbox', sandbox: true, env: { RINGBACK_DATA_DIR: './data-demo' } });
    expect(loadConfig({ PLIVO_AUTH_ID: 'MA1', PLIVO_AUTH_TOKEN: 't' }, 'sandbox')).toMatchObject({ mode: 'plivo', env: { RINGBACK_DATA_DIR: './data' } });
    expect(loadConfig({ RINGBACK_MODE: 'sandbox', RINGBACK_DATA_DIR: '/srv/x' }).env.RINGBACK_DATA_DIR).toBe('/srv/x');
    // Sandbox never uses real credentials, even when they are set.
    expect(loadConfig({ RINGBACK_MODE: 'sandbox', PLIVO_AUTH_ID: 'MAREAL', PLIVO_AUTH_TOKEN: 'secret' }).plivo.authToken).not.toBe('secret');
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '10.0.0.1', '127.example.com', '']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('sandbox mode never reaches real data', () => {
  it('refuses a data dir that holds real staff, with a clear message, and changes nothing', async () => {
    const ana = await realData();
    const refused = startTestRelay({ dir, env: SANDBOX });
    await expect(refused).rejects.toThrow(SandboxRefusedError);
    await expect(refused).rejects.toThrow(/refusing to start in sandbox mode:\n {2}- .* holds staff who are not demo staff \(Ana Ruiz\)[\s\S]*RINGBACK_FORCE_SANDBOX=1/);
    await withStore((s) => {
      expect(s.data.staff.map((x) => x.name)).toEqual(['Ana Ruiz']); // no Demo Desk added
      expect(staffByToken(s, ana)).toMatchObject({ name: 'Ana Ruiz' });
      expect(s.data.audit).toEqual([]);
    });
  });

  it('the relay process prints the refusal as one ringback: error and exits', async () => {
    await realData();
    await expect(spawnRelay({ dir })).rejects.toThrow(/exited with code 1:[\s\S]*ringback: refusing to start in sandbox mode/);
  }, 60_000);

  it('refuses data that was ever used in plivo mode, even with no staff left', async () => {
    relay = await startTestRelay({ dir, env: PLIVO });
    await relay.stop();
    relay = null;
    await expect(startTestRelay({ dir, env: SANDBOX })).rejects.toThrow(/has been used in plivo mode/);
  });

  it('refuses unmarked data that holds threads (from before modes were recorded)', async () => {
    await withStore((s) => s.put('threads', 'th_old', { id: 'th_old' } as never));
    await expect(startTestRelay({ dir, env: SANDBOX })).rejects.toThrow(/holds data that was never marked as demo data/);
  });

  it('refuses a non-loopback HOST before listening', async () => {
    const port = String(await freePort());
    await expect(startTestRelay({ dir, env: { ...SANDBOX, HOST: '0.0.0.0', PORT: port } })).rejects.toThrow(/HOST=0\.0\.0\.0 is not a loopback address/);
    // Forced, it is allowed and audited (checked without binding 0.0.0.0).
    await withStore((s) => {
      const entered = enterMode(s, 'sandbox', { host: '0.0.0.0', force: true, now: new Date() });
      expect(entered.forced).toEqual([expect.stringMatching(/HOST=0\.0\.0\.0/)]);
      expect(s.data.audit.map((e) => e.action)).toEqual(['mode', 'sandbox-forced']); // the data itself is fine: marked demo
    });
  });

  it('forced onto real data: starts with a warning, no tokenless desk view, and the demo token ends at stop', async () => {
    const ana = await realData();
    relay = await startTestRelay({ dir, env: { ...SANDBOX, RINGBACK_FORCE_SANDBOX: '1' } });
    const demo = relay.demoToken!;
    expect((await relay.api(demo, 'GET', '/api/me')).status).toBe(200);
    expect((await fetch(`${relay.url}/sandbox/desk`)).status).toBe(404);
    expect(await (await fetch(`${relay.url}/sandbox`)).text()).toContain('"deskView":false');
    expect(relay.store.data.audit.map((e) => e.action)).toContain('sandbox-forced');
    await relay.stop();
    relay = null;
    await withStore((s) => {
      expect(staffByToken(s, demo)).toBeNull();
      expect(staffByToken(s, ana)).toMatchObject({ name: 'Ana Ruiz' });
    });
  });

  it('GET /sandbox and every unauthenticated response carry no token; the desk view is for this machine only', async () => {
    relay = await startTestRelay({ dir, env: SANDBOX });
    const tokens = [relay.demoToken!, await relay.staff('Riley')];
    const secrets = [...tokens, ...relay.store.data.staff.map((s) => s.tokenHash)];
    const call = JSON.stringify(await relay.call({ answered: false }));
    await waitFor(async () => (await relay!.sent()).length === 1, 'the text-back');
    const bodies = [call];
    for (const p of ['/sandbox', '/sandbox/desk', '/sandbox/messages', '/healthz', '/api/threads', '/api/me', '/socket.io/?EIO=4&transport=polling']) {
      bodies.push(await (await fetch(relay.url + p)).text());
    }
    const page = bodies[1]!;
    expect(page).toContain('"deskView":true');
    for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret);
    expect(page).not.toMatch(/rb_[\w-]{20,}/);

    // The desk view shows the thread the call opened, without a token…
    const desk = await (await fetch(`${relay.url}/sandbox/desk`)).json();
    expect(desk.threads).toHaveLength(1);
    expect(desk.threads[0]).toMatchObject({ caller: '+15125551077', status: 'open' });
    // …but not to a page whose name was rebound to 127.0.0.1.
    expect(await getWithHost(`${relay.url}/sandbox/desk`, 'evil.example:80')).toBe(403);
    expect(await getWithHost(`${relay.url}/sandbox/desk`, `localhost:${new URL(relay.url).port}`)).toBe(200);
  });

  it('the demo token ends at a clean stop; demo data keeps its demo staff across sandbox restarts', async () => {
    relay = await startTestRelay({ dir, env: SANDBOX });
    const first = relay.demoToken!;
    const riley = await relay.staff('Riley');
    await relay.stop();
    relay = await startTestRelay({ dir, env: SANDBOX });
    expect((await relay.api(first, 'GET', '/api/me')).status).toBe(401);
    expect((await relay.api(riley, 'GET', '/api/me')).status).toBe(200);
    expect((await relay.api(relay.demoToken!, 'GET', '/api/me')).status).toBe(200);
  });
});

describe('plivo mode revokes every demo token', () => {
  it('demo staff and the Demo Desk stop working when the same data dir starts in plivo mode (audited)', async () => {
    relay = await startTestRelay({ dir, env: SANDBOX });
    const riley = await relay.staff('Riley', 'manager'); // added on demo data: demo staff
    await relay.stop();
    // A Demo Desk left behind by a crash, and one from data written before modes were recorded, are covered alike.
    const crashed = await withStore((s) => addStaff(s, 'Demo Desk', 'manager', new Date(), null, true).token);

    relay = await startTestRelay({ dir, env: PLIVO });
    expect(relay.demoToken).toBeNull();
    expect((await relay.api(riley, 'GET', '/api/threads')).status).toBe(401);
    expect((await relay.api(crashed, 'GET', '/api/export/messages.csv')).status).toBe(401);
    const boss = await relay.staff('Morgan', 'manager');
    const audit = (await relay.api(boss, 'GET', '/api/audit?staff=system')).body.entries as any[];
    expect(audit.filter((e) => e.action === 'staff-revoke').map((e) => e.detail.name).sort()).toEqual(['Demo Desk', 'Riley']);
    expect(audit.filter((e) => e.action === 'mode').map((e) => e.detail.mode)).toEqual(['plivo', 'sandbox']); // newest first
    await relay.stop();
    relay = await startTestRelay({ dir, env: PLIVO });
    expect((await relay.api(boss, 'GET', '/api/me')).status).toBe(200); // staff added in plivo mode are real staff
  });

  it('revokes the Demo Desk a sandbox run left on data from before modes were recorded', async () => {
    const legacy = await withStore((s) => {
      const demo = addStaff(s, 'Demo Desk', 'manager').token; // the old relay added it unflagged
      addStaff(s, 'Ana Ruiz', 'manager');
      return demo;
    });
    relay = await startTestRelay({ dir, env: PLIVO });
    expect((await relay.api(legacy, 'GET', '/api/threads')).status).toBe(401);
    expect(relay.store.data.staff.find((s) => s.name === 'Ana Ruiz')!.revokedAt).toBeNull();
  });
});
