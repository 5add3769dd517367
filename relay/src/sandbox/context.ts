import type { ThreadSummary } from '@ringback/shared';
import type { Background } from './background.js';
import type { SandboxState } from './state.js';

export interface SandboxLog {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
}

export interface DeskView {
  seq: number;
  threads: ThreadSummary[];
}

export interface SandboxOptions {
  /**
   * Base URL of the relay, e.g. http://127.0.0.1:8787 — webhooks go to publicUrl + '/plivo/...'. A function is
   * read at each use, for servers that learn their port only after listen (port 0 in tests).
   */
  publicUrl: string | (() => string);
  /** Sandbox Plivo account id, e.g. 'MASANDBOX000000000000'. */
  authId: string;
  /** Checks Basic auth on the REST stand-in AND signs webhooks. */
  authToken: string;
  /** The business's tracking numbers (E.164) from config. */
  trackingNumbers: string[];
  /**
   * The front desk's threads for the dev-phone page, read without a token: served only to loopback clients, and
   * only when given (the relay gives it in sandbox mode on demo data). No token ever goes into the page.
   */
  deskView?: () => DeskView;
  log?: SandboxLog;
}

/** What every sandbox module shares for one registered sandbox (tests run several side by side). */
export interface SandboxContext {
  opts: SandboxOptions;
  /** publicUrl now, without a trailing slash. */
  base(): string;
  state: SandboxState;
  bg: Background;
  log: SandboxLog;
}

/** Logs must not carry full phone numbers at info level (DESIGN "Conventions"): one masking for the whole relay. */
export { maskNumber } from '@ringback/shared';
