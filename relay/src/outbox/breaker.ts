import { backoffMs } from './backoff.js';

export interface BreakerOptions {
  /** Consecutive transient failures (5xx, 429, refused, timeout) after which Plivo counts as down. */
  threshold: number;
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * Is Plivo up? After `threshold` transient failures in a row it counts as down: the outbox then holds
 * its queue and sends one probe per backoff step, until an answer from Plivo closes the breaker again.
 */
export class Breaker {
  private failures = 0;
  private step = 0;
  /** While Plivo is down: when the next probe may go. Null while it is up. */
  private probeAt: number | null = null;

  constructor(private readonly opts: BreakerOptions) {}

  get open(): boolean {
    return this.probeAt !== null;
  }

  /** When the next probe may go, or null while Plivo is up. */
  get nextProbeAt(): number | null {
    return this.probeAt;
  }

  probeDue(now: number): boolean {
    return this.probeAt !== null && now >= this.probeAt;
  }

  /** Open at once with a probe due now (a restart found the queue held: Plivo was down when we stopped). */
  trip(now: number): void {
    this.failures = Math.max(this.failures, this.opts.threshold);
    this.step = Math.max(this.step, 1);
    this.probeAt ??= now;
  }

  /** A transient failure. Only a failed probe moves the next probe out; stragglers just count. */
  failure(now: number, probe: boolean): void {
    this.failures++;
    if (this.probeAt === null && this.failures >= this.opts.threshold) {
      this.step = 1;
      this.probeAt = now + backoffMs(this.step, this.opts.baseMs, this.opts.maxMs, this.opts.random);
    } else if (this.probeAt !== null && probe) {
      this.step++;
      this.probeAt = now + backoffMs(this.step, this.opts.baseMs, this.opts.maxMs, this.opts.random);
    }
  }

  /** Plivo answered. True when this closes the breaker (the held queue may go). */
  success(): boolean {
    const wasOpen = this.probeAt !== null;
    this.failures = 0;
    this.step = 0;
    this.probeAt = null;
    return wasOpen;
  }
}
