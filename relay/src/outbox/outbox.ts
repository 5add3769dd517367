import type { Message, StaffMember, ThreadSummary } from '@ringback/shared';
import { classifyPlivoError, type PlivoRest } from '../plivo/rest.js';
import type { OutboxEntry } from '../store/data.js';
import { own } from '../store/own.js';
import { audit, settle, type Ctx } from '../threads/context.js';
import { DomainError, notFound } from '../threads/errors.js';
import { checkGate, reasonText } from '../threads/send.js';
import { backoffMs } from './backoff.js';
import { Breaker } from './breaker.js';
import { IndexedHeap } from './due-queue.js';

export interface OutboxOptions {
  /** First retry delay; doubles each attempt up to retryMaxMs (with jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long to wait before asking Plivo whether a send with an unknown outcome went out. */
  reconcileAfterMs: number;
  /** An automatic text (text-back, keyword answer, HELP) older than this is stale: dropped rather than sent late (C-9). */
  staleMs: number;
  /** Consecutive transient failures after which Plivo counts as down and the queue is held. */
  breakerThreshold: number;
  /** Once Plivo answers again, the held queue leaves oldest first at this rate. */
  releasePerSecond: number;
  /** At most this many Plivo calls at once. */
  maxInFlight: number;
  /** Jitter source (tests make it fixed). */
  random: () => number;
}

/** How long a finished outbox entry stays in the hot data. */
const FINISHED_KEPT_MS = 2 * 86_400_000;

/** How long after the caller's own call or text an automatic answer is still an immediate one. */
const IMMEDIATE_MS = 5 * 60_000;
/** A STOP confirmation is allowed only within 5 minutes (FCC 64.1200(a)(12)). */
const CONFIRMATION_MS = 5 * 60_000;

export const defaultOutboxOptions: OutboxOptions = {
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  reconcileAfterMs: 30_000,
  staleMs: 30 * 60_000,
  breakerThreshold: 5,
  releasePerSecond: 20,
  maxInFlight: 32,
  random: Math.random,
};

/** What one attempt learnt about Plivo: it answered, it did not, or it was not asked. */
type Contact = 'up' | 'down' | null;
type DueKey = [wakeAt: number, createdAt: number];

const unfinished = (e: OutboxEntry) => e.state === 'pending' || e.state === 'unknown' || e.state === 'sending';

/**
 * Outgoing SMS. Entries are on disk before the first attempt. Transient failures (5xx, 429, refused)
 * are retried with capped backoff: automatic texts until they are stale, staff replies until someone
 * cancels them. A send whose outcome is unknown (timeout, reset, or a crash mid-send) is first looked
 * up at Plivo and only re-sent if Plivo has no such message. While Plivo is down (a run of failures)
 * the queue is held and only one probe goes per backoff step; when Plivo answers, the held entries
 * leave oldest first at a capped rate.
 *
 * Only unfinished entries are indexed (by wake-up time, and the held ones by age), so a kick costs the
 * backlog, never the history of sent texts.
 */
export class Outbox {
  private readonly due = new IndexedHeap<DueKey>((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
  private readonly held = new IndexedHeap<number>((a, b) => a < b);
  private readonly byMessage = new Map<string, string>();
  private readonly inFlight = new Set<string>();
  /** Entries whose hold was lifted in memory but maybe not yet on disk. */
  private readonly unheld = new Set<string>();
  private readonly breaker: Breaker;
  private probing: string | null = null;
  /** While a released backlog drains: the next free release slot (new entries queue behind it). */
  private releaseTail = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly rest: PlivoRest,
    private readonly opts: OutboxOptions = defaultOutboxOptions,
  ) {
    this.breaker = new Breaker({ threshold: opts.breakerThreshold, baseMs: opts.retryBaseMs, maxMs: opts.retryMaxMs, random: opts.random });
    ctx.store.onPut.push((map, value) => {
      if (map === 'outbox') this.admit(value as OutboxEntry);
    });
  }

  /**
   * Finished entries (sent, failed) only grow the hot file: their message keeps the outcome and delivery reports
   * find the message, not the entry. Dropped two days after they were queued, at start and daily.
   */
  prune(): number {
    const horizon = this.ctx.now().getTime() - FINISHED_KEPT_MS;
    let dropped = 0;
    for (const [id, e] of Object.entries(this.ctx.store.data.outbox)) {
      if (!unfinished(e) && Date.parse(e.createdAt) < horizon) {
        this.ctx.store.put('outbox', id, undefined);
        dropped++;
      }
    }
    return dropped;
  }

  /** After a restart nothing is known about sends that were under way: check each with Plivo first. */
  resume(): void {
    this.prune();
    const now = this.ctx.now();
    let anyHeld = false;
    for (const e of Object.values(this.ctx.store.data.outbox)) {
      // A held entry had no send under way (its hold was saved with its last outcome), so it needs no check.
      if ((e.state === 'pending' || e.state === 'sending') && !e.held) {
        e.state = 'unknown';
        e.nextAttemptAt = now.toISOString();
        this.ctx.store.touch('outbox', e.id);
      }
      anyHeld ||= Boolean(e.held) && unfinished(e);
      this.index(e);
    }
    // Entries were held when the relay stopped: Plivo was down then, so probe before releasing anything.
    if (anyHeld) this.breaker.trip(now.getTime());
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Start every due entry (or, while Plivo is down, hold it and send the probe), and wake up for the next. */
  kick(): void {
    if (this.stopped) return;
    const now = this.ctx.now().getTime();
    let changed = false;
    let waiting = false;
    for (let top = this.due.peek(); top && top.key[0] <= now; top = this.due.peek()) {
      const entry = own(this.ctx.store.data.outbox, top.id);
      if (!entry) {
        this.due.delete(top.id);
        continue;
      }
      // A held entry wakes only when it goes stale; while Plivo is down, anything due joins the held queue.
      if (entry.held || (this.breaker.open && now >= this.staleAt(entry))) {
        this.expire(entry);
        changed = true;
        continue;
      }
      if (this.breaker.open) {
        this.hold(entry);
        changed = true;
        continue;
      }
      if (this.inFlight.size >= this.opts.maxInFlight) break; // a finishing attempt kicks again
      // Sent only once its write is durable (it may yet be undone); the commit's settle kicks again.
      if (!this.ctx.store.onDisk('outbox', entry.id)) {
        waiting = true;
        break;
      }
      void this.attempt(entry, false);
    }
    if (this.breaker.probeDue(now) && !this.probing && this.held.size > 0) void this.probe();
    if (!waiting) this.schedule(now);
    // Holds and expiries are saved and shown to staff now, not with whatever change comes next.
    if (changed) settle(this.ctx).catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'could not save an outbox change'));
  }

  /** A staff member withdraws a text that has not gone out yet (a reply waiting out an outage, say). */
  cancel(threadId: string, messageId: string, staff: StaffMember): Message {
    const data = this.ctx.store.data;
    const message = own(data.messages, messageId);
    const thread = own(data.threads, threadId);
    if (!message || !thread || message.threadId !== threadId || message.direction !== 'out') throw notFound('message');
    const entryId = this.byMessage.get(messageId);
    const entry = entryId ? own(data.outbox, entryId) : undefined;
    if (!entry) {
      if (message.sentAt || ['sent', 'delivered', 'undelivered'].includes(message.status)) {
        throw new DomainError(409, 'already-sent', 'This text has already gone to Plivo; it cannot be cancelled.');
      }
      throw new DomainError(409, 'not-pending', 'This text is no longer waiting to be sent.');
    }
    if (staff.role !== 'manager' && message.staffId !== staff.id && thread.claim && thread.claim.staffId !== staff.id) {
      throw new DomainError(403, 'not-owner', `Only ${thread.claim.staffName}, the sender or a manager can cancel this text.`);
    }
    if (this.inFlight.has(entry.id)) {
      throw new DomainError(409, 'sending', 'This text is being handed to Plivo right now; try again in a moment.');
    }
    const maybeSent = entry.state === 'unknown';
    entry.state = 'failed';
    entry.held = false;
    entry.lastError = `cancelled by ${staff.name}`;
    this.ctx.store.touch('outbox', entry.id);
    this.index(entry);
    message.statusReason = `Cancelled by ${staff.name}${maybeSent ? '; an earlier attempt may still have reached the caller (Plivo never confirmed it)' : '; not sent'}.`;
    this.setStatus(message, thread, 'blocked');
    audit(this.ctx, staff, 'cancel-message', thread.id, { messageId, attempts: entry.attempts });
    return message;
  }

  /** A new entry joins the index; while a released backlog drains, it queues behind it (oldest first). */
  private admit(entry: OutboxEntry): void {
    const now = this.ctx.now().getTime();
    if (entry.state === 'pending' && this.releaseTail > now && Date.parse(entry.nextAttemptAt) < this.releaseTail) {
      entry.nextAttemptAt = new Date(this.releaseTail).toISOString();
      this.releaseTail += 1000 / this.opts.releasePerSecond;
    }
    this.index(entry);
  }

  /** Put the entry where it belongs: due at its wake-up time, in the held queue, or nowhere once finished. */
  private index(entry: OutboxEntry): void {
    if (!unfinished(entry) || this.inFlight.has(entry.id)) {
      this.due.delete(entry.id);
      this.held.delete(entry.id);
      if (!unfinished(entry)) {
        this.byMessage.delete(entry.messageId);
        this.unheld.delete(entry.id);
      }
      return;
    }
    this.byMessage.set(entry.messageId, entry.id);
    const created = Date.parse(entry.createdAt);
    const stale = this.staleAt(entry);
    const wake = entry.held ? stale : Math.min(Date.parse(entry.nextAttemptAt), stale);
    if (wake === Infinity) this.due.delete(entry.id);
    else this.due.set(entry.id, [wake, created]);
    if (entry.held) this.held.set(entry.id, created);
    else this.held.delete(entry.id);
  }

  /** When an automatic text stops being worth sending; never for staff replies. */
  private staleAt(entry: OutboxEntry): number {
    const kind = own(this.ctx.store.data.messages, entry.messageId)?.kind;
    if (kind === 'reply') return Infinity;
    const created = Date.parse(entry.createdAt);
    if (kind === 'compliance') return created + Math.min(this.opts.staleMs, CONFIRMATION_MS);
    return created + this.opts.staleMs;
  }

  private schedule(now: number): void {
    let next = this.due.peek()?.key[0] ?? Infinity;
    // At the in-flight cap a finishing attempt kicks again; a timer now would only spin.
    if (next <= now && this.inFlight.size >= this.opts.maxInFlight) next = Infinity;
    if (this.breaker.open && this.held.size > 0 && !this.probing) next = Math.min(next, this.breaker.nextProbeAt ?? Infinity);
    if (next === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, Math.min(Math.max(next - now, 0), 2 ** 31 - 1));
    this.timer.unref();
  }

  /** The oldest held entry asks Plivo whether it is back. */
  private async probe(): Promise<void> {
    const id = this.held.pop()!;
    const entry = own(this.ctx.store.data.outbox, id);
    if (!entry) return;
    this.probing = id;
    this.unhold(entry);
    await this.attempt(entry, true);
  }

  /** Lift a hold. Held entries skip the look-up after a restart, so the lift must be on disk before any send. */
  private unhold(entry: OutboxEntry): void {
    entry.held = false;
    this.unheld.add(entry.id);
    this.ctx.store.touch('outbox', entry.id);
  }

  private async attempt(entry: OutboxEntry, probe: boolean): Promise<void> {
    this.inFlight.add(entry.id);
    this.index(entry);
    let contact: Contact = null;
    try {
      if (this.unheld.has(entry.id)) {
        await this.ctx.store.commit();
        this.unheld.delete(entry.id);
      }
      if (entry.state === 'unknown') contact = await this.reconcile(entry);
      if (entry.state === 'pending') contact = (await this.send(entry)) ?? contact;
    } catch (e) {
      this.ctx.log.error({ err: String(e), outbox: entry.id }, 'outbox attempt failed');
    } finally {
      this.inFlight.delete(entry.id);
      if (probe) this.probing = null;
      this.learn(contact, entry, probe);
      this.index(entry);
      this.ctx.store.touch('outbox', entry.id);
      await settle(this.ctx).catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'could not save an outbox change'));
    }
  }

  /** Feed the attempt's outcome to the breaker: an answer releases a held queue; a failure while down holds the entry. */
  private learn(contact: Contact, entry: OutboxEntry, probe: boolean): void {
    const now = this.ctx.now().getTime();
    if (contact === 'up') {
      if (this.breaker.success()) this.release(now);
    } else if (contact === 'down') {
      const wasOpen = this.breaker.open;
      this.breaker.failure(now, probe);
      if (!wasOpen && this.breaker.open) this.ctx.log.warn({ failures: this.opts.breakerThreshold }, 'Plivo looks down: holding the outbox and probing');
      if (this.breaker.open && unfinished(entry) && now < this.staleAt(entry)) this.hold(entry);
    }
  }

  /** Plivo answers again: the held entries get release slots, oldest first, at the capped rate. */
  private release(now: number): void {
    const spacing = 1000 / this.opts.releasePerSecond;
    let slot = Math.max(now, this.releaseTail);
    let count = 0;
    for (let id = this.held.pop(); id !== undefined; id = this.held.pop()) {
      const entry = own(this.ctx.store.data.outbox, id);
      if (!entry) continue;
      this.unhold(entry);
      entry.nextAttemptAt = new Date(slot).toISOString();
      slot += spacing;
      count++;
      this.ctx.store.touch('outbox', id);
      this.index(entry);
    }
    this.releaseTail = slot;
    this.ctx.log.info({ released: count }, 'Plivo answers again: releasing the held outbox');
  }

  private hold(entry: OutboxEntry): void {
    entry.held = true;
    this.unheld.delete(entry.id);
    this.ctx.store.touch('outbox', entry.id);
    this.index(entry);
    const message = own(this.ctx.store.data.messages, entry.messageId);
    const thread = message ? own(this.ctx.store.data.threads, message.threadId) : undefined;
    if (message && thread && message.status !== 'unknown') this.retrying(entry, message, thread);
  }

  private retrying(entry: OutboxEntry, message: Message, thread: ThreadSummary): void {
    const reason = entry.attempts > 0 ? `Plivo unavailable — retrying, attempt ${entry.attempts}` : 'Plivo unavailable — retrying';
    if (message.status === 'retrying' && message.statusReason === reason) return;
    message.statusReason = reason;
    this.setStatus(message, thread, 'retrying');
  }

  /** Too old to send: an entry that met Plivo trouble fails as stale; one merely held back (quiet hours, relay down) is dropped as expired. */
  private expire(entry: OutboxEntry): void {
    const message = own(this.ctx.store.data.messages, entry.messageId);
    const thread = message ? own(this.ctx.store.data.threads, message.threadId) : undefined;
    if (!message || !thread) return this.finish(entry, 'failed', 'message no longer exists');
    if (entry.attempts === 0 && !entry.held) return this.block(entry, message, thread, reasonText.expired);
    const minutes = Math.round((this.staleAt(entry) - Date.parse(entry.createdAt)) / 60_000);
    const reason = `Stale: Plivo was unavailable for ${minutes} minutes, so this automatic text was not sent late.`;
    this.finish(entry, 'failed', reason);
    message.statusReason = entry.state === 'unknown' ? `${reason} (Plivo never confirmed an earlier attempt.)` : reason;
    this.setStatus(message, thread, 'failed');
  }

  private async send(entry: OutboxEntry): Promise<Contact> {
    const data = this.ctx.store.data;
    const message = own(data.messages, entry.messageId);
    const thread = message ? own(data.threads, message.threadId) : undefined;
    if (!message || !thread) {
      this.finish(entry, 'failed', 'message no longer exists');
      return null;
    }
    // An automatic answer still counts as immediate right after the caller's action (quiet-hours exemption);
    // anything sent later (backlog, follow-ups) does not.
    const immediate = (message.kind === 'text-back' || message.kind === 'keyword') && this.ctx.now().getTime() - Date.parse(message.at) < IMMEDIATE_MS;
    const verdict = checkGate(this.ctx, thread, message.kind === 'inbound' ? 'reply' : message.kind, immediate);
    if (!verdict.ok) {
      this.block(entry, message, thread, reasonText[verdict.reason]);
      return null;
    }
    // Stale before held: a quiet-hours hold must not keep re-slotting a text that will never go.
    if (this.ctx.now().getTime() >= this.staleAt(entry)) {
      this.expire(entry);
      return null;
    }
    if (verdict.holdUntil) {
      entry.nextAttemptAt = verdict.holdUntil.toISOString();
      return null;
    }
    entry.state = 'sending';
    entry.attempts += 1;
    // Journaled with the message's status, not waited for: after a crash, "sending" and "pending" alike are checked with Plivo first.
    this.ctx.store.touch('outbox', entry.id);
    // A retry keeps showing "retrying" (no flicker to "sending" and back on every probe).
    if (message.status !== 'retrying') this.setStatus(message, thread, 'sending');
    try {
      const uuid = await this.rest.sendSms(entry.from, entry.to, entry.text, this.statusUrl(message));
      this.markSent(entry, message, thread, uuid);
      return 'up';
    } catch (e) {
      const failure = classifyPlivoError(e);
      entry.lastError = failure.message;
      const detail = failure.status ? `${failure.status} ${failure.message}` : failure.message;
      if (failure.kind === 'rejected') {
        entry.state = 'failed';
        message.statusReason = `Plivo refused the message${failure.status ? ` (${failure.status})` : ''}: ${failure.message}`;
        this.setStatus(message, thread, 'failed');
        this.ctx.ops.send('failed', message, detail);
        return 'up';
      }
      if (failure.kind === 'unknown') {
        entry.state = 'unknown';
        entry.nextAttemptAt = new Date(this.ctx.now().getTime() + this.opts.reconcileAfterMs).toISOString();
        this.setStatus(message, thread, 'unknown');
        this.ctx.ops.send('unknown', message, detail);
        return 'down';
      }
      entry.state = 'pending';
      const delay = backoffMs(entry.attempts, this.opts.retryBaseMs, this.opts.retryMaxMs, this.opts.random);
      entry.nextAttemptAt = new Date(this.ctx.now().getTime() + delay).toISOString();
      this.retrying(entry, message, thread);
      this.ctx.ops.send('retry', message, detail);
      return 'down';
    }
  }

  /** Did an earlier attempt reach Plivo? Match an outbound message to the number since the entry was made. */
  private async reconcile(entry: OutboxEntry): Promise<Contact> {
    const data = this.ctx.store.data;
    const message = own(data.messages, entry.messageId);
    const thread = message ? own(data.threads, message.threadId) : undefined;
    if (!message || !thread) {
      this.finish(entry, 'failed', 'message no longer exists');
      return null;
    }
    if (message.plivoUuid) {
      this.markSent(entry, message, thread, message.plivoUuid);
      return null;
    }
    try {
      const since = new Date(Date.parse(entry.createdAt) - 60_000);
      const found = (await this.rest.recentMessagesTo(entry.to, since)).find((m) => !this.ctx.indexes.messageIdByUuid(m.uuid));
      if (found) this.markSent(entry, message, thread, found.uuid);
      else entry.state = 'pending';
      return 'up';
    } catch (e) {
      const failure = classifyPlivoError(e);
      entry.lastError = `could not check with Plivo: ${failure.message}`;
      entry.nextAttemptAt = new Date(this.ctx.now().getTime() + this.opts.reconcileAfterMs).toISOString();
      return failure.kind === 'rejected' ? 'up' : 'down';
    }
  }

  private markSent(entry: OutboxEntry, message: Message, thread: ThreadSummary, uuid: string): void {
    this.ctx.ops.send('sent', message);
    entry.state = 'sent';
    entry.held = false;
    entry.lastError = null;
    message.plivoUuid = uuid;
    message.sentAt ??= this.ctx.now().toISOString();
    this.ctx.indexes.setMessageUuid(message.id, uuid);
    // A delivery report may have beaten the API's answer here; never step back from it.
    if (['sending', 'queued', 'unknown', 'retrying'].includes(message.status)) {
      message.statusReason = null;
      this.setStatus(message, thread, 'sent');
    } else this.ctx.changes.message(message, thread);
  }

  private block(entry: OutboxEntry, message: Message, thread: ThreadSummary, reason: string): void {
    this.finish(entry, 'failed', reason);
    this.ctx.ops.send('blocked', message, reason);
    message.statusReason = reason;
    this.setStatus(message, thread, 'blocked');
  }

  private finish(entry: OutboxEntry, state: OutboxEntry['state'], error: string): void {
    entry.state = state;
    entry.held = false;
    entry.lastError = error;
    this.ctx.store.touch('outbox', entry.id);
    this.index(entry);
  }

  private setStatus(message: Message, thread: ThreadSummary, status: Message['status']): void {
    message.status = status;
    if (thread.textBack?.messageId === message.id) {
      const state = status === 'sent' ? 'sent' : status === 'blocked' ? 'skipped' : status === 'failed' ? 'failed' : 'pending';
      thread.textBack = { ...thread.textBack, state, at: message.sentAt };
    }
    this.ctx.changes.message(message, thread);
  }

  private statusUrl(message: Message): string {
    return `${this.ctx.config.publicUrl}/plivo/sms/status?m=${encodeURIComponent(message.id)}`;
  }
}
