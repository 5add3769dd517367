import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../http/free-port.js';
import { startTestRelay, type TestRelay } from '../testing/harness.js';

// The deployment kit in deploy/: what this machine can check without Docker or a running systemd.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (p: string) => readFile(path.join(ROOT, p), 'utf8');
const run = promisify(execFile);
const rootPkg = JSON.parse(await read('package.json'));
const relayPkg = JSON.parse(await read('relay/package.json'));
const floor = /^>=(\d+)\.(\d+)$/.exec(rootPkg.engines.node);

interface Stage { from: string; name?: string; lines: { op: string; args: string }[] }

/** Dockerfile instructions (continuations joined, comments dropped), grouped by stage. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const raw of text.replace(/\\\n\s*/g, ' ').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') {
      const [from, , name] = args!.split(/\s+/);
      stages.push({ from: from!, ...(name ? { name } : {}), lines: [] });
    } else stages.at(-1)!.lines.push({ op: op!.toUpperCase(), args: args! });
  }
  return stages;
}

describe('release', () => {
  it('one version and one Node floor: root, relay, CHANGELOG, README and the Docker image agree', async () => {
    expect(floor, 'engines.node is ">=MAJOR.MINOR"').not.toBeNull();
    expect(relayPkg.version).toBe(rootPkg.version);
    expect(relayPkg.engines.node).toBe(rootPkg.engines.node);
    const changelog = await read('CHANGELOG.md');
    expect(/^## (\S+)/m.exec(changelog)?.[1]).toBe(rootPkg.version);
    expect(await read('README.md')).toContain(`Node.js ${floor![1]}.${floor![2]}`);
    for (const stage of parseDockerfile(await read('deploy/Dockerfile'))) expect(stage.from).toMatch(new RegExp(`^node:${floor![1]}-`));
  });
});

describe('install scripts', () => {
  it('the extension postinstall skips wxt prepare on a production install but fails when wxt itself fails', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-bin-'));
    try {
      const prepare = (PATH: string) => run(process.execPath, ['scripts/prepare.mjs'], { cwd: path.join(ROOT, 'extension'), env: { ...process.env, PATH } });
      const skipped = await prepare(dir);
      expect(skipped.stdout).toContain('skipping wxt prepare');
      await writeFile(path.join(dir, 'wxt'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
      await expect(prepare(dir)).rejects.toMatchObject({ code: 3 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Electron\'s install script is denied, so npm ci never downloads its binary', () => {
    expect(rootPkg.allowScripts.electron).toBe(false);
    const desktop = JSON.parse(readFileSync(path.join(ROOT, 'desktop/package.json'), 'utf8'));
    expect(desktop.optionalDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/);
    expect(desktop.devDependencies?.electron).toBeUndefined();
    expect(rootPkg.scripts['desktop:setup']).toBeDefined();
  });
});

describe('Dockerfile', () => {
  let stages: Stage[];
  beforeAll(async () => void (stages = parseDockerfile(await read('deploy/Dockerfile'))));
  const final = () => stages.at(-1)!;
  const ops = (s: Stage, op: string) => s.lines.filter((l) => l.op === op).map((l) => l.args);

  it('is multi-stage; the image runs the built relay with node, as a non-root user, with data on a volume', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const user = ops(final(), 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(ops(final(), 'VOLUME')).toContain('/data');
    expect(ops(final(), 'ENV').join(' ')).toContain('RINGBACK_DATA_DIR=/data');
    const cmd = JSON.parse(ops(final(), 'CMD').at(-1)!) as string[];
    expect(cmd[0]).toBe('node');
    expect(cmd.at(-1)).toBe('relay/dist/main.js');
    // The runtime stage takes the build's output and production packages only: no source, no npm ci with dev tools.
    for (const copy of ops(final(), 'COPY')) expect(copy).toMatch(/^--from=/);
    expect(ops(final(), 'RUN').join(' ')).not.toMatch(/npm (ci|install)/);
  });

  it('builds with the same commands the README gives for a relay-only install', async () => {
    const runs = stages.flatMap((s) => ops(s, 'RUN'));
    const readme = await read('README.md');
    const prodInstall = runs.find((r) => r.includes('--omit=dev'));
    expect(prodInstall).toBeDefined();
    expect(readme).toContain(prodInstall!.replace(/ --no-audit --no-fund/, ''));
    expect(runs).toContain('npm run build --workspace=@ringback/relay');
  });

  it('copies only paths that exist in the repository', () => {
    for (const stage of stages) {
      for (const copy of ops(stage, 'COPY').filter((c) => !c.startsWith('--from='))) {
        const sources = copy.split(/\s+/).slice(0, -1);
        for (const src of sources) expect(existsSync(path.join(ROOT, src)), `COPY ${src}`).toBe(true);
      }
    }
  });

  describe('HEALTHCHECK, run as the image would run it', () => {
    let relay: TestRelay;
    let check: string[];
    beforeAll(async () => {
      relay = await startTestRelay();
      const hc = ops(final(), 'HEALTHCHECK').at(-1)!;
      check = JSON.parse(/CMD\s+(\[.*\])\s*$/.exec(hc)![1]!) as string[];
    });
    afterAll(async () => relay?.stop());
    const probe = (port: string) =>
      new Promise<number | null>((resolve) => {
        const [cmd, ...args] = check;
        spawn(cmd === 'node' ? process.execPath : cmd!, args, { env: { ...process.env, PORT: port }, stdio: 'ignore' }).once('exit', resolve);
      });

    it('passes against a healthy relay and fails where nothing listens', async () => {
      expect(check[0]).toBe('node');
      expect(check.join(' ')).toContain('/healthz');
      expect(await probe(new URL(relay.url).port)).toBe(0);
      expect(await probe(String(await freePort()))).toBe(1);
    });
  });
});

describe('compose.yaml and Caddyfile', () => {
  it('compose builds the relay image, keeps data on a volume, and puts Caddy in front with PUBLIC_URL on https', async () => {
    const compose = await read('deploy/compose.yaml');
    expect(compose).toMatch(/dockerfile: deploy\/Dockerfile/);
    expect(compose).toMatch(/- ringback-data:\/data/);
    expect(compose).toMatch(/PUBLIC_URL: https:\/\/\$\{RINGBACK_DOMAIN/);
    expect(compose).toMatch(/image: caddy:2/);
    expect(compose).toMatch(/- \.\/Caddyfile:\/etc\/caddy\/Caddyfile:ro/);
    expect(compose).toMatch(/- "443:443"/);
    // The relay itself is not published: only Caddy is reachable from outside.
    expect(compose.split(/\n {2}caddy:/)[0]).not.toMatch(/ports:/);
    expect(compose).toMatch(/env_file: ringback\.env/);
    expect(existsSync(path.join(ROOT, 'deploy/ringback.env.example'))).toBe(true);
  });

  it.skipIf(!existsSync('/usr/bin/caddy'))('the shipped Caddyfile adapts to a reverse proxy for the domain to the relay', async () => {
    const { stdout } = await run('/usr/bin/caddy', ['adapt', '--config', path.join(ROOT, 'deploy/Caddyfile'), '--adapter', 'caddyfile'], {
      env: { PATH: process.env.PATH, RINGBACK_DOMAIN: 'ringback.example.com', RINGBACK_UPSTREAM: 'relay:8787' },
    });
    const routes = JSON.parse(stdout).apps.http.servers.srv0.routes;
    expect(routes[0].match[0].host).toEqual(['ringback.example.com']);
    expect(JSON.stringify(routes)).toContain('"dial":"relay:8787"');
  });
});

describe('systemd unit', () => {
  let unit: string;
  let dir: string;
  beforeAll(async () => {
    unit = await read('deploy/ringback.service');
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-unit-'));
  });
  afterAll(async () => dir && rm(dir, { recursive: true, force: true }));
  const keys = () => new Map(unit.split('\n').filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));

  it('is hardened: own user, env file, private umask, restarts on failure, sandboxed', () => {
    const k = keys();
    expect(k.get('User')).toBe('ringback');
    expect(k.get('WorkingDirectory')).toBe('/opt/ringback');
    expect(k.get('EnvironmentFile')).toBe('/etc/ringback/ringback.env');
    expect(k.get('UMask')).toBe('0077');
    expect(k.get('Restart')).toBe('on-failure');
    expect(k.get('ExecStart')).toBe('/usr/bin/node --enable-source-maps /opt/ringback/relay/dist/main.js');
    for (const [key, value] of Object.entries({ NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', StateDirectory: 'ringback', CapabilityBoundingSet: '' })) {
      expect(k.get(key), key).toBe(value);
    }
    expect(k.get('Environment')).toContain('RINGBACK_DATA_DIR=/var/lib/ringback');
    // V8 compiles code at run time: this option would stop node at start.
    expect(k.has('MemoryDenyWriteExecute')).toBe(false);
    // A system call outside the filter fails softly (libuv falls back from io_uring) instead of killing node.
    expect(k.get('SystemCallErrorNumber')).toBe('EPERM');
  });

  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))('passes systemd-analyze verify, which does catch a broken copy', async () => {
    const verify = async (text: string) => {
      const file = path.join(dir, 'ringback.service');
      await writeFile(file, text);
      return run('systemd-analyze', ['verify', file]).then(
        (r) => ({ ok: true, out: r.stdout + r.stderr }),
        (e: { stdout: string; stderr: string }) => ({ ok: false, out: e.stdout + e.stderr }),
      );
    };
    // ExecStart must name an executable that exists here; the relay's path is only an argument.
    const here = unit.replace('/usr/bin/node ', `${process.execPath} `);
    const good = await verify(here);
    expect(good.out).toBe('');
    expect(good.ok).toBe(true);
    const broken = await verify(here.replace('UMask=0077', 'UMsk=0077'));
    expect(broken.out).toMatch(/Unknown key 'UMsk'/);
  });
});

describe('Plivo fallback', () => {
  it('the example fallback answer dials the desk without the relay', async () => {
    const xml = await read('deploy/plivo-fallback.xml');
    expect(xml).toMatch(/<Response>\s*<Dial[^>]*>\s*<Number>\+\d{8,15}<\/Number>\s*<\/Dial>\s*<\/Response>/);
    expect(xml).not.toMatch(/plivo\/voice/);
  });
});

describe('nginx example', () => {
  it('passes the WebSocket upgrade through and proxies to the relay', async () => {
    const conf = await read('deploy/nginx.conf');
    expect(conf).toMatch(/proxy_pass http:\/\/127\.0\.0\.1:8787;/);
    expect(conf).toMatch(/proxy_http_version 1\.1;/);
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(conf).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade/);
  });
});
