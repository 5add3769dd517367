import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffByToken } from './staff/tokens.js';
import { Store } from './store/store.js';
import { freePort } from './testing/relay-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'relay/src/main.ts');
const TSX = import.meta.resolve('tsx');

let cwd: string;
beforeEach(async () => (cwd = await mkdtemp(path.join(tmpdir(), 'ringback-main-'))));
afterEach(async () => rm(cwd, { recursive: true, force: true }));

/** The shell a newcomer has: no Ringback or Plivo settings at all. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(RINGBACK_|PLIVO_|PORT$|HOST$)/.test(k)) env[k] = v;
  return { ...env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...extra };
}

/** main.ts run from `cwd` (so its default data dir lands there), as the start script runs it. */
function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('relay startup', () => {
  it('with no mode and no credentials, stops with one line naming both choices', async () => {
    const run = start([], { PORT: String(await freePort()) });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(/^ringback: environment is invalid:\n {2}- no mode chosen: set RINGBACK_MODE=sandbox .* or RINGBACK_MODE=plivo/);
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
    expect(existsSync(path.join(cwd, 'data-demo'))).toBe(false);
  }, 60_000);

  it("npm start's script starts the demo on ./data-demo, and its printed token ends at stop", async () => {
    const script = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
    // The production entry under exec (signals reach it); its arguments, given here to the same entry's source.
    const words = script.split(/\s+/);
    expect(words.slice(0, 2)).toEqual(['exec', 'node']);
    const entry = words.indexOf('relay/dist/main.js');
    expect(entry).toBeGreaterThan(0);
    const port = await freePort();
    const run = start(words.slice(entry + 1), { PORT: String(port), LOG_LEVEL: 'info' });
    const until = Date.now() + 60_000;
    // Not a terminal: stdout is JSON lines, the demo token one of them.
    const tokenLine = /"event":"demo-token","token":"(rb_[^"]+)"/;
    while (!tokenLine.test(run.output())) {
      if (run.child.exitCode !== null || Date.now() > until) throw new Error(`the demo did not start:\n${run.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const token = tokenLine.exec(run.output())![1]!;
    expect(run.output()).toMatch(new RegExp(`"event":"start".*"mode":"sandbox","url":"http://127.0.0.1:${port}"`));
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toMatchObject({ sandbox: true });
    expect((await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
    const store = await Store.open(path.join(cwd, 'data-demo'));
    expect(staffByToken(store, token)).toBeNull();
    await store.close();
  }, 90_000);
});
