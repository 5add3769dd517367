import type { StaffMember } from '@ringback/shared';
import type { Data } from '../store/data.js';
import type { Store } from '../store/store.js';
import { revokeDemoStaff } from '../staff/demo.js';
import { everPlivo, markMode, nextAuditSeq, recordedMode } from './data-mode.js';
import { ConfigError } from './load.js';
import { isLoopbackHost, type Mode } from './mode.js';

/** Sandbox mode would expose this data or this address: the relay does not start. */
export class SandboxRefusedError extends ConfigError {
  constructor(problems: string[]) {
    super('sandbox mode', problems);
    this.message =
      `refusing to start in sandbox mode:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      'The demo runs on its own data dir (RINGBACK_DATA_DIR=./data-demo, the default in sandbox mode) on a loopback HOST. ' +
      'For real calls use RINGBACK_MODE=plivo with PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN. ' +
      'RINGBACK_FORCE_SANDBOX=1 overrides this check.';
  }
}

const holdsData = (d: Data) =>
  d.staff.length > 0 || d.audit.length > 0 || [d.threads, d.calls, d.messages, d.contacts, d.optOuts].some((m) => Object.keys(m).length > 0);

/** Why sandbox mode must not run on this data; empty when it is demo data (or new). */
export function sandboxDataProblems(data: Data, dir: string): string[] {
  const problems: string[] = [];
  if (everPlivo(data)) problems.push(`${dir} has been used in plivo mode`);
  const real = data.staff.filter((s) => !s.demo);
  if (real.length > 0) {
    const names = real.slice(0, 5).map((s) => s.name).join(', ') + (real.length > 5 ? `, and ${real.length - 5} more` : '');
    problems.push(`${dir} holds staff who are not demo staff (${names})`);
  } else if (recordedMode(data) === null && holdsData(data)) {
    problems.push(`${dir} holds data that was never marked as demo data`);
  }
  return problems;
}

export interface ModeEntry {
  /** Problems RINGBACK_FORCE_SANDBOX=1 overrode; the caller warns about them. */
  forced: string[];
  /** Demo staff revoked because the data now runs in plivo mode. */
  revoked: StaffMember[];
}

/**
 * Open `store` for `mode`, before anything else touches it: sandbox refuses data that is not demo data and a
 * non-loopback `host` (null: no listener, as in the CLI) unless forced; plivo revokes every demo token. The
 * data then remembers its mode (sandbox forced past a data problem leaves the mark as it was).
 */
export function enterMode(store: Store, mode: Mode, opts: { host: string | null; force: boolean; now: Date }): ModeEntry {
  if (mode === 'plivo') {
    const revoked = revokeDemoStaff(store, opts.now);
    markMode(store, 'plivo', opts.now);
    return { forced: [], revoked };
  }
  const dataProblems = sandboxDataProblems(store.data, store.dir);
  const problems = [...dataProblems];
  if (opts.host !== null && !isLoopbackHost(opts.host)) {
    problems.push(`HOST=${opts.host} is not a loopback address: the sandbox's pages and driving API have no login`);
  }
  if (problems.length > 0 && !opts.force) throw new SandboxRefusedError(problems);
  if (dataProblems.length === 0) markMode(store, 'sandbox', opts.now);
  if (problems.length > 0) {
    store.append('audit', {
      seq: nextAuditSeq(store.data),
      at: opts.now.toISOString(),
      actor: null,
      action: 'sandbox-forced',
      threadId: null,
      detail: { problems },
    });
  }
  return { forced: problems, revoked: [] };
}
