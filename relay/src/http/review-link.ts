import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { ReviewLinkReply, StaffMember } from '@ringback/shared';
import { audit, settle, type Ctx } from '../threads/context.js';
import type { Queries } from '../threads/queries.js';
import { DomainError } from '../threads/errors.js';
import { publicStaff } from '../staff/tokens.js';
import { requireManager, requireStaff } from './auth.js';
import { reviewMonth } from './figure-range.js';
import { monthlyReview } from './monthly-review.js';

/** A link lives 5 minutes and opens once; the page it opens then works for half an hour in that browser. */
export const LINK_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 30 * 60_000;
const COOKIE = 'ringback_review';
const MAX_SESSIONS = 1000;
const PAGE = '/reports/monthly';

interface LinkClaims {
  /** staff id, month, location (or null), expiry (ms), nonce */
  s: string;
  m: string;
  l: string | null;
  e: number;
  n: string;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * Browser links to the monthly review, which cannot carry a Bearer header. A manager's app asks for a link
 * (HMAC'd with a key that lives only in this process, so a restart voids every link); opening it spends
 * it and swaps it for an HttpOnly cookie, then redirects to an address without it.
 */
export class ReviewLinks {
  private readonly key = randomBytes(32);
  /** Spent nonces until their link would have expired anyway. */
  private readonly spent = new Map<string, number>();
  private readonly sessions = new Map<string, { staffId: string; expires: number }>();

  constructor(private readonly now: () => number) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  issue(staffId: string, month: string, location: string | null): { token: string; expires: number } {
    const claims: LinkClaims = { s: staffId, m: month, l: location, e: this.now() + LINK_TTL_MS, n: randomBytes(12).toString('base64url') };
    const payload = b64(JSON.stringify(claims));
    return { token: `${payload}.${this.sign(payload)}`, expires: claims.e };
  }

  /** Check and spend a link for this month and location; answers the staff id it names. */
  redeem(token: string, month: string, location: string | null): string {
    const [payload, mac, extra] = token.split('.');
    const expected = Buffer.from(this.sign(payload ?? ''));
    const given = Buffer.from(mac ?? '');
    if (extra !== undefined || !payload || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError(401, 'invalid-link', 'This review link is not valid. Open the monthly review again from the app.');
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as LinkClaims;
    const now = this.now();
    this.prune(now);
    if (claims.e <= now) throw new DomainError(410, 'link-expired', 'This review link has expired (links last 5 minutes). Open the monthly review again from the app.');
    if (this.spent.has(claims.n)) throw new DomainError(410, 'link-used', 'This review link was already opened. Open the monthly review again from the app.');
    if (claims.m !== month || claims.l !== location) {
      throw new DomainError(403, 'link-mismatch', `This link opens the review of ${claims.m}${claims.l ? ` at ${claims.l}` : ''}, not of the month asked for.`);
    }
    this.spent.set(claims.n, claims.e);
    return claims.s;
  }

  startSession(staffId: string): { id: string; maxAgeSec: number } {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { staffId, expires: this.now() + SESSION_TTL_MS });
    // Bounded: the oldest sessions go first (each needed a manager's link to exist).
    for (const old of this.sessions.keys()) {
      if (this.sessions.size <= MAX_SESSIONS) break;
      this.sessions.delete(old);
    }
    return { id, maxAgeSec: SESSION_TTL_MS / 1000 };
  }

  session(id: string | undefined): string | null {
    const s = id === undefined ? undefined : this.sessions.get(id);
    if (!s) return null;
    if (s.expires <= this.now()) {
      this.sessions.delete(id!);
      return null;
    }
    return s.staffId;
  }

  private prune(now: number): void {
    for (const [n, e] of this.spent) if (e <= now) this.spent.delete(n);
    for (const [id, s] of this.sessions) if (s.expires <= now) this.sessions.delete(id);
  }
}

function cookie(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

/** The staff member a link or session names must still be a manager now. */
function manager(ctx: Ctx, staffId: string): StaffMember {
  const s = ctx.store.data.staff.find((x) => x.id === staffId && !x.revokedAt);
  if (!s) throw new DomainError(401, 'unauthorized', 'The staff member this review was opened for no longer has access.');
  const staff = publicStaff(s);
  if (staff.role !== 'manager') throw new DomainError(403, 'forbidden', 'Only a manager can read the monthly review.');
  return staff;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A browser gets its refusal as a small page; anything else as the API's JSON error. */
function refusal(req: FastifyRequest, reply: FastifyReply, e: DomainError) {
  if (!(req.headers.accept ?? '').includes('text/html')) throw e;
  return reply
    .status(e.status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Monthly review</title></head><body style="font:16px/1.5 system-ui,sans-serif;margin:48px auto;max-width:40em;padding:0 24px;color:#111827"><main><h1>Monthly review</h1><p>${esc(e.message)}</p></main></body></html>`);
}

/**
 * `POST /api/reports/monthly/link` (managers; `{month?, location?}` → `{path, expiresAt}`) and the page it
 * opens, `GET /reports/monthly?month=&location=&t=`, which takes the link once or the cookie it left.
 */
export function registerReviewPage(app: FastifyInstance, ctx: Ctx, queries: Queries): void {
  const links = new ReviewLinks(() => ctx.now().getTime());
  const secure = ctx.config.publicUrl.startsWith('https:');
  const audited = async (staff: StaffMember, detail: Record<string, unknown>) => {
    try {
      ctx.store.transaction(() => audit(ctx, staff, 'export', null, detail));
    } finally {
      await settle(ctx);
    }
  };

  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));
    api.post('/api/reports/monthly/link', async (req): Promise<ReviewLinkReply> => {
      const staff = requireManager(req);
      const q = reviewMonth(req.body ?? {}, queries, ctx.now());
      const { token, expires } = links.issue(staff.id, q.month, q.location ?? null);
      await audited(staff, { what: 'monthly review link', month: q.month });
      const where = q.location ? `&location=${encodeURIComponent(q.location)}` : '';
      return { path: `${PAGE}?month=${q.month}${where}&t=${token}`, expiresAt: new Date(expires).toISOString() };
    });
  });

  app.get(PAGE, async (req, reply) => {
    void reply.headers({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    });
    try {
      const query = { ...(req.query as Record<string, unknown>) };
      const token = typeof query.t === 'string' ? query.t : undefined;
      delete query.t;
      const q = reviewMonth(query, queries, ctx.now());
      const where = q.location ? `&location=${encodeURIComponent(q.location)}` : '';
      if (token !== undefined) {
        // Spend the link, leave a cookie, and move to an address that holds no token.
        const staff = manager(ctx, links.redeem(token, q.month, q.location ?? null));
        const session = links.startSession(staff.id);
        void reply.header(
          'set-cookie',
          `${COOKIE}=${session.id}; Path=${PAGE}; Max-Age=${session.maxAgeSec}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
        );
        return reply.redirect(`${PAGE}?month=${q.month}${where}`, 303);
      }
      const staffId = links.session(cookie(req));
      if (!staffId) throw new DomainError(401, 'unauthorized', 'Open the monthly review from the Ringback app (the extension or the desktop app); its links work for 5 minutes.');
      const staff = manager(ctx, staffId);
      await audited(staff, { what: 'monthly review', month: q.month });
      return reply.type('text/html; charset=utf-8').send(await monthlyReview(ctx, queries, q.month, q.location));
    } catch (e) {
      if (e instanceof DomainError) return refusal(req, reply, e);
      if (e instanceof ZodError) return refusal(req, reply, new DomainError(400, 'invalid', e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
      throw e;
    }
  });
}
