import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { NonceRecord } from '../store/data.js';
import type { Store } from '../store/store.js';
import type { SignParams } from './signature.js';

/** Plivo retries a webhook for up to a day (research/plivo.md); an hour of margin on top. */
export const NONCE_HORIZON_MS = 25 * 3600_000;
/** A safety net only: new valid nonces cannot be made without the auth token. */
export const MAX_NONCES = 200_000;
const PRUNE_EVERY_MS = 60_000;

export type NonceVerdict = 'new' | 'retry' | 'conflict';

/**
 * sha256 of what a V2 signature leaves out: the path with its query, and the form fields sorted (each
 * field's values in order received). JSON keeps "a=b&c" and "a=b" + "c=" apart.
 */
export function requestDigest(pathAndQuery: string, params: SignParams): string {
  const fields = Object.keys(params)
    .sort()
    .map((k) => [k, ([] as string[]).concat(params[k] ?? [])]);
  return createHash('sha256').update(JSON.stringify([pathAndQuery, fields]), 'utf8').digest('base64');
}

/**
 * Every nonce that came with a valid signature, with the digest of its request, kept through the store (so a
 * restart forgets nothing) until Plivo can no longer retry it. The same nonce again with the same request is
 * a retry; with another request it is a replay.
 */
export class WebhookNonces {
  /** Keys in the order they were seen, for pruning from the oldest without walking the map. */
  private order: { key: string; at: number }[] = [];
  private head = 0;
  private lastPrune = 0;
  private warnedFull = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly log: Logger,
    private readonly max = MAX_NONCES,
  ) {
    const data = store.data;
    // Nonces come from request headers: a map without a prototype has no keys they could collide with.
    if (Object.getPrototypeOf(data.nonces) !== null) data.nonces = Object.assign(Object.create(null) as Record<string, NonceRecord>, data.nonces);
    this.order = Object.entries(data.nonces)
      .map(([key, r]) => ({ key, at: Date.parse(r.at) || 0 }))
      .sort((a, b) => a.at - b.at);
    this.prune();
  }

  get size(): number {
    return this.order.length - this.head;
  }

  remember(version: 'v2' | 'v3', nonce: string, digest: string): NonceVerdict {
    this.prune();
    const key = `${version}:${nonce}`;
    const seen = this.store.data.nonces[key];
    if (seen) return seen.digest === digest ? 'retry' : 'conflict';
    const now = this.now();
    this.store.put('nonces', key, { at: now.toISOString(), digest });
    this.order.push({ key, at: now.getTime() });
    return 'new';
  }

  private prune(): void {
    const now = this.now().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS && this.size <= this.max) return;
    this.lastPrune = now;
    const horizon = now - NONCE_HORIZON_MS;
    while (this.size > 0 && (this.order[this.head]!.at < horizon || this.size > this.max)) {
      const { key, at } = this.order[this.head++]!;
      if (at >= horizon && !this.warnedFull) {
        this.warnedFull = true;
        this.log.warn({ max: this.max }, 'more webhook nonces than expected within a day; forgetting the oldest early');
      }
      this.store.put('nonces', key, undefined);
    }
    // Drop the consumed head once it is the larger part, so the array does not grow for ever.
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
