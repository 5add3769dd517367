import type { HandOffReason } from '../contract/booking.js';
import type { ThreadSummary } from '../contract/model.js';

/**
 * The booking assistant is talking to this caller right now: nobody on the desk has to. The queue says "Assistant"
 * instead of "Unclaimed", and the caller's replies to it are not news for the badge or a notification.
 */
export function assistantActive(t: ThreadSummary): boolean {
  const a = t.assistant;
  return !!a && t.status === 'open' && !t.claim && !a.handedOff && a.step !== 'booked' && a.step !== 'handed-off';
}

/** Why the assistant stepped back, as the desk reads it. */
export const handOffText: Record<HandOffReason, string> = {
  claimed: 'Claimed by staff',
  'off-script': 'Caller went off script',
  urgent: 'Urgent words',
  'text-cap': 'Text limit reached',
  'opted-out': 'Caller opted out',
  'no-slots': 'No free times to offer',
  'calendar-down': 'Calendar unreachable',
};

/** The assistant just stepped back and nobody has the caller: that, not each reply it answered, is news for the desk. */
export function handedToDesk(prev: ThreadSummary | undefined, next: ThreadSummary): boolean {
  return !!prev && assistantActive(prev) && !assistantActive(next) && next.status === 'open' && !next.claim && !!next.assistant?.handedOff;
}
