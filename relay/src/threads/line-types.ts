import type { LineType } from '@ringback/shared';
import { own } from '../store/own.js';
import type { Ctx } from './context.js';

const CACHE_DAYS = 30;

/**
 * Plivo Lookup, cached for a month per number. A lookup starts when the call is missed, off the
 * webhook's path, so its answer is usually known by the time the caller hangs up.
 */
export class LineTypes {
  private inFlight = new Map<string, Promise<LineType | null>>();

  constructor(private readonly ctx: Ctx) {}

  known(e164: string): LineType | null {
    const hit = own(this.ctx.store.data.lineTypes, e164);
    if (!hit) return null;
    const age = this.ctx.now().getTime() - Date.parse(hit.at);
    return age < CACHE_DAYS * 86_400_000 ? hit.type : null;
  }

  /** Answers past their month only grow the file (one per caller ever): a caller who rings again is looked up again. */
  prune(): number {
    const horizon = this.ctx.now().getTime() - CACHE_DAYS * 86_400_000;
    let n = 0;
    for (const [e164, hit] of Object.entries(this.ctx.store.data.lineTypes)) {
      if (Date.parse(hit.at) >= horizon) continue;
      this.ctx.store.put('lineTypes', e164, undefined);
      n++;
    }
    return n;
  }

  pending(e164: string): boolean {
    return this.inFlight.has(e164);
  }

  /** Start a lookup unless one is cached or running; `done` runs once the answer is stored. */
  ensure(e164: string, done: () => void): void {
    if (this.known(e164) || this.inFlight.has(e164)) return;
    const p = this.ctx.rest
      .lookupLineType(e164)
      .then((type) => {
        this.ctx.store.put('lineTypes', e164, { type, at: this.ctx.now().toISOString() });
        return type;
      })
      .catch((e: unknown) => {
        // Unknown line type: the text is tried, and a landline shows up as a failed delivery instead.
        this.ctx.log.warn({ err: String(e) }, 'line type lookup failed');
        return null;
      })
      .finally(() => {
        this.inFlight.delete(e164);
        done();
      });
    this.inFlight.set(e164, p);
  }
}
