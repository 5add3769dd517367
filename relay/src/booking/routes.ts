import type { FastifyInstance, FastifyReply } from 'fastify';
import { bookingMoveBodySchema, offersQuerySchema, staffBookBodySchema, timeWish } from '@ringback/shared';
import { z } from 'zod';
import { requireStaff } from '../http/auth.js';
import { own } from '../store/own.js';
import { locationById, type Ctx } from '../threads/context.js';
import { DomainError, notFound } from '../threads/errors.js';
import type { BookResult, Bookings } from './bookings.js';
import { CalendarUnavailableError } from './calendar-port.js';

const idParams = z.object({ id: z.string().min(1).max(64) });

/** A booking that did not happen, as the REST layer says it: taken (409, with the times free now) or the calendar down (503). */
function unbooked(reply: FastifyReply, r: Exclude<BookResult, { ok: true }>) {
  if (r.reason === 'taken') return reply.status(409).send({ error: { code: 'taken', message: 'That time is no longer free.' }, offers: r.offers });
  return reply.status(503).send({ error: { code: 'calendar-down', message: 'The calendar cannot be reached; try again shortly.' } });
}

/** Staff book, move and cancel for a caller, and see the free times (the same service the assistant and the page use). */
export function registerBookingApi(app: FastifyInstance, ctx: Ctx, bookings: Bookings): void {
  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));
    const staffOf = (s: { id: string; name: string }) => ({ id: s.id, name: s.name });

    api.get('/api/threads/:id/offers', async (req) => {
      const { id } = idParams.parse(req.params);
      const thread = own(ctx.store.data.threads, id);
      if (!thread) throw notFound('thread');
      const q = offersQuerySchema.parse(req.query ?? {});
      const loc = locationById(ctx, thread.locationId);
      const wish = q.wish ? timeWish(q.wish, { now: ctx.now(), timezone: loc.timezone, hours: loc.booking?.schedule.hours }) : null;
      try {
        return { offers: await bookings.offers(id, wish, q.service), wish };
      } catch (e) {
        if (e instanceof CalendarUnavailableError) throw new DomainError(503, 'calendar-down', e.message);
        throw e;
      }
    });

    api.post('/api/threads/:id/booking', async (req, reply) => {
      const { id } = idParams.parse(req.params);
      if (!own(ctx.store.data.threads, id)) throw notFound('thread');
      const body = staffBookBodySchema.parse(req.body ?? {});
      const r = await bookings.book(id, { start: body.start, end: body.start }, 'staff', staffOf(req.staff!), body.serviceId);
      if (!r.ok) return unbooked(reply, r);
      return reply.status(201).send({ booking: r.booking });
    });

    api.post('/api/bookings/:id/move', async (req, reply) => {
      const { id } = idParams.parse(req.params);
      if (!own(ctx.store.data.bookings, id)) throw notFound('booking');
      const body = bookingMoveBodySchema.parse(req.body ?? {});
      const r = await bookings.move(id, { start: body.start, end: body.start }, 'staff', staffOf(req.staff!));
      if (!r.ok) return unbooked(reply, r);
      return { booking: r.booking };
    });

    api.post('/api/bookings/:id/cancel', async (req) => {
      const { id } = idParams.parse(req.params);
      if (!own(ctx.store.data.bookings, id)) throw notFound('booking');
      return { booking: await bookings.cancel(id, 'staff', staffOf(req.staff!)) };
    });
  });
}
