import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../http/free-port.js';
import { signedHeaders } from '../sandbox/sign.js';
import { CALLER, startTestRelay, TRACKING, type TestRelay } from '../testing/harness.js';
import { connectSocket, https as httpsWith, stop, untilServing } from './proxy.js';

// The shipped deploy/nginx.conf, run by Debian's nginx on loopback ports with a throwaway certificate.
const NGINX = '/usr/sbin/nginx';
const SHIPPED = path.resolve(import.meta.dirname, '../../../deploy/nginx.conf');
const haveNginx = existsSync(NGINX);
if (!haveNginx) console.log('skipped: nginx not installed (apt-get install nginx)');

let dir: string;
let relay: TestRelay;
let nginx: ChildProcess;
let ca: string;
let base: string;
let plain: string;

const https = (method: string, url: string, body?: string, headers?: Record<string, string>) => httpsWith(ca, method, url, body, headers);
const connect = (url: string, token: string) => connectSocket(url, token, ca);

describe.skipIf(!haveNginx)('behind nginx (deploy/nginx.conf)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-nginx-'));
    const [tlsPort, httpPort, plainPort] = [await freePort(), await freePort(), await freePort()];
    base = `https://127.0.0.1:${tlsPort}`;
    plain = `https://127.0.0.1:${plainPort}`;
    relay = await startTestRelay({ dir: path.join(dir, 'data'), env: { PUBLIC_URL: base } });
    const upstream = new URL(relay.url).host;
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`]);
    ca = await readFile(`${dir}/cert.pem`, 'utf8');
    // The shipped file with this machine's ports, certificate and relay; IPv6 listeners dropped.
    const site = (await readFile(SHIPPED, 'utf8'))
      .replace(/^\s*listen \[::\].*\n/gm, '')
      .replace(/listen 443 /g, `listen 127.0.0.1:${tlsPort} `)
      .replace(/listen 80;/g, `listen 127.0.0.1:${httpPort};`)
      .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${dir}/cert.pem;`)
      .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${dir}/key.pem;`)
      .replaceAll('127.0.0.1:8787', upstream);
    expect(site).toContain(`proxy_pass http://${upstream};`);
    // The same server with a bare proxy_pass, as the README warns against.
    const bare = /server \{[\s\S]*?\n\}/.exec(site)![0]
      .replace(`127.0.0.1:${tlsPort}`, `127.0.0.1:${plainPort}`)
      .replace(/^\s*proxy_(http_version|set_header (Upgrade|Connection)).*\n/gm, '');
    await writeFile(`${dir}/site.conf`, site);
    await writeFile(`${dir}/bare.conf`, bare);
    await writeFile(`${dir}/nginx.conf`, `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n` +
      `  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n` +
      `  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n  include ${dir}/site.conf;\n  include ${dir}/bare.conf;\n}\n`);
    nginx = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    nginx.stderr!.on('data', (d) => (log += String(d)));
    await untilServing(
      nginx,
      `nginx at ${base}`,
      async () => (await https('GET', `${base}/healthz`)).status === 200,
      async () => log + (await readFile(`${dir}/error.log`, 'utf8').catch(() => '')),
    );
  }, 60_000);

  afterAll(async () => {
    await stop(nginx);
    await relay?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('carries the live socket over wss and a webhook signed for the https PUBLIC_URL', async () => {
    const token = await relay.staff('Ana', 'manager');
    const { socket, error } = await connect(base, token);
    try {
      expect(error).toBeUndefined();
      const thread = new Promise<any>((resolve) => socket.on('thread', resolve));
      const form = { MessageUUID: 'nginx-1', From: CALLER, To: TRACKING, Text: 'through nginx', Type: 'sms' };
      const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders('messaging', `${base}/plivo/sms/inbound`, form, relay.config.plivo.authToken) };
      expect((await https('POST', `${base}/plivo/sms/inbound`, new URLSearchParams(form).toString(), headers)).status).toBe(200);
      expect((await thread).thread).toMatchObject({ caller: CALLER });
    } finally {
      socket.close();
    }
  });

  it('a bare proxy_pass, without the Upgrade headers, cannot open the live socket', async () => {
    expect((await https('GET', `${plain}/healthz`)).status).toBe(200);
    const { socket, error } = await connect(plain, await relay.staff('Riley'));
    socket.close();
    expect(error).toBeDefined();
  });
});
