import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { formatPhone, freeSlots, localTime, selfBookBodySchema, selfBookSlotsQuerySchema, zonedInstant, type Booking, type Location, type Service, type Slot, type ThreadSummary } from '@ringback/shared';
import { own } from '../../store/own.js';
import { firstName, locationById, type Ctx } from '../../threads/context.js';
import { DomainError } from '../../threads/errors.js';
import { CalendarUnavailableError, type BusyInterval } from '../calendar-port.js';
import { registerBookingFeed } from '../feed.js';
import { bookingIcs } from '../ics.js';
import { bookable, pruneLinks, resolveLink, tokenHash } from '../links.js';
import { byDay, dayHeading, dayWords, nextDate, timeWords, zoneWords, type Day } from './format.js';
import { bookedHtml, goneHtml, problemHtml, servicesHtml, slotsHtml, type Frame } from './html.js';
import type { SelfBookingPort } from './port.js';
import { PAGE_HEADERS } from './style.js';

const DAY = 86_400_000;
const UNAVAILABLE = 'We cannot book online right now. Reply to our text or call us and we will book you in.';
/** Days of free times on one screen; "More times" shows the next ones. */
const DAYS_SHOWN = 3;
/** Bookings a link may try in a window: a caller taps once or twice; a script gets nowhere. */
const POSTS_PER_WINDOW = 10;
const POST_WINDOW_MS = 10 * 60_000;


interface Opened {
  thread: ThreadSummary;
  loc: Location & { booking: NonNullable<Location['booking']> };
  services: Service[];
  hash: string;
}

const wantsHtml = (req: FastifyRequest) => (req.headers.accept ?? '').includes('text/html');

function frame(ctx: Ctx, loc: Location | null): Frame {
  const number = loc?.numbers[0];
  return {
    business: ctx.config.business.business.name,
    location: loc?.name ?? null,
    phone: number ? { e164: number, display: formatPhone(number, ctx.config.business.business.country) } : null,
  };
}

/** The caller's first name as the business knows it (their contact, else a carrier name that looks like one). */
function greeting(ctx: Ctx, thread: ThreadSummary): string | null {
  const contact = thread.contactId ? own(ctx.store.data.contacts, thread.contactId) : undefined;
  const name = contact ? (contact.name.trim().split(/\s+/)[0] ?? null) : firstName(thread.callerName);
  // A contact saved under the caller's number ("(512) 555-1077") has no name to greet.
  return name && /\p{L}/u.test(name) ? `Hi ${name}` : null;
}

/** The thread's appointment still to come. */
function upcoming(ctx: Ctx, thread: ThreadSummary): Booking | null {
  const id = thread.booking?.id;
  const b = id ? own(ctx.store.data.bookings, id) : undefined;
  return b && b.status === 'booked' && Date.parse(b.end) > ctx.now().getTime() ? b : null;
}

/** The calendar's busy time; a calendar that cannot be read is said in words the caller can act on. */
async function busyOf(port: SelfBookingPort, o: Opened, from: number, to: number): Promise<BusyInterval[]> {
  try {
    return await port.busy(o.thread, from, to);
  } catch (e) {
    if (e instanceof CalendarUnavailableError) throw new DomainError(503, 'calendar-unavailable', UNAVAILABLE);
    throw e;
  }
}

/** Free slots of a service at the location from a local date (or now) to the schedule's horizon. */
async function slotsFrom(ctx: Ctx, port: SelfBookingPort, o: Opened, service: Service, from: string | undefined): Promise<{ days: Day[]; more: boolean }> {
  const { schedule } = o.loc.booking;
  const tz = o.loc.timezone;
  const now = ctx.now().getTime();
  const end = now + schedule.horizonDays * DAY;
  // Only days inside [today, the horizon] reach the zone arithmetic: year 1 or 9999 is simply "now" or "nothing".
  if (from && from > localTime(new Date(end), tz).date) return { days: [], more: false };
  const start = from && from > localTime(new Date(now), tz).date ? zonedInstant(from, 0, tz) : now;
  if (start >= end) return { days: [], more: false };
  const busy = await busyOf(port, o, start - DAY, end + DAY);
  const all = byDay(freeSlots({ schedule, timezone: tz, minutes: service.minutes, busy, from: start, to: end, now }), tz);
  return { days: all.slice(0, DAYS_SHOWN), more: all.length > DAYS_SHOWN };
}

/** Whether exactly this slot of this service is free now (on the grid, within notice and horizon, not busy). */
async function stillFree(ctx: Ctx, port: SelfBookingPort, o: Opened, service: Service, start: number): Promise<Slot | null> {
  const { schedule } = o.loc.booking;
  const busy = await busyOf(port, o, start - DAY, start + DAY);
  const [slot] = freeSlots({ schedule, timezone: o.loc.timezone, minutes: service.minutes, busy, from: start, to: start + 1, now: ctx.now().getTime() });
  return slot && Date.parse(slot.start) === start ? slot : null;
}

/** The service the page books: asked for, or the one the caller already chose by text, or the only one. */
function serviceOf(o: Opened, asked: string | undefined): Service | null {
  const bookable = o.services.filter((s) => !s.urgent);
  const pick = (id: string | null | undefined) => (id ? bookable.find((s) => s.id === id) : undefined);
  return pick(asked) ?? pick(o.thread.assistant?.serviceId) ?? (bookable.length === 1 ? bookable[0]! : null);
}

/** A slot in words for JSON answers: what the page shows on its buttons. */
const slotJson = (s: Slot, tz: string) => ({ start: s.start, end: s.end, time: timeWords(new Date(s.start), tz) });
const daysJson = (days: Day[], tz: string, now: Date) =>
  days.map((d) => ({ date: d.date, heading: dayHeading(d.date, tz, now), slots: d.slots.map((s) => slotJson(s, tz)) }));
const bookingJson = (b: Booking, service: Service | undefined, tz: string) => ({
  serviceId: b.serviceId,
  serviceLabel: service?.label ?? b.serviceId,
  start: b.start,
  end: b.end,
  day: dayWords(new Date(b.start), tz),
  time: timeWords(new Date(b.start), tz),
});

/**
 * The caller's own booking page, opened from the link in a text: `GET /book/:token` (HTML, no login, no
 * script), `GET /book/:token/slots` (JSON), `POST /book/:token` (`{ serviceId, start }`, a form or JSON;
 * booked by the caller: `by: 'self'`), `GET /book/:token/event.ics` ("add to calendar"), and each
 * location's calendar feed for staff (`GET /calendar/:locationId.ics?key=`).
 */
export function registerBookingPage(app: FastifyInstance, ctx: Ctx, port: SelfBookingPort): void {
  const posts = new Map<string, { count: number; since: number }>();

  const open = (token: string): Opened => {
    const r = resolveLink(ctx, token);
    if (!r.ok) throw r.reason === 'expired' ? new DomainError(410, 'link-expired', 'This booking link has expired.') : new DomainError(404, 'not-found', 'booking link not found');
    const loc = locationById(ctx, r.thread.locationId);
    const services = ctx.config.business.booking?.services ?? [];
    // The location stopped booking online since the text went out: as good as expired.
    if (!bookable(ctx, loc) || !loc.booking) throw new DomainError(410, 'link-expired', 'Online booking is not available here any more.');
    return { thread: r.thread, loc: loc as Opened['loc'], services, hash: tokenHash(token) };
  };

  /** The location a link was for, expired or not (its name and number are the business's, not the caller's). */
  const linkLocation = (token: string): Location | null => {
    const link = /^[A-Za-z0-9_-]{22}$/.test(token) ? own(ctx.store.data.bookingLinks, tokenHash(token)) : undefined;
    const thread = link ? own(ctx.store.data.threads, link.threadId) : undefined;
    return thread ? locationById(ctx, thread.locationId) : null;
  };

  /** Refusals reach a browser as the friendly page, anything else as the API's JSON error. */
  const refuse = (req: FastifyRequest, reply: FastifyReply, e: unknown) => {
    if (e instanceof ZodError && wantsHtml(req)) e = new DomainError(400, 'invalid', 'This address is not quite right. Open the link in our text again.');
    if (!(e instanceof DomainError) || !wantsHtml(req)) throw e;
    const f = frame(ctx, linkLocation((req.params as { token?: string }).token ?? ''));
    const page = e.status === 404 || e.status === 410 ? goneHtml(f, e.status === 410) : problemHtml(f, e.message);
    return reply.status(e.status).type('text/html; charset=utf-8').send(page);
  };

  const renderSlots = async (token: string, o: Opened, service: Service, from: string | undefined, notice: string | null) => {
    const tz = o.loc.timezone;
    const now = ctx.now();
    const { days, more } = await slotsFrom(ctx, port, o, service, from);
    const query = (q: Record<string, string>) => `?${new URLSearchParams(q).toString()}`;
    const words = (s: Slot) => `${dayWords(new Date(s.start), tz)} at ${timeWords(new Date(s.start), tz)}`;
    return slotsHtml({
      ...frame(ctx, o.loc),
      greeting: greeting(ctx, o.thread),
      // Relative to /book/<token>: the page's own address, whatever proxy path prefix it is served under.
      action: token,
      serviceId: service.id,
      serviceLabel: service.label,
      minutes: service.minutes,
      zone: zoneWords(now, tz),
      days: days.map((d) => ({
        heading: dayHeading(d.date, tz, now),
        slots: d.slots.map((s) => ({ start: s.start, time: timeWords(new Date(s.start), tz), label: words(s) })),
      })),
      earlier: from && from > localTime(now, tz).date ? query({ service: service.id }) : null,
      more: more ? query({ service: service.id, from: nextDate(days.at(-1)!.date) }) : null,
      changeService: o.services.filter((s) => !s.urgent).length > 1 ? '?service=' : null,
      notice,
    });
  };

  app.get('/book/:token', async (req, reply) => {
    void reply.headers(PAGE_HEADERS);
    try {
      const o = open((req.params as { token: string }).token);
      const q = selfBookSlotsQuerySchema.parse(req.query);
      const tz = o.loc.timezone;
      const booked = upcoming(ctx, o.thread);
      if (!wantsHtml(req)) {
        return { booking: booked ? bookingJson(booked, o.services.find((s) => s.id === booked.serviceId), tz) : null };
      }
      const html = (s: string) => reply.type('text/html; charset=utf-8').send(s);
      if (booked) {
        const service = o.services.find((s) => s.id === booked.serviceId);
        return html(
          bookedHtml({
            ...frame(ctx, o.loc),
            greeting: greeting(ctx, o.thread),
            serviceLabel: service?.label ?? 'Appointment',
            minutes: Math.round((Date.parse(booked.end) - Date.parse(booked.start)) / 60_000),
            day: dayWords(new Date(booked.start), tz),
            time: timeWords(new Date(booked.start), tz),
            icsHref: `${(req.params as { token: string }).token}/event.ics`,
          }),
        );
      }
      const service = q.service === '' ? null : serviceOf(o, q.service);
      if (!service) {
        return html(
          servicesHtml({
            ...frame(ctx, o.loc),
            greeting: greeting(ctx, o.thread),
            services: o.services.filter((s) => !s.urgent).map((s) => ({ href: `?service=${encodeURIComponent(s.id)}`, label: s.label, minutes: s.minutes })),
            urgent: o.services.filter((s) => s.urgent).map((s) => s.label),
          }),
        );
      }
      return html(await renderSlots((req.params as { token: string }).token, o, service, q.from, null));
    } catch (e) {
      return refuse(req, reply, e);
    }
  });

  app.get('/book/:token/slots', async (req, reply) => {
    void reply.headers(PAGE_HEADERS);
    const o = open((req.params as { token: string }).token);
    const q = selfBookSlotsQuerySchema.parse(req.query);
    const service = serviceOf(o, q.service);
    if (!service) throw new DomainError(400, 'invalid', `service: one of ${o.services.filter((s) => !s.urgent).map((s) => s.id).join(', ')}`);
    const { days, more } = await slotsFrom(ctx, port, o, service, q.from);
    const tz = o.loc.timezone;
    return { serviceId: service.id, timezone: tz, days: daysJson(days, tz, ctx.now()), next: more ? nextDate(days.at(-1)!.date) : null };
  });

  app.post('/book/:token', async (req, reply) => {
    void reply.headers(PAGE_HEADERS);
    const token = (req.params as { token: string }).token;
    const html = wantsHtml(req);
    try {
      const o = open(token);
      const now = ctx.now().getTime();
      const tries = posts.get(o.hash);
      if (tries && now - tries.since < POST_WINDOW_MS && tries.count >= POSTS_PER_WINDOW) {
        throw new DomainError(429, 'rate-limited', 'Too many tries on this link; reply to our text or call us.');
      }
      if (!tries || now - tries.since >= POST_WINDOW_MS) posts.set(o.hash, { count: 1, since: now });
      else tries.count++;

      const body = selfBookBodySchema.parse(req.body);
      const service = o.services.find((s) => s.id === body.serviceId && !s.urgent);
      if (!service) throw new DomainError(400, 'invalid', `serviceId: one of ${o.services.filter((s) => !s.urgent).map((s) => s.id).join(', ')}`);
      const tz = o.loc.timezone;
      const already = upcoming(ctx, o.thread);
      if (already) {
        if (html) return reply.redirect(token, 303);
        return reply.status(409).send({ error: { code: 'already-booked', message: 'This link already booked an appointment.' }, booking: bookingJson(already, service, tz) });
      }
      const start = Date.parse(body.start);
      const slot = await stillFree(ctx, port, o, service, start);
      const result = slot ? await port.book(o.thread.id, service.id, slot) : ({ ok: false, reason: 'taken' } as const);
      if (result.ok) {
        if (html) return reply.redirect(token, 303);
        return reply.status(201).send({ booking: bookingJson(result.booking, service, tz) });
      }
      if (result.reason === 'unavailable') {
        throw new DomainError(503, 'calendar-unavailable', UNAVAILABLE);
      }
      // Taken meanwhile (or never free): the times still free from that day on.
      const day = localTime(new Date(start), tz).date;
      if (html) {
        const notice = `Sorry, ${dayWords(new Date(start), tz)} at ${timeWords(new Date(start), tz)} is no longer free. Here are the times still open.`;
        return reply.status(409).type('text/html; charset=utf-8').send(await renderSlots(token, o, service, day, notice));
      }
      const { days, more } = await slotsFrom(ctx, port, o, service, day);
      return reply.status(409).send({
        error: { code: 'slot-taken', message: 'That time is no longer free.' },
        days: daysJson(days, tz, ctx.now()),
        next: more ? nextDate(days.at(-1)!.date) : null,
      });
    } catch (e) {
      return refuse(req, reply, e);
    }
  });

  app.get('/book/:token/event.ics', async (req, reply) => {
    void reply.headers(PAGE_HEADERS);
    try {
      const o = open((req.params as { token: string }).token);
      const booked = upcoming(ctx, o.thread);
      if (!booked) throw new DomainError(404, 'not-found', 'no appointment booked through this link');
      const service = o.services.find((s) => s.id === booked.serviceId);
      const business = ctx.config.business.business.name;
      const ics = bookingIcs(booked, {
        summary: `${service?.label ?? 'Appointment'} at ${business}`,
        description: `${service?.label ?? 'Appointment'} at ${business}, ${o.loc.name}.${o.loc.numbers[0] ? ` To change it, call ${formatPhone(o.loc.numbers[0], ctx.config.business.business.country)} or reply to our text.` : ''}`,
        url: `${ctx.config.publicUrl}/book/${(req.params as { token: string }).token}`,
        location: `${business}, ${o.loc.name}`,
      });
      return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="appointment.ics"').send(ics);
    } catch (e) {
      return refuse(req, reply, e);
    }
  });

  registerBookingFeed(app, ctx);

  // Expired links are only dead weight in the data file.
  const prune = setInterval(() => {
    const n = pruneLinks(ctx);
    if (n) ctx.store.commit().catch((e: unknown) => ctx.log.error({ err: String(e) }, 'could not prune booking links'));
    const now = ctx.now().getTime();
    for (const [k, v] of posts) if (now - v.since >= POST_WINDOW_MS) posts.delete(k);
  }, DAY);
  prune.unref();
  app.addHook('onClose', async () => clearInterval(prune));
}
