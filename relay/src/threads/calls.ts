import {
  assignVariant,
  assistantExperimentFor,
  decideTextBack,
  experimentFor,
  isOpen,
  parsePhone,
  renderTemplate,
  withStopFooter,
  type Call,
  type Location,
  type ThreadSummary,
  type VoiceAnswer,
  type VoiceDial,
  type VoiceHangup,
  type VoiceRecording,
} from '@ringback/shared';
import { bookingUrlFor } from '../booking/links.js';
import { dialXml, hangupXml, voicemailXml } from '../plivo/xml.js';
import { own } from '../store/own.js';
import { firstName, locationById, locationByNumber, openThread, settle, type Ctx } from './context.js';
import { DomainError } from './errors.js';
import type { LineTypes } from './line-types.js';
import { queueSms } from './send.js';

const DEFAULT_GREETING = "Sorry we couldn't take your call. Leave a message after the tone and we'll text you right back.";

/**
 * The voice side of a missed call: Plivo's answer, Dial action, recording and hangup webhooks.
 * Each handler is idempotent on CallUUID; the text-back goes out when the call ends.
 */
export class Calls {
  private fallbacks = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly ctx: Ctx,
    private readonly lineTypes: LineTypes,
  ) {}

  answer(body: VoiceAnswer): string {
    const loc = this.location(body.To);
    const call = this.call(body, loc, () => !isOpen(loc.hours, loc.timezone, this.ctx.now()));
    if (call.afterHours) {
      this.recordMiss(call, loc, body.CallerName ?? null);
      return voicemailXml(loc.greeting ?? DEFAULT_GREETING, this.ctx.config.publicUrl);
    }
    return dialXml(loc, this.ctx.config.publicUrl);
  }

  dial(body: VoiceDial): string {
    const loc = this.location(body.To);
    const call = this.call(body, loc, () => false);
    if (call.dialStatus === null) {
      call.dialStatus = body.DialStatus;
      if (body.DialStatus === 'completed') {
        if (call.outcome === 'ringing') call.outcome = 'answered';
      } else {
        this.recordMiss(call, loc, body.CallerName ?? null);
      }
      this.ctx.store.touch('calls', call.id);
    }
    return call.outcome === 'answered' ? hangupXml() : voicemailXml(loc.greeting ?? DEFAULT_GREETING, this.ctx.config.publicUrl);
  }

  recording(body: VoiceRecording): void {
    const loc = this.location(body.To);
    const call = this.call(body, loc, () => false);
    if (call.voicemail) return;
    // Voicemail is only offered to a caller nobody answered.
    this.recordMiss(call, loc, body.CallerName ?? null);
    call.voicemail = { url: body.RecordUrl, durationSec: body.RecordingDuration };
    this.ctx.store.touch('calls', call.id);
    const thread = call.threadId ? own(this.ctx.store.data.threads, call.threadId) : undefined;
    if (thread) {
      thread.voicemail = call.voicemail;
      this.ctx.changes.thread(thread);
    }
  }

  hangup(body: VoiceHangup): void {
    const loc = this.location(body.To);
    const call = this.call(body, loc, () => false);
    if (call.endedAt) return;
    call.endedAt = this.ctx.now().toISOString();
    this.ctx.store.touch('calls', call.id);
    // No connected desk leg: the caller gave up while it rang.
    if (call.outcome === 'ringing') this.recordMiss(call, loc, body.CallerName ?? null);
    if (call.outcome === 'missed') this.trySettleTextBack(call);
  }

  /** After a restart: settle text-backs whose call ended (or waited too long) before the crash. */
  resume(): void {
    for (const call of Object.values(this.ctx.store.data.calls)) {
      if (call.outcome !== 'missed' || call.textBackSettled) continue;
      if (call.endedAt) this.trySettleTextBack(call);
      else this.armFallback(call);
    }
  }

  stop(): void {
    for (const t of this.fallbacks.values()) clearTimeout(t);
    this.fallbacks.clear();
  }

  private location(trackingNumber: string): Location {
    const loc = locationByNumber(this.ctx, trackingNumber);
    if (!loc) throw new DomainError(400, 'unknown-number', `${trackingNumber} is not a tracking number of this business`);
    return loc;
  }

  private call(body: VoiceAnswer, loc: Location, afterHours: () => boolean): Call {
    const existing = own(this.ctx.store.data.calls, body.CallUUID);
    if (existing) return existing;
    const parsed = parsePhone(body.From, this.ctx.config.business.business.country);
    const call: Call = {
      id: body.CallUUID,
      threadId: null,
      locationId: loc.id,
      from: parsed.ok ? parsed.e164 : body.From || 'anonymous',
      to: body.To.startsWith('+') ? body.To : `+${body.To}`,
      startedAt: this.ctx.now().toISOString(),
      endedAt: null,
      outcome: 'ringing',
      afterHours: afterHours(),
      dialStatus: null,
      missedAt: null,
      voicemail: null,
      textBackSettled: false,
      textBackSkipped: null,
    };
    this.ctx.store.put('calls', call.id, call);
    return call;
  }

  /** A missed call opens (or reopens) the caller's thread and is shown to staff at once. */
  private recordMiss(call: Call, loc: Location, callerName: string | null): void {
    if (call.outcome === 'missed') return;
    const now = this.ctx.now().toISOString();
    this.ctx.store.touch('calls', call.id);
    call.outcome = 'missed';
    call.missedAt = now;
    const thread = openThread(this.ctx, loc, call.from, call.to, callerName || null);
    thread.missedCount += 1;
    thread.lastMissedAt = now;
    call.threadId = thread.id;
    this.ctx.indexes.addCall(thread.id, call.id);
    if (!thread.textBack || thread.textBack.state === 'skipped') {
      thread.textBack = { state: 'pending', reason: null, messageId: null, at: null };
    }
    this.ctx.changes.thread(thread);
    const parsed = parsePhone(call.from, this.ctx.config.business.business.country);
    if (parsed.ok) this.lineTypes.ensure(parsed.e164, () => this.onLineType(parsed.e164));
    this.armFallback(call);
  }

  /** If no hangup arrives, the text goes out anyway after textBack.maxWaitSeconds. */
  private armFallback(call: Call): void {
    if (this.fallbacks.has(call.id)) return;
    const waited = this.ctx.now().getTime() - Date.parse(call.missedAt ?? call.startedAt);
    const delay = Math.max(0, this.ctx.config.business.textBack.maxWaitSeconds * 1000 - waited);
    const timer = setTimeout(() => {
      this.fallbacks.delete(call.id);
      if (call.textBackSettled) return;
      this.trySettleTextBack(call);
      void settle(this.ctx).catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'could not save a late text-back'));
    }, delay);
    timer.unref();
    this.fallbacks.set(call.id, timer);
  }

  /** The caller's line type is known: their threads (one per location) and calls waiting on it, by index, not by scan. */
  private onLineType(e164: string): void {
    const type = this.lineTypes.known(e164);
    const data = this.ctx.store.data;
    for (const loc of this.ctx.config.business.locations) {
      const id = this.ctx.indexes.threadFor(loc.id, e164);
      const t = id === undefined ? undefined : own(data.threads, id);
      if (!t) continue;
      if (t.lineType !== type) {
        t.lineType = type;
        this.ctx.changes.thread(t);
      }
      for (const callId of this.ctx.indexes.calls(t.id)) {
        const call = own(data.calls, callId);
        if (call && call.outcome === 'missed' && call.endedAt && !call.textBackSettled) this.trySettleTextBack(call);
      }
    }
    void settle(this.ctx).catch((e: unknown) => this.ctx.log.error({ err: String(e) }, 'could not save a text-back'));
  }

  /** Decide and queue the text-back, unless the line type is still being looked up. */
  private trySettleTextBack(call: Call): void {
    if (call.textBackSettled || !call.threadId) return;
    const thread = own(this.ctx.store.data.threads, call.threadId);
    if (!thread) return;
    const country = this.ctx.config.business.business.country;
    const caller = parsePhone(call.from, country);
    if (caller.ok && this.lineTypes.pending(caller.e164)) return;
    const loc = locationById(this.ctx, call.locationId);
    const decision = decideTextBack({
      caller,
      optedOut: caller.ok && Boolean(own(this.ctx.store.data.optOuts, caller.e164)),
      lineType: caller.ok ? this.lineTypes.known(caller.e164) : null,
      lastTextBackAt: this.lastTextBackAt(thread),
      dedupeMinutes: this.ctx.config.business.textBack.dedupeMinutes,
      hadVoicemail: Boolean(call.voicemail),
      afterHours: call.afterHours,
      now: this.ctx.now(),
    });
    this.ctx.ops.textBack(decision, call.from);
    call.textBackSettled = true;
    clearTimeout(this.fallbacks.get(call.id));
    this.fallbacks.delete(call.id);
    this.ctx.store.touch('calls', call.id);
    if (!decision.send) {
      call.textBackSkipped = decision.reason;
      // A repeat call keeps showing the text-back that already went out.
      if (decision.reason !== 'duplicate' || !thread.textBack?.messageId) {
        thread.textBack = { state: 'skipped', reason: decision.reason, messageId: null, at: null };
      }
      this.ctx.changes.thread(thread);
      return;
    }
    // A running A/B test of this template picks the copy, stably per call; a test of the assistant is recorded here too.
    const experiment = experimentFor(this.ctx.config.business.experiments, decision.template, loc.id) ?? assistantExperimentFor(this.ctx.config.business.experiments, loc.id);
    const variant = experiment ? assignVariant(experiment, call.id) : null;
    const template = variant?.text ?? loc.templates[decision.template];
    const text = withStopFooter(
      renderTemplate(template, {
        firstName: firstName(thread.callerName),
        business: this.ctx.config.business.business.name,
        bookingUrl: bookingUrlFor(this.ctx, thread, template),
        location: loc.name,
      }),
    );
    const { message, blocked } = queueSms(this.ctx, {
      thread,
      kind: 'text-back',
      text,
      immediate: true,
      ...(experiment && variant ? { variant: { experiment: experiment.id, variant: variant.id } } : {}),
    });
    thread.textBack = blocked
      ? { state: 'skipped', reason: blocked, messageId: message.id, at: null }
      : { state: 'pending', reason: null, messageId: message.id, at: null };
    this.ctx.changes.thread(thread);
  }

  private lastTextBackAt(thread: ThreadSummary): string | null {
    let last: string | null = null;
    for (const id of this.ctx.indexes.messages(thread.id)) {
      const m = own(this.ctx.store.data.messages, id);
      if (m?.kind === 'text-back' && m.status !== 'blocked' && m.status !== 'failed' && (!last || m.at > last)) last = m.at;
    }
    return last;
  }
}

