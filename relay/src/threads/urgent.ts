import type { ThreadSummary } from '@ringback/shared';
import { audit, type Ctx } from './context.js';

/**
 * Lift a thread to the top of the queue for urgent words (a reply's, or an urgent service the assistant heard):
 * the banner quotes every word seen; the audit history records the first time only.
 */
export function markUrgent(ctx: Ctx, thread: ThreadSummary, words: string[], messageId: string): void {
  const before = new Set(thread.urgentWords ?? []);
  const fresh = words.filter((w) => !before.has(w));
  if (thread.urgent && fresh.length === 0) return;
  const first = !thread.urgent;
  thread.urgent = true;
  thread.urgentWords = [...before, ...fresh];
  ctx.changes.thread(thread);
  if (first) audit(ctx, null, 'urgent', thread.id, { words, messageId });
}
