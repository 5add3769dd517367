import type { AuditEntry } from '@ringback/shared';
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
  return data.audit.some((e) => e.action === MARK && (e.detail.mode === 'plivo' || e.detail.everPlivo === true));
}

/**
 * The oldest audit entries are about to be archived: when they hold the data's only mode marks, the mark
 * is carried forward (with whether it was ever plivo), so the mode outlives its entry in the hot log.
 */
export function carryMode(store: Store, dropped: readonly AuditEntry[], now: Date): void {
  const kept = store.data.audit.slice(dropped.length);
  const marks = dropped.filter((e) => e.action === MARK);
  if (marks.length === 0 || kept.some((e) => e.action === MARK)) return;
  const everPlivo = marks.some((e) => e.detail.mode === 'plivo' || e.detail.everPlivo === true);
  const seq = (store.data.audit.at(-1)?.seq ?? 0) + 1;
  store.append('audit', { seq, at: now.toISOString(), actor: null, action: MARK, threadId: null, detail: { mode: marks.at(-1)!.detail.mode, carried: true, everPlivo } });
}

/** Mark the data with `mode` (audited, nobody's hand) unless that is already its mode. */
export function markMode(store: Store, mode: Mode, now: Date): void {
  if (recordedMode(store.data) === mode) return;
  store.append('audit', { seq: nextAuditSeq(store.data), at: now.toISOString(), actor: null, action: MARK, threadId: null, detail: { mode } });
}

/** The next audit entry's number: the log's head may have been archived, so it follows the last one. */
export function nextAuditSeq(data: Data): number {
  return (data.audit.at(-1)?.seq ?? data.audit.length) + 1;
}
