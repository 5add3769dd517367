import {
  classifyInbound,
  looksAutomated,
  matchKeyword,
  parsePhone,
  scoreUrgency,
  urgentWordList,
  type Message,
  type SmsInbound,
  type SmsStatusReport,
  type ThreadSummary,
} from '@ringback/shared';
import { handOff } from '../booking/assistant-state.js';
import { own } from '../store/own.js';
import { bookingUrlFor } from '../booking/links.js';
import { flagRevocation, ledger, resubscribe, suppress } from './consent.js';
import { locationByNumber, newId, openThread, type Ctx } from './context.js';
import { DomainError } from './errors.js';
import { queueSms, snippet } from './send.js';
import { markUrgent } from './urgent.js';

const KEYWORD_REPLY_EVERY_MS = 60 * 60 * 1000;
/** Plivo's error code for a send to a handset that opted out at the carrier (plivo.md §4). */
const OPTED_OUT_ERROR = '200';

const finalStatus = new Set(['delivered', 'undelivered', 'failed', 'rejected']);

/** Inbound SMS and delivery reports. Compliance keywords are handled before anything else (C-1). */
export class Texts {
  constructor(
    private readonly ctx: Ctx,
    /** The booking assistant, told of every ordinary reply it may answer. */
    private readonly assistant: { onReply(thread: ThreadSummary, message: Message): void } | null = null,
  ) {}

  inbound(body: SmsInbound): void {
    const key = `sms:${body.MessageUUID}`;
    const data = this.ctx.store.data;
    if (own(data.processed, key)) return;
    const loc = locationByNumber(this.ctx, body.To);
    if (!loc) throw new DomainError(400, 'unknown-number', `${body.To} is not a tracking number of this business`);
    const parsed = parsePhone(body.From, this.ctx.config.business.business.country);
    if (!parsed.ok) throw new DomainError(400, 'invalid-number', `From "${body.From}" is not a phone number`);
    const caller = parsed.e164;
    const now = this.ctx.now().toISOString();
    this.ctx.store.put('processed', key, now);

    if (own(data.lineTypes, caller)?.type === 'landline') {
      // A number that texts us can take texts, whatever Lookup said (text-enabled landlines).
      this.ctx.store.put('lineTypes', caller, { type: 'unknown', at: now });
      for (const t of this.ctx.indexes.threadsOf(caller)) {
        t.lineType = 'unknown';
        this.ctx.changes.thread(t);
      }
    }
    const thread = openThread(this.ctx, loc, caller, body.To.startsWith('+') ? body.To : `+${body.To}`, null);
    const message: Message = {
      id: newId('msg'),
      threadId: thread.id,
      seq: 0,
      direction: 'in',
      kind: 'inbound',
      text: body.Text,
      at: now,
      sentAt: null,
      status: 'received',
      statusReason: null,
      plivoUuid: body.MessageUUID,
      staffId: null,
      staffName: null,
      clientId: null,
    };
    this.ctx.store.put('messages', message.id, message);
    this.ctx.indexes.addMessage(thread.id, message.id, body.MessageUUID);
    thread.lastMessage = { direction: 'in', text: snippet(body.Text), at: now, kind: 'inbound' };
    this.ctx.changes.message(message, thread);

    const suppressed = Boolean(own(data.optOuts, caller));
    const verdict = classifyInbound(body.Text, suppressed);
    const business = this.ctx.config.business.business;
    switch (verdict.kind) {
      case 'opt-out':
        if (verdict.byIntent && this.ctx.config.business.compliance.revocationByIntent === 'review' && !suppressed) {
          flagRevocation(this.ctx, thread, message.id, body.Text, body.MessageUUID);
        } else {
          suppress(this.ctx, thread, caller, verdict.keyword ?? body.Text.slice(0, 60), body.MessageUUID);
        }
        // The opt-out flow is the same as ever; the assistant stops for good.
        handOff(this.ctx, thread, 'opted-out');
        return;
      case 'opt-in':
        resubscribe(this.ctx, thread, caller, verdict.keyword ?? 'START', body.MessageUUID);
        queueSms(this.ctx, {
          thread,
          kind: 'keyword',
          text: `${business.name}: you are subscribed again. Reply STOP to opt out.`,
          immediate: true,
        });
        return;
      case 'help':
        ledger(this.ctx, caller, 'help', verdict.keyword ?? 'HELP', body.MessageUUID);
        // No automatic answers to a number that opted out (C-6): staff see the message instead.
        if (!suppressed) {
          queueSms(this.ctx, {
            thread,
            kind: 'keyword',
            text: `${business.name}: reply here to reach our front desk, or book at ${bookingUrlFor(this.ctx, thread)}. Reply STOP to opt out.`,
            immediate: true,
          });
        }
        return;
      case 'message': {
        const automated = looksAutomated(body.Text, this.sinceTextBack(thread));
        if (automated) {
          message.automated = true;
          this.ctx.store.touch('messages', message.id);
        }
        this.triage(thread, message);
        const keyword = matchKeyword(body.Text, this.ctx.config.business.keywords);
        // Never answer another machine: two auto-responders would text each other in a loop.
        if (keyword && !suppressed && !automated) this.keywordReply(thread, this.ctx.config.business.keywords[keyword]!);
        else if (!suppressed) this.assistant?.onReply(thread, message);
      }
    }
  }

  status(body: SmsStatusReport, messageId: string | undefined): void {
    const data = this.ctx.store.data;
    const key = `dlr:${body.MessageUUID}:${body.Status}:${body.Sequence ?? ''}`;
    if (own(data.processed, key)) return;
    this.ctx.store.put('processed', key, this.ctx.now().toISOString());
    const id = (messageId && own(data.messages, messageId) ? messageId : undefined) ?? this.ctx.indexes.messageIdByUuid(body.MessageUUID);
    const message = id ? own(data.messages, id) : undefined;
    if (!message || message.direction !== 'out') return;
    if (!message.plivoUuid) {
      message.plivoUuid = body.MessageUUID;
      this.ctx.store.touch('messages', message.id);
      this.ctx.indexes.setMessageUuid(message.id, body.MessageUUID);
    }
    // Reports may arrive out of order: a later Sequence wins, and a final state is never undone by an older one.
    const seqKey = `dlrseq:${body.MessageUUID}`;
    const lastSeq = Number(own(data.processed, seqKey) ?? 0);
    if (body.Sequence !== undefined && body.Sequence <= lastSeq) return;
    if (body.Sequence === undefined && finalStatus.has(message.status)) return;
    if (body.Sequence !== undefined) this.ctx.store.put('processed', seqKey, String(body.Sequence));
    if (body.Status === 'queued' && message.status !== 'queued' && message.status !== 'sending') return;

    message.status = body.Status === 'rejected' ? 'failed' : body.Status === 'read' ? 'delivered' : body.Status;
    message.statusReason = null;
    if (body.Status === 'failed' || body.Status === 'undelivered' || body.Status === 'rejected') {
      message.statusReason = `Carrier reported ${body.Status}${body.ErrorCode && body.ErrorCode !== '000' ? ` (error ${body.ErrorCode})` : ''}.`;
    }
    const thread = own(data.threads, message.threadId);
    if (!thread) return;
    if (body.ErrorCode === OPTED_OUT_ERROR) {
      // The carrier says the handset opted out: suppress here too, and never retry (C-11).
      message.statusReason = 'The caller opted out at their carrier; texting them is blocked.';
      suppress(this.ctx, thread, thread.caller, 'carrier error 200', body.MessageUUID, false);
    }
    if (thread.textBack?.messageId === message.id) {
      const s = message.status;
      thread.textBack = { ...thread.textBack, state: s === 'delivered' ? 'delivered' : s === 'sent' ? 'sent' : s === 'queued' ? 'pending' : 'failed' };
    }
    this.ctx.changes.message(message, thread);
  }

  /** Milliseconds since our latest text-back left (what auto-responders answer), or null. */
  /** Milliseconds since the thread's latest text-back went out (the thread points at it). */
  private urgentWords: string[] | undefined;
  private urgentFor: readonly string[] | undefined;

  private sinceTextBack(thread: ThreadSummary): number | null {
    const id = thread.textBack?.messageId;
    const sentAt = id ? own(this.ctx.store.data.messages, id)?.sentAt : null;
    return sentAt ? this.ctx.now().getTime() - Date.parse(sentAt) : null;
  }

  /** Urgent words in a reply lift the thread to the top of the queue until it is resolved. */
  private triage(thread: ThreadSummary, message: Message): void {
    const { industry, words } = this.ctx.config.business.urgency;
    // Managers may change the words at run time (settings): rebuild the list when they do.
    if (this.urgentFor !== words) {
      this.urgentFor = words;
      this.urgentWords = urgentWordList(industry, words);
    }
    const found = scoreUrgency(message.text, this.urgentWords!).words;
    if (found.length > 0) markUrgent(this.ctx, thread, found, message.id);
  }

  /** A business keyword (HOURS…) is answered at most once an hour per thread. */
  private keywordReply(thread: ThreadSummary, text: string): void {
    const since = this.ctx.now().getTime() - KEYWORD_REPLY_EVERY_MS;
    const recent = this.ctx.indexes
      .messages(thread.id)
      .some((id) => {
        const m = own(this.ctx.store.data.messages, id);
        return m?.kind === 'keyword' && m.text === text && Date.parse(m.at) > since;
      });
    if (!recent) queueSms(this.ctx, { thread, kind: 'keyword', text, immediate: true });
  }
}
