import { createHash, createHmac } from 'node:crypto';
import { templateVariables, type Location, type ThreadSummary } from '@ringback/shared';
import type { BookingLink, Data } from '../store/data.js';
import { own } from '../store/own.js';
import type { Ctx } from '../threads/context.js';
import { locationById } from '../threads/context.js';
import { linkKey } from './link-key.js';

/** A token is 16 bytes (128 bits: unguessable, and short enough to keep a text-back in one SMS), base64url: 22 characters. */
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * The token of a link is the HMAC of its thread and creation time under the data dir's key, cut to 16
 * unguessable bytes, that the relay can give again (one link per thread, in the text-back, HELP and the assistant's texts
 * alike) while the store keeps only their sha256.
 */
const tokenOf = (key: Buffer, threadId: string, createdAt: string): string =>
  createHmac('sha256', key).update(`book\n${threadId}\n${createdAt}`).digest().subarray(0, 16).toString('base64url');

/** thread id → hash of its newest link, per data set; rebuilt from the store when first needed. */
const newest = new WeakMap<Data, Map<string, string>>();
function index(data: Data): Map<string, string> {
  let m = newest.get(data);
  if (!m) {
    m = new Map();
    for (const [hash, l] of Object.entries(data.bookingLinks)) {
      const had = m.get(l.threadId);
      if (!had || (own(data.bookingLinks, had)?.createdAt ?? '') < l.createdAt) m.set(l.threadId, hash);
    }
    newest.set(data, m);
  }
  return m;
}

/** Where a location books, when the business and the location both have booking configured. */
export function bookable(ctx: Ctx, loc: Location): boolean {
  return Boolean(ctx.config.business.booking && loc.booking);
}

/**
 * The thread's self-booking link: the live one while at least half its life is left (so a text never
 * carries a link about to lapse), else a new one. The caller commits the store as part of its change.
 */
export function issueLink(ctx: Ctx, threadId: string): { token: string; expiresAt: string } {
  const data = ctx.store.data;
  const key = linkKey(ctx.store.dir);
  const hours = ctx.config.business.booking?.linkHours ?? 72;
  const now = ctx.now().getTime();
  const had = index(data).get(threadId);
  const live = had ? own(data.bookingLinks, had) : undefined;
  if (live && live.threadId === threadId && Date.parse(live.expiresAt) - now >= (hours * 3600_000) / 2) {
    const token = tokenOf(key, threadId, live.createdAt);
    // A key file replaced since (a restore) cannot give the old token again: a new link then.
    if (tokenHash(token) === had) return { token, expiresAt: live.expiresAt };
  }
  const createdAt = new Date(now).toISOString();
  const link: BookingLink = { threadId, createdAt, expiresAt: new Date(now + hours * 3600_000).toISOString() };
  const token = tokenOf(key, threadId, createdAt);
  const hash = tokenHash(token);
  ctx.store.put('bookingLinks', hash, link);
  index(data).set(threadId, hash);
  return { token, expiresAt: link.expiresAt };
}

export type Resolved = { ok: true; link: BookingLink; thread: ThreadSummary } | { ok: false; reason: 'unknown' | 'expired' };

/** The thread a token opens; unknown and expired links say only which of the two they are. */
export function resolveLink(ctx: Ctx, token: string): Resolved {
  if (!TOKEN.test(token)) return { ok: false, reason: 'unknown' };
  const link = own(ctx.store.data.bookingLinks, tokenHash(token));
  if (!link) return { ok: false, reason: 'unknown' };
  if (Date.parse(link.expiresAt) <= ctx.now().getTime()) return { ok: false, reason: 'expired' };
  const thread = own(ctx.store.data.threads, link.threadId);
  // The thread was archived (or removed) since: the link is as good as expired.
  if (!thread) return { ok: false, reason: 'expired' };
  return { ok: true, link, thread };
}

/** Forget expired links (daily): their pages already say "expired" from the expiry alone. */
export function pruneLinks(ctx: Ctx): number {
  const now = ctx.now().getTime();
  let n = 0;
  const data = ctx.store.data;
  for (const [hash, l] of Object.entries(data.bookingLinks)) {
    if (Date.parse(l.expiresAt) > now) continue;
    ctx.store.put('bookingLinks', hash, undefined);
    if (index(data).get(l.threadId) === hash) index(data).delete(l.threadId);
    n++;
  }
  return n;
}

/** The self-booking page of a link. */
export const bookingPageUrl = (ctx: Ctx, token: string): string => `${ctx.config.publicUrl}/book/${token}`;

/** "Add to calendar" for the thread's booking: the event behind its self-booking link. */
export const eventIcsUrl = (ctx: Ctx, threadId: string): string => `${bookingPageUrl(ctx, issueLink(ctx, threadId).token)}/event.ics`;

/**
 * `{{bookingUrl}}` for a thread: its own self-booking page where the location books through Ringback, else
 * the business's booking address. A link is issued only for a text that shows it (`template` given).
 */
export function bookingUrlFor(ctx: Ctx, thread: ThreadSummary, template?: string): string {
  const fallback = ctx.config.business.business.bookingUrl;
  if (!bookable(ctx, locationById(ctx, thread.locationId))) return fallback;
  if (template !== undefined && !templateVariables(template).includes('bookingUrl')) return fallback;
  return bookingPageUrl(ctx, issueLink(ctx, thread.id).token);
}

/** The secret in a location's calendar-feed address: stable while the key file is, different per location. */
export function feedKey(dir: string, locationId: string): string {
  return createHmac('sha256', linkKey(dir)).update(`feed\n${locationId}`).digest('base64url');
}

export const feedUrl = (publicUrl: string, dir: string, locationId: string): string =>
  `${publicUrl}/calendar/${encodeURIComponent(locationId)}.ics?key=${feedKey(dir, locationId)}`;
