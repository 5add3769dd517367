import type { Data } from '../store/data.js';
import type { Store } from '../store/store.js';
import type { Mode } from './mode.js';

/**
 * A data dir remembers its mode in its own audit log: an entry `action=mode` each time it changes (the journal
 * keeps it durable). Unmarked data is either new or from before modes were recorded.
 */
const MARK = 'mode';

/** The mode this data was last marked with, or null if it never was. */
export function recordedMode(data: Data): Mode | null {
  for (let i = data.audit.length - 1; i >= 0; i--) {
    const e = data.audit[i]!;
    if (e.action === MARK) return e.detail.mode as Mode;
  }
  return null;
}

/** Whether the data was ever run for real: once plivo, never demo again. */
export function everPlivo(data: Data): boolean {
  return data.audit.some((e) => e.action === MARK && e.detail.mode === 'plivo');
}

/** Mark the data with `mode` (audited, nobody's hand) unless that is already its mode. */
export function markMode(store: Store, mode: Mode, now: Date): void {
  if (recordedMode(store.data) === mode) return;
  store.append('audit', { seq: store.data.audit.length + 1, at: now.toISOString(), actor: null, action: MARK, threadId: null, detail: { mode } });
}
