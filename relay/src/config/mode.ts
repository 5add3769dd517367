import { isIP } from 'node:net';
import type { Env } from '@ringback/shared';

/** sandbox: the simulated line on demo data; plivo: the real carrier. Always a choice, never a fallback. */
export type Mode = 'sandbox' | 'plivo';

/** Each mode has its own default data dir, so the demo never opens the real one by accident. */
export const defaultDataDir: Record<Mode, string> = { sandbox: './data-demo', plivo: './data' };

export const NO_MODE =
  'no mode chosen: set RINGBACK_MODE=sandbox for the demo line on demo data (./data-demo), ' +
  'or RINGBACK_MODE=plivo with PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN for real calls';

/**
 * The mode the environment asks for: RINGBACK_MODE, else plivo when credentials are set, else `fallback`
 * (`npm start` passes sandbox), else a problem telling the two choices.
 */
export function chooseMode(env: Env, fallback: Mode | null): { mode: Mode } | { problem: string } {
  const credentials = !!env.PLIVO_AUTH_ID && !!env.PLIVO_AUTH_TOKEN;
  if (env.RINGBACK_MODE === 'plivo' && !credentials) {
    return { problem: 'RINGBACK_MODE=plivo needs PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN (Plivo console → API keys)' };
  }
  const mode = env.RINGBACK_MODE ?? (credentials ? 'plivo' : fallback);
  return mode ? { mode } : { problem: NO_MODE };
}

/** A listen address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
}
