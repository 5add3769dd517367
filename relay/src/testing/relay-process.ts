import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../http/free-port.js';

export { freePort };

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MAIN = path.join(ROOT, 'relay/src/main.ts');
const CLI = path.join(ROOT, 'relay/src/cli.ts');

export interface RelayProcess {
  url: string;
  port: number;
  /** Stop at once, as a crash would. */
  kill9(): Promise<void>;
  /** SIGTERM: the relay saves and exits (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface RelayProcessOptions {
  dir: string;
  /** Keep a port across restarts ("relay unreachable, then back"). */
  port?: number;
  /** Business configuration file; the built-in demo when absent. */
  config?: string;
  /** A Plivo stand-in to talk to; without it the relay runs its own sandbox line. */
  plivo?: { url: string; authId: string; authToken: string };
  env?: Record<string, string>;
}

/**
 * A staff token through the real CLI (run it before a relay holds the data dir); the token is its last line.
 * In sandbox mode (the default, as spawnRelay's) the data dir becomes demo data and the staff demo staff.
 */
export async function staffToken(dir: string, name: string, role: 'manager' | 'receptionist', mode: 'sandbox' | 'plivo' = 'sandbox'): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, 'staff', 'add', '--name', name, '--role', role], {
    cwd: ROOT,
    // The CLI never talks to Plivo; plivo mode only wants credentials to be set.
    env: { ...process.env, RINGBACK_DATA_DIR: dir, RINGBACK_MODE: mode, ...(mode === 'plivo' ? { PLIVO_AUTH_ID: 'MACLI', PLIVO_AUTH_TOKEN: 'cli' } : {}) },
  });
  return stdout.trim().split('\n').at(-1)!.trim();
}

/**
 * The relay as its own process, as in production, on a loopback port with the given data dir. Used
 * where the process itself matters: crash tests, benchmarks and the browser end-to-end tests.
 */
export async function spawnRelay(opts: RelayProcessOptions): Promise<RelayProcess> {
  const port = opts.port ?? (await freePort());
  // Sandbox mode unless a Plivo stand-in is given, whatever the calling shell has set.
  const { PLIVO_AUTH_ID: _id, PLIVO_AUTH_TOKEN: _token, PLIVO_API_URL: _api, PLIVO_LOOKUP_URL: _lookup, ...inherited } = process.env;
  const env: Record<string, string | undefined> = {
    ...inherited,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    RINGBACK_DATA_DIR: opts.dir,
    RINGBACK_MODE: opts.plivo ? 'plivo' : 'sandbox',
    LOG_LEVEL: 'warn',
    ...(opts.config ? { RINGBACK_CONFIG: opts.config } : {}),
    ...(opts.plivo
      ? { PLIVO_AUTH_ID: opts.plivo.authId, PLIVO_AUTH_TOKEN: opts.plivo.authToken, PLIVO_API_URL: opts.plivo.url, PLIVO_LOOKUP_URL: opts.plivo.url }
      : {}),
    ...opts.env,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Keep the tail of what it printed, for the error when it does not come up (and so the pipes never fill).
  let output = '';
  const keep = (d: Buffer) => (output = (output + String(d)).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the relay did not start within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    port,
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const late = setTimeout(() => alive() && child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(late);
    },
  };
}
