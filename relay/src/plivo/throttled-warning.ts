import type { Logger } from 'pino';

/**
 * One warn line at most every `everyMs`; the next line says how many were held back meanwhile. Refused
 * webhooks come from outside, so a flood of them must not become a flood of log lines.
 */
export class ThrottledWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private held = 0;

  constructor(
    private readonly log: Logger,
    private readonly now: () => Date,
    private readonly everyMs = 60_000,
  ) {}

  warn(fields: Record<string, unknown>, msg: string): void {
    const now = this.now().getTime();
    if (now - this.lastAt < this.everyMs) {
      this.held += 1;
      return;
    }
    this.log.warn({ ...fields, ...(this.held ? { notLoggedSinceLastLine: this.held } : {}) }, msg);
    this.lastAt = now;
    this.held = 0;
  }
}
