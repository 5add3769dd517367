import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../http/free-port.js';

export interface RelayProcess {
  url: string;
  port: number;
  /** Stop at once, as a crash would. */
  kill9(): Promise<void>;
  /** SIGTERM: the relay saves and exits. */
  stop(): Promise<void>;
}

/**
 * The relay as its own process (as in production), in Plivo mode against a stand-in at `plivoUrl`.
 * Used where the process itself matters: crash tests and benchmarks.
 */
export async function spawnRelay(opts: { dir: string; config: string; plivoUrl: string; authId: string; authToken: string; port?: number }): Promise<RelayProcess> {
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../main.ts')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      RINGBACK_DATA_DIR: opts.dir,
      RINGBACK_CONFIG: opts.config,
      PLIVO_AUTH_ID: opts.authId,
      PLIVO_AUTH_TOKEN: opts.authToken,
      PLIVO_API_URL: opts.plivoUrl,
      PLIVO_LOOKUP_URL: opts.plivoUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the relay did not start within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { url, port, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
