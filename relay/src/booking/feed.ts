import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { formatPhone, type Booking } from '@ringback/shared';
import type { RelayConfig } from '../config/load.js';
import { requireManager, requireStaff } from '../http/auth.js';
import type { Ctx } from '../threads/context.js';
import { notFound } from '../threads/errors.js';
import { feedIcs, type IcsText } from './ics.js';
import { feedKey, feedUrl } from './links.js';

const digest = (s: string) => createHash('sha256').update(s).digest();
const BY: Record<Booking['by'], string> = { assistant: 'the assistant, by text', self: 'the caller, online', staff: 'staff' };

/** A booking as staff read it in their calendar: the service and who, then the number, the answers, who booked. */
function describe(ctx: Ctx, b: Booking): IcsText {
  const cfg = ctx.config.business.booking;
  const name = b.callerName ?? formatPhone(b.caller, ctx.config.business.business.country);
  const answers = Object.entries(b.answers).map(([q, a]) => {
    const question = cfg?.questions.find((x) => x.id === q);
    return `${question?.ask ?? q} ${question?.options?.find((o) => o.id === a)?.label ?? a}`;
  });
  return {
    summary: `${cfg?.services.find((s) => s.id === b.serviceId)?.label ?? b.serviceId} — ${name}`,
    description: [`Phone: ${formatPhone(b.caller, ctx.config.business.business.country)}`, ...answers, `Booked by ${BY[b.by]}`].join('\n'),
    url: '',
  };
}

/** The feed addresses of every location that books, for managers (`ringback booking feed-url` prints the same). */
export function feedAddresses(config: RelayConfig, dir: string): { locationId: string; name: string; url: string }[] {
  return config.business.booking
    ? config.business.locations.filter((l) => l.booking).map((l) => ({ locationId: l.id, name: l.name, url: feedUrl(config.publicUrl, dir, l.id) }))
    : [];
}

/**
 * A location's bookings as an iCalendar feed staff subscribe to (`GET /calendar/:locationId.ics?key=`); the key
 * is the address's only secret, so a wrong or missing one is told nothing but "not found". Managers read the
 * addresses from `GET /api/booking/feeds`.
 */
export function registerBookingFeed(app: FastifyInstance, ctx: Ctx): void {
  app.get('/calendar/:locationId.ics', async (req, reply) => {
    const { locationId } = req.params as { locationId: string };
    const { key } = req.query as { key?: unknown };
    const loc = ctx.config.business.booking ? ctx.config.business.locations.find((l) => l.id === locationId && l.booking) : undefined;
    if (!loc || typeof key !== 'string' || !timingSafeEqual(digest(key), digest(feedKey(ctx.store.dir, loc.id)))) throw notFound('calendar');
    const bookings = Object.values(ctx.store.data.bookings).filter((b) => b.locationId === loc.id);
    return reply
      .headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
      .type('text/calendar; charset=utf-8')
      .send(feedIcs(bookings, `${ctx.config.business.business.name} · ${loc.name}`, { now: ctx.now().getTime(), describe: (b) => describe(ctx, b) }));
  });

  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));
    api.get('/api/booking/feeds', async (req) => {
      requireManager(req);
      return { feeds: feedAddresses(ctx.config, ctx.store.dir) };
    });
  });
}
