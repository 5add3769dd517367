import { maskNumber, maskNumbersIn, type Message, type TextBackDecision } from '@ringback/shared';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { HealthState, type SendStatus, type WebhookResult } from './health.js';
import { RelayMetrics } from './metrics.js';
import { RELAY_VERSION } from '../version.js';

export type Mode = 'sandbox' | 'plivo';

/**
 * What the operator sees: one info line per webhook outcome, text-back decision and send (numbers masked,
 * never message text), the counters behind /metrics, and the recent history behind /healthz.
 */
export class Ops {
  readonly health: HealthState;
  readonly metrics: RelayMetrics;
  readonly startedAt: number;
  figuresReady = false;
  /** Set once the live server runs. */
  socketClients: () => number = () => 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly now: () => Date,
    readonly mode: Mode,
  ) {
    this.startedAt = Date.now();
    this.health = new HealthState(() => this.now().getTime());
    this.metrics = new RelayMetrics({
      version: RELAY_VERSION,
      mode,
      storageHealthy: () => this.store.healthy,
      backlog: () => this.backlog(),
      socketClients: () => this.socketClients(),
    });
  }

  webhook(route: string, result: WebhookResult, ms: number): void {
    this.health.webhook(route, result);
    this.metrics.webhooks.inc({ route, result });
    this.metrics.webhookSeconds.observe({ route }, ms / 1000);
    const line = { event: 'webhook', route, result, ms: Math.round(ms * 10) / 10 };
    if (result === 'ok') this.log.info(line, 'webhook');
    else this.log.warn(line, 'webhook not accepted');
  }

  textBack(decision: TextBackDecision, caller: string): void {
    const d = decision.send ? { decision: 'send', reason: decision.template } : { decision: 'skip', reason: decision.reason };
    this.metrics.textBacks.inc(d);
    this.log.info({ event: 'textback', ...d, caller: maskNumber(caller) }, 'text-back decision');
  }

  send(status: SendStatus, message: Pick<Message, 'id' | 'kind'>, error: string | null = null): void {
    const masked = error === null ? null : maskNumbersIn(error);
    this.health.send(status, masked);
    this.metrics.texts.inc({ status });
    const line = { event: 'send', status, messageId: message.id, kind: message.kind, ...(masked ? { error: masked } : {}) };
    if (status === 'sent' || status === 'blocked') this.log.info(line, 'send');
    else this.log.warn(line, 'send failed');
  }

  /** Texts not yet sent, and how long the oldest one that is due (not held by quiet hours) has waited. */
  backlog(): { count: number; oldestDueSeconds: number } {
    const now = this.now().getTime();
    let count = 0;
    let oldest = now;
    for (const e of Object.values(this.store.data.outbox)) {
      if (e.state !== 'pending' && e.state !== 'sending' && e.state !== 'unknown') continue;
      count++;
      // A retry or a quiet-hours hold moves nextAttemptAt on; a due entry has waited since it was queued.
      if (Date.parse(e.nextAttemptAt) <= now) oldest = Math.min(oldest, Date.parse(e.createdAt));
    }
    return { count, oldestDueSeconds: Math.max(0, (now - oldest) / 1000) };
  }

  /** The /healthz body. "down" only when the data cannot be saved; see README "Health and metrics". */
  report() {
    const backlog = this.backlog();
    const problems = this.health.problems(backlog.oldestDueSeconds);
    const storageOk = this.store.healthy;
    const status = !storageOk ? 'down' : problems.length ? 'degraded' : 'ok';
    const h = this.health;
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      ok: storageOk,
      status,
      problems: storageOk ? problems : ['the data dir cannot be written', ...problems],
      version: RELAY_VERSION,
      mode: this.mode,
      sandbox: this.mode === 'sandbox',
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      seq: this.store.data.seq,
      figuresReady: this.figuresReady,
      storage: { ok: storageOk },
      webhooks: {
        last: h.lastWebhook,
        lastGoodAt: iso(h.lastGoodWebhookAt),
        signatureFailures: { total: h.signatureFailuresTotal, last5min: h.signatureFailuresLast5Min() },
        lastSignatureFailureAt: iso(h.lastSignatureFailureAt),
      },
      outbox: {
        backlog: backlog.count,
        oldestDueSeconds: Math.round(backlog.oldestDueSeconds),
        failedLastHour: h.failedLastHour(),
        consecutiveFailures: h.consecutiveSendFailures,
        lastError: h.lastSendError,
      },
    };
  }
}
