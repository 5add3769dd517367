import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import proxyAddr from '@fastify/proxy-addr';
import { businessConfigSchema, envSchema, type BusinessConfig, type Env } from '@ringback/shared';
import type { z } from 'zod';
import { demoConfig } from './demo.js';
import { chooseMode, defaultDataDir, type Mode } from './mode.js';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** One readable line per problem: "locations.0.timezone: unknown IANA time zone". */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export interface PlivoSettings {
  authId: string;
  authToken: string;
  apiUrl: string;
  lookupUrl: string;
}

export interface RelayConfig {
  env: Env;
  business: BusinessConfig;
  /** Where the business config came from (a path, or "built-in demo"). */
  businessSource: string;
  publicUrl: string;
  mode: Mode;
  /** Sandbox mode: the relay serves its own simulated line under /sandbox, on demo data. */
  sandbox: boolean;
  /** RINGBACK_FORCE_SANDBOX=1: sandbox starts even where it would refuse (non-demo data, non-loopback HOST). */
  forceSandbox: boolean;
  plivo: PlivoSettings;
  allowedOrigins: string[];
  /** Is this peer (at this hop) a reverse proxy whose X-Forwarded-For may be believed? */
  trustProxy: (address: string, hop: number) => boolean;
}

export function parseBusinessConfig(json: unknown, source: string): BusinessConfig {
  const result = businessConfigSchema.safeParse(json);
  if (!result.success) throw new ConfigError(source, describeIssues(result.error));
  return result.data;
}

export function loadBusinessConfig(file: string | undefined): { business: BusinessConfig; source: string } {
  const path = file ?? (existsSync('./ringback.config.json') ? './ringback.config.json' : undefined);
  if (!path) return { business: parseBusinessConfig(demoConfig, 'built-in demo'), source: 'built-in demo' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, [(e as Error).message]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, [jsonErrorAt(text, e as Error)]);
  }
  return { business: parseBusinessConfig(json, path), source: path };
}

/** "line 4, column 18: Expected ',' or '}' …": V8 gives only a character position (Node 20). */
export function jsonErrorAt(text: string, e: Error): string {
  const message = e.message.replace(/, (\.\.\.)?"[\s\S]*" is not valid JSON$/, '').replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s+in JSON at position \d+/, '');
  const pos = /at position (\d+)/.exec(e.message);
  const at = pos ? Number(pos[1]) : /Unexpected end of JSON input/.test(e.message) ? text.length : firstBadChar(text);
  const before = text.slice(0, at).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}: ${message}`;
}

/** Where parsing first breaks: the shortest prefix that fails for a reason other than ending too soon. */
function firstBadChar(text: string): number {
  const broken = (n: number) => {
    try {
      JSON.parse(text.slice(0, n));
      return false;
    } catch (e) {
      const m = (e as Error).message;
      const pos = /at position (\d+)/.exec(m);
      return !/Unexpected end of JSON input/.test(m) && !(pos && Number(pos[1]) >= n);
    }
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (broken(mid + 1)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The environment with its mode settled: RINGBACK_MODE set, and RINGBACK_DATA_DIR defaulted for that mode.
 * Without a mode (and no `fallback`) the mode is null and the data dir the plain default (the CLI works on it).
 */
export function loadEnv(vars: NodeJS.ProcessEnv, fallback: Mode | null): { env: Env; mode: Mode | null; problem: string | null } {
  const parsed = envSchema.safeParse(vars);
  if (!parsed.success) throw new ConfigError('environment', describeIssues(parsed.error));
  const env = parsed.data;
  if (!!env.PLIVO_AUTH_ID !== !!env.PLIVO_AUTH_TOKEN) {
    throw new ConfigError('environment', ['PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN must be set together']);
  }
  const chosen = chooseMode(env, fallback);
  if ('problem' in chosen) return { env, mode: null, problem: chosen.problem };
  const dataDir = vars.RINGBACK_DATA_DIR === undefined ? defaultDataDir[chosen.mode] : env.RINGBACK_DATA_DIR;
  return { env: { ...env, RINGBACK_MODE: chosen.mode, RINGBACK_DATA_DIR: dataDir }, mode: chosen.mode, problem: null };
}

/** `fallback`: the mode when neither RINGBACK_MODE nor Plivo credentials are set (`npm start` passes sandbox). */
export function loadConfig(vars: NodeJS.ProcessEnv = process.env, fallback: Mode | null = null): RelayConfig {
  const { env, problem } = loadEnv(vars, fallback);
  if (problem) throw new ConfigError('environment', [problem]);
  const { business, source } = loadBusinessConfig(env.RINGBACK_CONFIG);
  return buildConfig(env, business, source);
}

/** Derive everything else from env + business config; the port may be known only after listen (tests use 0). */
export function buildConfig(env: Env, business: BusinessConfig, businessSource: string, port = env.PORT): RelayConfig {
  const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`).replace(/\/$/, '');
  // Configs built in code (tests) may leave the mode implied; loadConfig always settles it.
  const mode: Mode = env.RINGBACK_MODE ?? (env.PLIVO_AUTH_ID ? 'plivo' : 'sandbox');
  if (mode === 'plivo' && !(env.PLIVO_AUTH_ID && env.PLIVO_AUTH_TOKEN)) {
    throw new ConfigError('environment', ['RINGBACK_MODE=plivo needs PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN']);
  }
  const sandbox = mode === 'sandbox';
  // Sandbox mode never uses real credentials, even when they are set.
  const plivo: PlivoSettings = sandbox
    ? {
        authId: 'MASANDBOX00000000000',
        authToken: randomBytes(24).toString('base64url'),
        apiUrl: `${publicUrl}/sandbox/plivo`,
        lookupUrl: `${publicUrl}/sandbox/plivo/lookup`,
      }
    : {
        authId: env.PLIVO_AUTH_ID!,
        authToken: env.PLIVO_AUTH_TOKEN!,
        apiUrl: (env.PLIVO_API_URL ?? 'https://api.plivo.com').replace(/\/$/, ''),
        lookupUrl: (env.PLIVO_LOOKUP_URL ?? 'https://lookup.plivo.com').replace(/\/$/, ''),
      };
  // Extension origins cannot be claimed by a web page, and the staff token is checked regardless.
  const allowedOrigins = [
    new URL(publicUrl).origin,
    'chrome-extension://*',
    'moz-extension://*',
    // The desktop app serves its windows from its own app:// protocol.
    'app://ringback',
    ...(env.RINGBACK_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
  ];
  const forceSandbox = sandbox && env.RINGBACK_FORCE_SANDBOX === '1';
  return { env, business, businessSource, publicUrl, mode, sandbox, forceSandbox, plivo, allowedOrigins, trustProxy: trustProxy(env.RINGBACK_TRUST_PROXY) };
}

/** Nobody's X-Forwarded-For is believed unless RINGBACK_TRUST_PROXY names the proxies in front of the relay. */
function trustProxy(value: string | undefined): (address: string, hop: number) => boolean {
  const list = (value ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  if (list.length === 0) return () => false;
  try {
    return proxyAddr.compile(list);
  } catch (e) {
    throw new ConfigError('environment', [`RINGBACK_TRUST_PROXY: ${(e as Error).message} (give addresses, CIDR ranges or "loopback")`]);
  }
}
