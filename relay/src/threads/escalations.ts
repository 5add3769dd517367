import { slaElapsed, type Escalation, type EscalationReason, type ThreadSummary } from '@ringback/shared';
import { own } from '../store/own.js';
import { audit, locationById, settle, type Ctx } from './context.js';

/**
 * SLA escalation: an open thread nobody claimed within sla.claimMinutes, or a claimed one whose caller has
 * waited sla.replyMinutes for a staff text, is marked red, put on its audit history and announced with an
 * `escalation` event, once per breach. The clock counts only the location's open hours, so an after-hours
 * call pages nobody at night. Timer-driven with the relay's clock, so tests move time.
 */
export class Escalations {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly ctx: Ctx) {
    ctx.indexes.followOpenThreads(ctx.store);
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.tick();
      await settle(this.ctx);
    } catch (e) {
      this.ctx.log.error({ err: String(e) }, 'could not save an escalation');
    } finally {
      this.running = false;
    }
  }

  /** One pass over the open threads. */
  tick(): void {
    const now = this.ctx.now();
    for (const t of this.ctx.indexes.openThreads()) {
      const breach = this.breach(t, now);
      if (!breach) {
        if (t.escalation !== null) {
          t.escalation = null;
          this.ctx.changes.thread(t);
        }
        continue;
      }
      if (t.escalation?.reason === breach.reason && t.escalation.since === breach.since) continue;
      this.raise(t, breach.reason, breach.since, now);
    }
  }

  /** The wait that is over its limit right now, if any. */
  private breach(t: ThreadSummary, now: Date): { reason: EscalationReason; since: string } | null {
    const { sla } = this.ctx.config.business;
    const loc = locationById(this.ctx, t.locationId);
    const over = (since: string, minutes: number) => slaElapsed(loc.hours, loc.timezone, new Date(since), now, minutes);
    if (!t.claim) {
      const a = t.assistant;
      // The booking assistant is talking with the caller: nobody is late. Once it steps back, staff's clock starts.
      if (a && a.step !== 'handed-off' && a.step !== 'booked' && !a.handedOff) return null;
      const missed = t.lastMissedAt ?? t.openedAt;
      const since = a?.handedOff && a.handedOff.at > missed ? a.handedOff.at : missed;
      return over(since, sla.claimMinutes) ? { reason: 'unclaimed', since } : null;
    }
    const since = this.waitingForStaffSince(t);
    return since && over(since, sla.replyMinutes) ? { reason: 'no-reply', since } : null;
  }

  /** Since the claim if staff have not texted since; else since the caller's first text after the last staff text. */
  private waitingForStaffSince(t: ThreadSummary): string | null {
    const claimedAt = t.claim!.at;
    let lastReply: string | null = null;
    const inbound: string[] = [];
    for (const id of this.ctx.indexes.messages(t.id)) {
      const m = own(this.ctx.store.data.messages, id);
      if (!m) continue;
      if (m.kind === 'reply' && m.status !== 'blocked' && m.at >= claimedAt && (!lastReply || m.at > lastReply)) lastReply = m.at;
      if (m.direction === 'in') inbound.push(m.at);
    }
    if (!lastReply) return claimedAt;
    return inbound.filter((at) => at > lastReply!).sort()[0] ?? null;
  }

  private raise(t: ThreadSummary, reason: EscalationReason, since: string, now: Date): void {
    const key = `esc:${t.id}:${reason}:${since}`;
    const data = this.ctx.store.data;
    const raisedAt = own(data.processed, key);
    const escalation: Escalation = { reason, since, at: raisedAt ?? now.toISOString() };
    t.escalation = escalation;
    if (raisedAt) {
      // The same breach again (released after a claim, say): the red mark returns, nobody is paged twice.
      this.ctx.changes.thread(t);
      return;
    }
    this.ctx.store.put('processed', key, escalation.at);
    audit(this.ctx, null, 'escalation', t.id, { reason, since });
    this.reassign(t, reason);
    this.ctx.changes.escalation(t, reason);
  }

  /** sla.reassignTo: hand the thread to the manager on duty. */
  private reassign(t: ThreadSummary, reason: EscalationReason): void {
    const name = this.ctx.config.business.sla.reassignTo?.toLowerCase();
    if (!name) return;
    const to = this.ctx.store.data.staff.find((s) => !s.revokedAt && s.name.toLowerCase() === name);
    if (!to || t.claim?.staffId === to.id) return;
    audit(this.ctx, null, 'assign', t.id, { from: t.claim?.staffName ?? null, to: to.name, by: 'escalation', reason });
    t.claim = { staffId: to.id, staffName: to.name, at: this.ctx.now().toISOString() };
  }
}
