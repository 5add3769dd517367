import type { StaffMember, ThreadSummary } from '@ringback/shared';
import type { ConsentEvent } from '../store/data.js';
import { own } from '../store/own.js';
import { audit, type Ctx } from './context.js';
import { DomainError } from './errors.js';
import { queueSms } from './send.js';

/** FCC 64.1200(a)(12): the one confirmation after an opt-out must go within 5 minutes of it. */
const CONFIRM_WITHIN_MS = 5 * 60_000;

export function ledger(ctx: Ctx, number: string, event: ConsentEvent['event'], source: string, messageUuid: string | null): void {
  ctx.store.append('consent', { at: ctx.now().toISOString(), number, event, source, messageUuid });
}

function markOptedOut(ctx: Ctx, caller: string, optedOut: boolean): void {
  for (const t of ctx.indexes.threadsOf(caller)) {
    if (t.optedOut !== optedOut) {
      t.optedOut = optedOut;
      ctx.changes.thread(t);
    }
  }
}

/** Suppress the number at once (C-3); at most one confirmation, with no marketing in it (C-4). */
export function suppress(
  ctx: Ctx,
  thread: ThreadSummary,
  caller: string,
  source: string,
  uuid: string | null,
  confirm = true,
  actor: StaffMember | null = null,
): void {
  const data = ctx.store.data;
  const already = own(data.optOuts, caller);
  ledger(ctx, caller, 'opt-out', source, uuid);
  if (!already) {
    ctx.store.put('optOuts', caller, { at: ctx.now().toISOString(), source, confirmationSent: false });
    audit(ctx, actor, 'opt-out', thread.id, { source });
  }
  markOptedOut(ctx, caller, true);
  const record = own(data.optOuts, caller)!;
  if (confirm && !record.confirmationSent) {
    record.confirmationSent = true;
    ctx.store.touch('optOuts', caller);
    queueSms(ctx, {
      thread,
      kind: 'compliance',
      text: `${ctx.config.business.business.name}: you are unsubscribed and will get no more texts. Reply START to resubscribe.`,
      immediate: true,
    });
  }
}

export function resubscribe(ctx: Ctx, thread: ThreadSummary, caller: string, source: string, uuid: string): void {
  ledger(ctx, caller, 'opt-in', source, uuid);
  ctx.store.put('optOuts', caller, undefined);
  audit(ctx, null, 'opt-in', thread.id, { source });
  markOptedOut(ctx, caller, false);
}

/**
 * compliance.revocationByIntent = review: a plain-words revocation is held for staff to decide (C-2 allows
 * either, recorded). Until they do, nothing automatic goes to the caller (the send gate checks the flag).
 */
export function flagRevocation(ctx: Ctx, thread: ThreadSummary, messageId: string, text: string, uuid: string): void {
  thread.optOutReview = { messageId, text: text.slice(0, 300), at: ctx.now().toISOString() };
  ctx.changes.thread(thread);
  ledger(ctx, thread.caller, 'opt-out-flagged', text.slice(0, 60), uuid);
  audit(ctx, null, 'opt-out-flagged', thread.id, { messageId });
}

/** Staff confirm (suppress) or dismiss a flagged revocation; both are on the audit log and the consent ledger. */
export function decideRevocation(ctx: Ctx, thread: ThreadSummary, staff: StaffMember, decision: 'confirm' | 'dismiss'): ThreadSummary {
  const review = thread.optOutReview;
  if (!review) throw new DomainError(409, 'no-review', 'This thread has no opt-out waiting for a decision.');
  thread.optOutReview = null;
  ctx.changes.thread(thread);
  if (decision === 'confirm') {
    const inTime = ctx.now().getTime() - Date.parse(review.at) < CONFIRM_WITHIN_MS;
    suppress(ctx, thread, thread.caller, `confirmed by ${staff.name}: ${review.text.slice(0, 40)}`, null, inTime, staff);
    audit(ctx, staff, 'opt-out-confirmed', thread.id, { messageId: review.messageId });
  } else {
    ledger(ctx, thread.caller, 'opt-out-dismissed', `dismissed by ${staff.name}`, null);
    audit(ctx, staff, 'opt-out-dismissed', thread.id, { messageId: review.messageId });
  }
  return thread;
}
