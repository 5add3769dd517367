import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../http/free-port.js';
import { signedHeaders } from '../sandbox/sign.js';
import { CALLER, startTestRelay, TRACKING, type TestRelay } from '../testing/harness.js';
import { connectSocket, https as httpsWith, stop, untilServing } from './proxy.js';

// The shipped deploy/Caddyfile, run by Debian's caddy with `tls internal`, in front of a relay on loopback.
const CADDY = '/usr/bin/caddy';
const SHIPPED = path.resolve(import.meta.dirname, '../../../deploy/Caddyfile');
const haveCaddy = existsSync(CADDY);
if (!haveCaddy) console.log('skipped: caddy not installed (apt-get install caddy)');

let dir: string;
let relay: TestRelay;
let caddy: ChildProcess;
let base: string;
let ca: string;

const https = (method: string, url: string, body?: string, headers?: Record<string, string>) => httpsWith(ca, method, url, body, headers);

async function webhook(url: string, form: Record<string, string>, signFor = url) {
  const body = new URLSearchParams(form).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders('messaging', signFor, form, relay.config.plivo.authToken) };
  return https('POST', url, body, headers);
}

describe.skipIf(!haveCaddy)('behind Caddy (HTTPS)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-caddy-'));
    const [httpsPort, httpPort] = [await freePort(), await freePort()];
    base = `https://127.0.0.1:${httpsPort}`;
    relay = await startTestRelay({ dir: path.join(dir, 'data'), env: { PUBLIC_URL: base } });
    const config = path.join(dir, 'Caddyfile');
    await writeFile(
      config,
      `{\n\tadmin off\n\tauto_https disable_redirects\n\tskip_install_trust\n\tlocal_certs\n\tstorage file_system ${dir}/caddy\n` +
        `\thttp_port ${httpPort}\n\thttps_port ${httpsPort}\n}\nimport ${SHIPPED}\n`,
    );
    caddy = spawn(CADDY, ['run', '--config', config, '--adapter', 'caddyfile'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, RINGBACK_DOMAIN: base, RINGBACK_UPSTREAM: new URL(relay.url).host },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    caddy.stderr!.on('data', (d) => (log = (log + String(d)).slice(-4000)));
    const root = path.join(dir, 'caddy/pki/authorities/local/root.crt');
    await untilServing(
      caddy,
      `caddy at ${base}`,
      async () => {
        ca = await readFile(root, 'utf8'); // written once Caddy has made its local CA
        return (await https('GET', `${base}/healthz`)).status === 200;
      },
      async () => log,
    );
  }, 60_000);

  afterAll(async () => {
    await stop(caddy);
    await relay?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('carries the live socket over wss and a webhook signed for the https PUBLIC_URL', async () => {
    const token = await relay.staff('Ana', 'manager');
    const { socket, error } = await connectSocket(base, token, ca);
    try {
      expect(error).toBeUndefined();
      expect(socket.io.engine.transport.name).toBe('websocket');
      const thread = new Promise<any>((resolve) => socket.on('thread', resolve));
      const form = { MessageUUID: 'caddy-1', From: CALLER, To: TRACKING, Text: 'is anyone there?', Type: 'sms' };
      const res = await webhook(`${base}/plivo/sms/inbound`, form);
      expect(res.status).toBe(200);
      const event = await thread;
      expect(event.thread).toMatchObject({ caller: CALLER });
      expect(Object.values(relay.store.data.messages).some((m) => m.text === form.Text)).toBe(true);
    } finally {
      socket.close();
    }
  });

  it("refuses a webhook signed for the relay's own http address: signatures are checked against PUBLIC_URL", async () => {
    const form = { MessageUUID: 'caddy-2', From: CALLER, To: TRACKING, Text: 'signed for the wrong URL', Type: 'sms' };
    const res = await webhook(`${base}/plivo/sms/inbound`, form, `${relay.url}/plivo/sms/inbound`);
    expect(res.status).toBe(403);
    expect(Object.values(relay.store.data.messages).some((m) => m.text === form.Text)).toBe(false);
  });
});
