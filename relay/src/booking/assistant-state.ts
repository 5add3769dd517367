import type { AssistantState, HandOffReason, ThreadSummary } from '@ringback/shared';
import { audit, type Ctx } from '../threads/context.js';
import { queueSms } from '../threads/send.js';

/** A fresh conversation. */
export function startState(now: Date): AssistantState {
  return {
    step: 'service',
    questionId: null,
    serviceId: null,
    answers: {},
    wish: null,
    offered: [],
    textsSinceReply: 0,
    startedAt: now.toISOString(),
    qualifiedAt: null,
    bookingId: null,
    handedOff: null,
    misses: 0,
  };
}

/** The assistant still answers this thread (a booked one still moves and cancels by text). */
export function assistantActive(thread: ThreadSummary): boolean {
  const a = thread.assistant;
  return Boolean(a && a.step !== 'handed-off');
}

/**
 * The assistant steps back for good: staff see why on the thread, and the audit log keeps it. Callers have
 * the thread open for change (`store.edit`). Nothing happens when it already stepped back.
 */
export function handOff(ctx: Ctx, thread: ThreadSummary, reason: HandOffReason, actor: { id: string; name: string } | null = null): boolean {
  const a = thread.assistant;
  if (!a || a.step === 'handed-off') return false;
  a.step = 'handed-off';
  a.handedOff = { reason, at: ctx.now().toISOString() };
  ctx.changes.thread(thread);
  audit(ctx, actor, 'assistant-hand-off', thread.id, { reason });
  return true;
}

/**
 * An assistant text, through the one send gate like every other. Past the cap of texts without a reply it
 * is not sent: the assistant waits for the caller, and staff see `text-cap` until the caller writes.
 */
export function say(ctx: Ctx, thread: ThreadSummary, text: string): boolean {
  const a = thread.assistant;
  if (!a) return false;
  const cap = ctx.config.business.booking?.maxTextsWithoutReply ?? 3;
  if (a.textsSinceReply >= cap) {
    if (a.handedOff?.reason !== 'text-cap') {
      a.handedOff = { reason: 'text-cap', at: ctx.now().toISOString() };
      ctx.changes.thread(thread);
      audit(ctx, null, 'assistant-text-cap', thread.id, { cap });
    }
    return false;
  }
  a.textsSinceReply += 1;
  queueSms(ctx, { thread, kind: 'assistant', text, immediate: true });
  return true;
}
