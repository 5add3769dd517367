import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { businessConfigSchema, envSchema, type BusinessConfig, type Env } from '@ringback/shared';
import type { z } from 'zod';
import { demoConfig } from './demo.js';

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
  /** No Plivo credentials: the relay serves its own simulated line under /sandbox. */
  sandbox: boolean;
  plivo: PlivoSettings;
  allowedOrigins: string[];
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

export function loadConfig(vars: NodeJS.ProcessEnv = process.env): RelayConfig {
  const parsed = envSchema.safeParse(vars);
  if (!parsed.success) throw new ConfigError('environment', describeIssues(parsed.error));
  const env = parsed.data;
  if (!!env.PLIVO_AUTH_ID !== !!env.PLIVO_AUTH_TOKEN) {
    throw new ConfigError('environment', ['PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN must be set together (neither = sandbox mode)']);
  }
  const { business, source } = loadBusinessConfig(env.RINGBACK_CONFIG);
  return buildConfig(env, business, source);
}

/** Derive everything else from env + business config; the port may be known only after listen (tests use 0). */
export function buildConfig(env: Env, business: BusinessConfig, businessSource: string, port = env.PORT): RelayConfig {
  const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`).replace(/\/$/, '');
  const sandbox = !env.PLIVO_AUTH_ID;
  const authId = env.PLIVO_AUTH_ID ?? 'MASANDBOX00000000000';
  const plivo: PlivoSettings = sandbox
    ? {
        authId,
        authToken: randomBytes(24).toString('base64url'),
        apiUrl: `${publicUrl}/sandbox/plivo`,
        lookupUrl: `${publicUrl}/sandbox/plivo/lookup`,
      }
    : {
        authId,
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
  return { env, business, businessSource, publicUrl, sandbox, plivo, allowedOrigins };
}
