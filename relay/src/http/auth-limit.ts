import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import proxyAddr from '@fastify/proxy-addr';

export interface FailedAuthOptions {
  /** Failed tokens an address may present per window before it is refused outright. */
  limit: number;
  windowMs: number;
  /** How long an address over its limit gets 429 for wrong tokens (each further failure starts it again). */
  blockMs: number;
  /** Addresses remembered at most; the oldest go first. */
  maxAddresses: number;
}

export const defaultFailedAuth: FailedAuthOptions = { limit: 10, windowMs: 60_000, blockMs: 60_000, maxAddresses: 10_000 };

interface Tally {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

/**
 * The address a limit applies to. IPv6 clients usually hold a whole /64, so they are counted by it; an
 * IPv4-mapped IPv6 address is the IPv4 address.
 */
export function addressKey(address: string): string {
  const a = address.replace(/%.*$/, '').toLowerCase();
  if (a.startsWith('::ffff:') && a.includes('.')) return a.slice(7);
  if (!isIPv6(a)) return a;
  const [head = '', tail] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/**
 * Failed staff tokens per client address (REST bearer and socket handshake alike). Only failures are counted
 * and only failures are refused: a right token always works, so one stale client behind the office's shared
 * address cannot lock the front desk out, while guessing from it is cut to `limit` tries a window.
 */
export class FailedAuthLimiter {
  private readonly tallies = new Map<string, Tally>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly trustProxy: (address: string, hop: number) => boolean,
    private readonly now: () => number = Date.now,
    private readonly opts: FailedAuthOptions = defaultFailedAuth,
  ) {}

  /** The client: the peer itself, or the nearest address before the trusted proxies in X-Forwarded-For. */
  addressOf(req: IncomingMessage): string {
    return addressKey(proxyAddr(req, this.trustProxy));
  }

  /** Count a failed token from `address`; the seconds it must wait when over its limit, else 0. */
  fail(address: string): number {
    const now = this.now();
    let t = this.tallies.get(address);
    if (!t) {
      if (this.tallies.size >= this.opts.maxAddresses) this.forgetOldest(now);
      t = { windowStart: now, failures: 0, blockedUntil: 0 };
      this.tallies.set(address, t);
    }
    if (now - t.windowStart >= this.opts.windowMs) {
      t.windowStart = now;
      t.failures = 0;
    }
    t.failures += 1;
    if (t.blockedUntil > now || t.failures > this.opts.limit) t.blockedUntil = now + this.opts.blockMs;
    return t.blockedUntil > now ? Math.ceil((t.blockedUntil - now) / 1000) : 0;
  }

  private forgetOldest(now: number): void {
    // A sweep for tallies that no longer matter, at most once a second so a flood of new addresses stays cheap.
    if (now - this.lastSweep >= 1000) {
      this.lastSweep = now;
      for (const [address, t] of this.tallies) {
        if (t.blockedUntil <= now && now - t.windowStart >= this.opts.windowMs) this.tallies.delete(address);
      }
    }
    // Still full of live tallies: drop the oldest rather than grow without bound.
    while (this.tallies.size >= this.opts.maxAddresses) this.tallies.delete(this.tallies.keys().next().value!);
  }
}
