import { parsePhone, type Callback, type StaffMember, type ThreadSummary, type VoiceDial, type VoiceHangup } from '@ringback/shared';
import type { CallApi } from '../plivo/call-api.js';
import { callbackBridgeXml, hangupXml } from '../plivo/xml.js';
import { own } from '../store/own.js';
import { audit, newId, settle, type Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';

/**
 * Call back from the thread: Plivo rings the staff member's phone, and once they answer, the relay's answer XML
 * dials the caller with the tracking number as caller ID, so the caller sees the business, not a desk line.
 * Each step is logged on the thread (the callbacks list and its audit history).
 */
export class Callbacks {
  constructor(
    private readonly ctx: Ctx,
    private readonly api: CallApi,
  ) {}

  forThread(threadId: string): Callback[] {
    return Object.values(this.ctx.store.data.callbacks)
      .filter((c) => c.threadId === threadId)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async start(threadId: string, staff: StaffMember, phoneOverride: string | undefined): Promise<Callback> {
    const thread = own(this.ctx.store.data.threads, threadId);
    if (!thread) throw notFound('thread');
    const country = this.ctx.config.business.business.country;
    const caller = parsePhone(thread.caller, country);
    if (!caller.ok) throw new DomainError(422, caller.reason, 'The caller has no number to call back.');
    const rawStaff = phoneOverride ?? this.ctx.store.data.staff.find((s) => s.id === staff.id)?.phone ?? null;
    if (!rawStaff) throw new DomainError(422, 'no-phone', 'You have no phone on file: ask a manager to add one, or call from your own phone (tel: link).');
    const staffPhone = parsePhone(rawStaff, country);
    if (!staffPhone.ok) throw new DomainError(400, 'invalid', `phone "${rawStaff}" is not a valid number`);
    const cb: Callback = {
      id: newId('cb'),
      threadId: thread.id,
      staffId: staff.id,
      staffName: staff.name,
      staffPhone: staffPhone.e164,
      caller: caller.e164,
      from: thread.trackingNumber,
      state: 'ringing-staff',
      requestUuid: null,
      at: this.ctx.now().toISOString(),
      endedAt: null,
      reason: null,
    };
    this.ctx.store.put('callbacks', cb.id, cb);
    audit(this.ctx, staff, 'callback', thread.id, { callbackId: cb.id });
    this.ctx.changes.thread(thread);
    await settle(this.ctx);
    const base = this.ctx.config.publicUrl;
    const q = `?c=${encodeURIComponent(cb.id)}`;
    try {
      cb.requestUuid = await this.api.makeCall({
        from: cb.from,
        to: cb.staffPhone,
        answerUrl: `${base}/plivo/voice/callback/answer${q}`,
        hangupUrl: `${base}/plivo/voice/callback/hangup${q}`,
      });
    } catch (e) {
      this.finish(cb, thread, 'failed', `Could not place the call: ${(e as Error).message}`);
    }
    this.ctx.store.touch('callbacks', cb.id);
    await settle(this.ctx);
    return cb;
  }

  /** The staff member picked up: bridge the caller in. */
  answered(id: string | undefined): string {
    const { cb, thread } = this.find(id);
    if (cb.state === 'ringing-staff') {
      cb.state = 'ringing-caller';
      this.ctx.store.touch('callbacks', cb.id);
      this.ctx.changes.thread(thread);
    }
    return callbackBridgeXml(cb.caller, cb.from, `${this.ctx.config.publicUrl}/plivo/voice/callback/dial?c=${encodeURIComponent(cb.id)}`);
  }

  dialed(id: string | undefined, body: VoiceDial): string {
    const { cb, thread } = this.find(id);
    if (cb.state === 'ringing-caller' || cb.state === 'ringing-staff') {
      if (body.DialStatus === 'completed') {
        cb.state = 'connected';
        this.ctx.store.touch('callbacks', cb.id);
        this.ctx.changes.thread(thread);
      } else this.finish(cb, thread, 'no-answer', `The caller did not answer (${body.DialStatus}).`);
    }
    return hangupXml();
  }

  hungUp(id: string | undefined, body: VoiceHangup): void {
    const { cb, thread } = this.find(id);
    if (cb.endedAt) return;
    if (cb.state === 'ringing-staff') this.finish(cb, thread, 'no-answer', `Your phone did not answer (${body.HangupCause ?? 'no answer'}).`);
    else this.finish(cb, thread, cb.state === 'ringing-caller' ? 'no-answer' : cb.state, cb.reason);
  }

  private finish(cb: Callback, thread: ThreadSummary, state: Callback['state'], reason: string | null): void {
    cb.state = state;
    cb.reason = reason;
    cb.endedAt = this.ctx.now().toISOString();
    this.ctx.store.touch('callbacks', cb.id);
    audit(this.ctx, { id: cb.staffId, name: cb.staffName }, 'callback-result', thread.id, { callbackId: cb.id, state, reason });
    this.ctx.changes.thread(thread);
  }

  private find(id: string | undefined): { cb: Callback; thread: ThreadSummary } {
    const cb = id ? own(this.ctx.store.data.callbacks, id) : undefined;
    const thread = cb ? own(this.ctx.store.data.threads, cb.threadId) : undefined;
    if (!cb || !thread) throw new DomainError(400, 'unknown-callback', 'no such call-back');
    return { cb, thread };
  }
}
