import type { Message, ThreadSummary } from '@ringback/shared';
import { classifyPlivoError, type PlivoRest } from '../plivo/rest.js';
import type { OutboxEntry } from '../store/data.js';
import { settle, type Ctx } from '../threads/context.js';
import { checkGate, reasonText } from '../threads/send.js';

export interface OutboxOptions {
  /** First retry delay; doubles each attempt. */
  retryBaseMs: number;
  maxAttempts: number;
  /** How long to wait before asking Plivo whether a send with an unknown outcome went out. */
  reconcileAfterMs: number;
  /** A text-back or confirmation older than this is stale: it is dropped rather than sent late (C-9). */
  staleMs: number;
}

/** How long after the caller's own call or text an automatic answer is still an immediate one. */
const IMMEDIATE_MS = 5 * 60_000;

export const defaultOutboxOptions: OutboxOptions = {
  retryBaseMs: 1_000,
  maxAttempts: 6,
  reconcileAfterMs: 30_000,
  staleMs: 30 * 60_000,
};

/**
 * Outgoing SMS. Entries are on disk before the first attempt; 5xx and refused connections are retried
 * with backoff; a send whose outcome is unknown (timeout, reset, or a crash mid-send) is first looked
 * up at Plivo and only re-sent if Plivo has no such message.
 */
export class Outbox {
  private inFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly rest: PlivoRest,
    private readonly opts: OutboxOptions = defaultOutboxOptions,
  ) {}

  /** After a restart nothing is known about sends that were under way: check each with Plivo first. */
  resume(): void {
    for (const e of Object.values(this.ctx.store.data.outbox)) {
      if (e.state === 'pending' || e.state === 'sending') {
        e.state = 'unknown';
        e.nextAttemptAt = this.ctx.now().toISOString();
        this.ctx.store.touch('outbox', e.id);
      }
    }
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Start every due entry, and wake up again for the next one. */
  kick(): void {
    if (this.stopped) return;
    const now = this.ctx.now().getTime();
    let next = Infinity;
    for (const e of Object.values(this.ctx.store.data.outbox)) {
      if ((e.state !== 'pending' && e.state !== 'unknown') || this.inFlight.has(e.id)) continue;
      if (!this.ctx.store.onDisk('outbox', e.id)) continue; // sent only once its write is durable (it may yet be undone)
      const due = Date.parse(e.nextAttemptAt);
      if (due <= now) void this.attempt(e);
      else next = Math.min(next, due);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (next !== Infinity) {
      this.timer = setTimeout(() => this.kick(), Math.min(next - now, 2 ** 31 - 1));
      this.timer.unref();
    }
  }

  private async attempt(entry: OutboxEntry): Promise<void> {
    this.inFlight.add(entry.id);
    try {
      if (entry.state === 'unknown') await this.reconcile(entry);
      if (entry.state === 'pending') await this.send(entry);
    } catch (e) {
      this.ctx.log.error({ err: String(e), outbox: entry.id }, 'outbox attempt failed');
    } finally {
      this.inFlight.delete(entry.id);
      this.ctx.store.touch('outbox', entry.id);
      await settle(this.ctx).catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'could not save an outbox change'));
    }
  }

  private async send(entry: OutboxEntry): Promise<void> {
    const data = this.ctx.store.data;
    const message = data.messages[entry.messageId];
    const thread = message ? data.threads[message.threadId] : undefined;
    if (!message || !thread) return this.finish(entry, 'failed', 'message no longer exists');
    // An automatic answer still counts as immediate right after the caller's action (quiet-hours exemption);
    // anything sent later (backlog, follow-ups) does not.
    const immediate = (message.kind === 'text-back' || message.kind === 'keyword') && this.ctx.now().getTime() - Date.parse(message.at) < IMMEDIATE_MS;
    const verdict = checkGate(this.ctx, thread, message.kind === 'inbound' ? 'reply' : message.kind, immediate);
    if (!verdict.ok) return this.block(entry, message, thread, reasonText[verdict.reason]);
    if (verdict.holdUntil) {
      entry.nextAttemptAt = verdict.holdUntil.toISOString();
      return;
    }
    // A STOP confirmation is allowed only within 5 minutes (FCC 64.1200(a)(12)); other automatic texts go stale later.
    const staleAfter = message.kind === 'compliance' ? Math.min(this.opts.staleMs, 5 * 60_000) : this.opts.staleMs;
    if (message.kind !== 'reply' && this.ctx.now().getTime() - Date.parse(entry.createdAt) > staleAfter) {
      return this.block(entry, message, thread, reasonText.expired);
    }
    entry.state = 'sending';
    entry.attempts += 1;
    this.setStatus(message, thread, 'sending');
    try {
      const uuid = await this.rest.sendSms(entry.from, entry.to, entry.text, this.statusUrl(message));
      this.markSent(entry, message, thread, uuid);
    } catch (e) {
      const failure = classifyPlivoError(e);
      entry.lastError = failure.message;
      if (failure.kind === 'rejected') {
        entry.state = 'failed';
        message.statusReason = `Plivo refused the message${failure.status ? ` (${failure.status})` : ''}: ${failure.message}`;
        this.setStatus(message, thread, 'failed');
      } else if (failure.kind === 'unknown') {
        entry.state = 'unknown';
        entry.nextAttemptAt = new Date(this.ctx.now().getTime() + this.opts.reconcileAfterMs).toISOString();
        this.setStatus(message, thread, 'unknown');
      } else if (entry.attempts >= this.opts.maxAttempts) {
        entry.state = 'failed';
        message.statusReason = `Plivo was unreachable after ${entry.attempts} attempts: ${failure.message}`;
        this.setStatus(message, thread, 'failed');
      } else {
        entry.state = 'pending';
        entry.nextAttemptAt = new Date(this.ctx.now().getTime() + this.opts.retryBaseMs * 2 ** (entry.attempts - 1)).toISOString();
        this.setStatus(message, thread, 'queued');
      }
    }
  }

  /** Did an earlier attempt reach Plivo? Match an outbound message to the number since the entry was made. */
  private async reconcile(entry: OutboxEntry): Promise<void> {
    const data = this.ctx.store.data;
    const message = data.messages[entry.messageId];
    const thread = message ? data.threads[message.threadId] : undefined;
    if (!message || !thread) return this.finish(entry, 'failed', 'message no longer exists');
    if (message.plivoUuid) return this.markSent(entry, message, thread, message.plivoUuid);
    try {
      const since = new Date(Date.parse(entry.createdAt) - 60_000);
      const found = (await this.rest.recentMessagesTo(entry.to, since)).find((m) => !this.ctx.indexes.messageIdByUuid(m.uuid));
      if (found) this.markSent(entry, message, thread, found.uuid);
      else entry.state = 'pending';
    } catch (e) {
      entry.lastError = `could not check with Plivo: ${classifyPlivoError(e).message}`;
      entry.nextAttemptAt = new Date(this.ctx.now().getTime() + this.opts.reconcileAfterMs).toISOString();
    }
  }

  private markSent(entry: OutboxEntry, message: Message, thread: ThreadSummary, uuid: string): void {
    entry.state = 'sent';
    entry.lastError = null;
    message.plivoUuid = uuid;
    message.sentAt ??= this.ctx.now().toISOString();
    this.ctx.indexes.setMessageUuid(message.id, uuid);
    // A delivery report may have beaten the API's answer here; never step back from it.
    if (message.status === 'sending' || message.status === 'queued' || message.status === 'unknown') this.setStatus(message, thread, 'sent');
    else this.ctx.changes.message(message, thread);
  }

  private block(entry: OutboxEntry, message: Message, thread: ThreadSummary, reason: string): void {
    this.finish(entry, 'failed', reason);
    message.statusReason = reason;
    this.setStatus(message, thread, 'blocked');
  }

  private finish(entry: OutboxEntry, state: OutboxEntry['state'], error: string): void {
    entry.state = state;
    entry.lastError = error;
    this.ctx.store.touch('outbox', entry.id);
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
