import { gateSend, parsePhone, releaseSlot, type Message, type MessageKind, type SkipReason, type ThreadSummary } from '@ringback/shared';
import type { OutboxEntry } from '../store/data.js';
import { own } from '../store/own.js';
import { locationById, newId, type Ctx } from './context.js';

export const reasonText: Record<SkipReason, string> = {
  'opted-out': 'The caller opted out (replied STOP); texting them is blocked until they reply START.',
  landline: 'This number is a landline and cannot receive texts: call back by phone.',
  duplicate: 'A text-back already went to this caller recently.',
  'invalid-number': 'The caller ID is not a valid phone number.',
  anonymous: 'The caller withheld their number.',
  'quiet-hours': 'Held until quiet hours end.',
  expired: 'Held too long to still be useful, so it was not sent.',
};

export interface SendRequest {
  thread: ThreadSummary;
  kind: Exclude<MessageKind, 'inbound'>;
  text: string;
  /** Sent within seconds of the caller's own call or text (quiet-hours policy may exempt it). */
  immediate: boolean;
  staff?: { id: string; name: string };
  clientId?: string;
  variant?: { experiment: string; variant: string };
}

export type GateVerdict = { ok: true; holdUntil?: Date } | { ok: false; reason: SkipReason };

/** The one send gate: every outgoing SMS asks it, at queue time and again right before sending. */
export function checkGate(ctx: Ctx, thread: ThreadSummary, kind: SendRequest['kind'], immediate: boolean): GateVerdict {
  const country = ctx.config.business.business.country;
  const to = parsePhone(thread.caller, country);
  const number = to.ok ? to.e164 : thread.caller;
  const loc = locationById(ctx, thread.locationId);
  const { textBack } = ctx.config.business;
  const result = gateSend({
    kind,
    to,
    optedOut: Boolean(own(ctx.store.data.optOuts, number)),
    lineType: own(ctx.store.data.lineTypes, number)?.type ?? null,
    // A location's own quiet hours win; the caller is presumed to live in the location's time zone.
    quietHours: loc.quietHours !== undefined ? loc.quietHours : textBack.quietHours,
    timezone: loc.timezone,
    immediate,
    now: ctx.now(),
  });
  // A revocation waiting for staff review: nothing automatic until they decide (staff may still clarify).
  if (result.ok && thread.optOutReview && (kind === 'text-back' || kind === 'keyword')) return { ok: false, reason: 'opted-out' };
  if (result.ok) return { ok: true };
  // Quiet hours hold a send until morning rather than refusing it, spaced out so the morning is no burst.
  if (result.reason === 'quiet-hours' && result.holdUntil) {
    const taken = Object.values(ctx.store.data.outbox)
      .filter((e) => e.state === 'pending')
      .map((e) => Date.parse(e.nextAttemptAt));
    return { ok: true, holdUntil: releaseSlot(result.holdUntil, taken, textBack.releaseSpacingSeconds * 1000) };
  }
  return { ok: false, reason: result.reason };
}

/**
 * Queue an SMS to the thread's caller: stored as a message and an outbox entry in the same write,
 * sent once that write is durable. A blocked send is stored as 'blocked' with its reason and never
 * reaches Plivo.
 */
export function queueSms(ctx: Ctx, req: SendRequest): { message: Message; blocked: SkipReason | null } {
  const { thread } = req;
  const verdict = checkGate(ctx, thread, req.kind, req.immediate);
  const now = ctx.now();
  const message: Message = {
    id: newId('msg'),
    threadId: thread.id,
    seq: 0,
    direction: 'out',
    kind: req.kind,
    text: req.text,
    at: now.toISOString(),
    sentAt: null,
    status: verdict.ok ? 'queued' : 'blocked',
    statusReason: verdict.ok ? (verdict.holdUntil ? reasonText['quiet-hours'] : null) : reasonText[verdict.reason],
    plivoUuid: null,
    staffId: req.staff?.id ?? null,
    staffName: req.staff?.name ?? null,
    clientId: req.clientId ?? null,
    variant: req.variant ?? null,
  };
  ctx.store.put('messages', message.id, message);
  if (verdict.ok) {
    const entry: OutboxEntry = {
      id: newId('out'),
      messageId: message.id,
      from: thread.trackingNumber,
      to: thread.caller,
      text: req.text,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: (verdict.holdUntil ?? now).toISOString(),
      createdAt: now.toISOString(),
      lastError: null,
    };
    ctx.store.put('outbox', entry.id, entry);
  }
  ctx.indexes.addMessage(thread.id, message.id, null);
  thread.lastMessage = { direction: 'out', text: snippet(req.text), at: message.at, kind: req.kind };
  ctx.changes.message(message, thread);
  if (!verdict.ok) {
    ctx.store.append('consent', { at: message.at, number: thread.caller, event: 'blocked-send', source: verdict.reason, messageUuid: null });
  }
  return { message, blocked: verdict.ok ? null : verdict.reason };
}

export const snippet = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);
