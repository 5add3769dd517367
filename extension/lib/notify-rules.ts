import type { Message, ThreadSummary } from '@ringback/shared';
import { assistantActive, handedToDesk, handOffText, type Snooze } from '@ringback/shared/client';

export interface Note {
  /** Notification id: the thread id, so a thread's notification is updated in place. */
  id: string;
  title: string;
  message: string;
  kind: 'missed' | 'reply' | 'reminder' | 'burst';
  /** An urgent caller: their own notification and sound, never folded into a burst. */
  urgent: boolean;
}

const mineOrUnclaimed = (t: ThreadSummary, meId: string) => t.status === 'open' && (!t.claim || t.claim.staffId === meId);
const who = (t: ThreadSummary) => t.callerName ?? t.callerDisplay;

/** A new missed call on a thread nobody else owns. */
export function missedCallNote(prev: ThreadSummary | undefined, next: ThreadSummary, meId: string): Note | null {
  if (!next.lastMissedAt || next.lastMissedAt === prev?.lastMissedAt || !mineOrUnclaimed(next, meId)) return null;
  const count = next.missedCount > 1 ? ` (${next.missedCount} calls)` : '';
  const urgent = next.urgent === true;
  return { id: next.id, title: `${urgent ? 'URGENT · ' : ''}Missed call · ${who(next)}${count}`, message: next.voicemail ? 'Left a voicemail.' : 'Waiting for a call back.', kind: 'missed', urgent };
}

/** The caller wrote back on a thread that is mine or unclaimed (and not to the assistant, which answers it). */
export function replyNote(thread: ThreadSummary | undefined, m: Message, meId: string): Note | null {
  if (m.direction !== 'in' || !thread || !mineOrUnclaimed(thread, meId) || assistantActive(thread)) return null;
  const urgent = thread.urgent === true;
  return { id: thread.id, title: `${urgent ? 'URGENT · ' : ''}Reply from ${who(thread)}`, message: m.text.length > 140 ? m.text.slice(0, 139) + '…' : m.text, kind: 'reply', urgent };
}

/** The booking assistant handed a caller nobody has to the desk: why, in its own notification. */
export function handOffNote(prev: ThreadSummary | undefined, next: ThreadSummary): Note | null {
  if (!handedToDesk(prev, next)) return null;
  const urgent = next.urgent === true;
  return { id: next.id, title: `${urgent ? 'URGENT · ' : ''}Assistant handed over ${who(next)}`, message: handOffText[next.assistant!.handedOff!.reason], kind: 'reply', urgent };
}

export const BURST_ID = 'ringback-burst';
export const BURST_WINDOW_MS = 2 * 60_000;
export const BURST_MIN = 3;

/** Several missed calls close together become one "N missed calls in the last 2 min". */
export function burstNote(missedAts: readonly number[], now: number): Note | null {
  const recent = missedAts.filter((t) => now - t <= BURST_WINDOW_MS).length;
  return recent >= BURST_MIN ? { id: BURST_ID, title: `${recent} missed calls in the last 2 min`, message: 'Open Ringback to see who is waiting.', kind: 'burst', urgent: false } : null;
}

/**
 * What a new missed-call note becomes: an urgent caller's stays their own (and is not counted towards a burst);
 * others are counted, and the third within two minutes turns into the burst note.
 */
export function foldMissed(note: Note, missedAts: readonly number[], now: number): { note: Note; missedAts: number[] } {
  if (note.urgent) return { note, missedAts: [...missedAts] };
  const next = [...missedAts, now];
  return { note: burstNote(next, now) ?? note, missedAts: next };
}

/** Alarm names for thread reminders ("Remind me at 2:00 PM"). */
export const REMIND_PREFIX = 'remind:';

/** A reminder came due: the thread's own notification (same id), which opens it. */
export const reminderNote = (s: Snooze): Note => ({
  id: s.threadId,
  title: `Reminder: call ${s.caller || 'the caller'} back`,
  message: 'You asked to be reminded about this caller.',
  kind: 'reminder',
  urgent: false,
});
