/** What the relay remembers about its own recent behaviour, for /healthz and degraded status. */

export type WebhookResult = 'ok' | 'bad-signature' | 'invalid' | 'unavailable' | 'error';
export type SendStatus = 'sent' | 'retry' | 'unknown' | 'failed' | 'blocked';

/** Thresholds for "degraded" (documented in README "Health and metrics"). */
export const healthLimits = {
  /** Signature failures in the last 5 minutes, with no good webhook since, that mean PUBLIC_URL or the token is wrong. */
  signatureFailures: 3,
  /** Send attempts failing in a row (a wrong PLIVO_AUTH_ID, an unpaid account, Plivo down). */
  consecutiveSendFailures: 3,
  /** An outbox entry due this long ago and still not sent. */
  backlogAgeSeconds: 600,
};

const FIVE_MIN = 5 * 60_000;
const HOUR = 3600_000;

export class HealthState {
  lastWebhook: { route: string; at: string; result: WebhookResult } | null = null;
  lastGoodWebhookAt: number | null = null;
  signatureFailuresTotal = 0;
  lastSignatureFailureAt: number | null = null;
  consecutiveSendFailures = 0;
  lastSendError: string | null = null;
  // Times of recent events, trimmed as they age out; bounded by what an hour can bring.
  private signatureFailures: number[] = [];
  private sendFailures: number[] = [];

  constructor(private readonly now: () => number) {}

  webhook(route: string, result: WebhookResult): void {
    const at = this.now();
    this.lastWebhook = { route, at: new Date(at).toISOString(), result };
    if (result === 'bad-signature') {
      this.signatureFailuresTotal += 1;
      this.lastSignatureFailureAt = at;
      this.signatureFailures.push(at);
      trim(this.signatureFailures, at - FIVE_MIN, 10_000);
    } else if (result === 'ok') {
      this.lastGoodWebhookAt = at;
    }
  }

  send(status: SendStatus, error: string | null): void {
    if (status === 'sent') {
      this.consecutiveSendFailures = 0;
    } else if (status === 'retry' || status === 'failed' || status === 'unknown') {
      const at = this.now();
      this.consecutiveSendFailures += 1;
      this.lastSendError = error;
      if (status === 'failed') {
        this.sendFailures.push(at);
        trim(this.sendFailures, at - HOUR, 100_000);
      }
    }
  }

  signatureFailuresLast5Min(): number {
    trim(this.signatureFailures, this.now() - FIVE_MIN, 10_000);
    return this.signatureFailures.length;
  }

  failedLastHour(): number {
    trim(this.sendFailures, this.now() - HOUR, 100_000);
    return this.sendFailures.length;
  }

  /** Reasons the relay is degraded, empty when it is fine. */
  problems(backlogAgeSeconds: number): string[] {
    const out: string[] = [];
    const sigs = this.signatureFailuresLast5Min();
    if (sigs >= healthLimits.signatureFailures && (this.lastGoodWebhookAt ?? 0) < (this.lastSignatureFailureAt ?? 0)) {
      out.push(`${sigs} webhooks with a wrong signature in 5 minutes and none good since: check PUBLIC_URL and PLIVO_AUTH_TOKEN`);
    }
    if (this.consecutiveSendFailures >= healthLimits.consecutiveSendFailures) {
      out.push(`${this.consecutiveSendFailures} send attempts failed in a row: ${this.lastSendError ?? 'unknown error'}`);
    }
    if (backlogAgeSeconds >= healthLimits.backlogAgeSeconds) out.push(`a text has waited ${Math.round(backlogAgeSeconds)} s to be sent`);
    return out;
  }
}

/** Drop entries older than `since` (sorted ascending), and never keep more than `max`. */
function trim(times: number[], since: number, max: number): void {
  let drop = 0;
  while (drop < times.length && times[drop]! < since) drop++;
  drop = Math.max(drop, times.length - max);
  if (drop > 0) times.splice(0, drop);
}
