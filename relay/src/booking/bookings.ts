import { freeSlots, pickOffers, type Booking, type BookedBy, type Location, type LocationBooking, type Service, type Slot, type ThreadBooking, type ThreadSummary, type TimeWish } from '@ringback/shared';
import { own } from '../store/own.js';
import type { Contacts } from '../threads/contacts.js';
import { audit, locationById, newId, settle, type Ctx } from '../threads/context.js';
import { DomainError, notFound } from '../threads/errors.js';
import { queueSms } from '../threads/send.js';
import { handOff, say } from './assistant-state.js';
import { bookedText, cancelledText, movedText } from './assistant-texts.js';
import { CalendarUnavailableError, SlotTakenError, type CalendarPort } from './calendar-port.js';
import { calendarFor, defaultCaldav, type CaldavFactory } from './calendars.js';

const DAY = 86_400_000;

export interface Actor {
  id: string;
  name: string;
}

export type BookResult =
  | { ok: true; booking: Booking }
  /** Someone else got the time first: these are the times free now. */
  | { ok: false; reason: 'taken'; offers: Slot[] }
  /** The calendar could not be read or written: the thread went to staff. */
  | { ok: false; reason: 'calendar-down' };

/**
 * What the assistant, the self-booking page and staff book through. Every booking of a location is made
 * one at a time (a per-location lock) and re-checks its slot against the calendar, so two callers racing
 * for one time get one booking and one fresh offer.
 */
export interface BookingService {
  /** The next free times for the thread's service (or `serviceId`), those fitting the wish first. */
  offers(threadId: string, wish?: TimeWish | null, serviceId?: string): Promise<Slot[]>;
  /** Book the slot; the thread resolves as `booked` with the service's value, and the caller gets a confirmation (unless staff booked). */
  book(threadId: string, slot: Slot, by: BookedBy, staff?: Actor | null, serviceId?: string): Promise<BookResult>;
  cancel(bookingId: string, by: BookedBy, staff?: Actor | null): Promise<Booking>;
  move(bookingId: string, slot: Slot, by: BookedBy, staff?: Actor | null): Promise<BookResult>;
}

export interface BookingsOptions {
  caldav?: CaldavFactory | null;
  contacts?: Contacts;
  /** The "add to calendar" address for a booking (the self-booking link's event), or null for none. */
  calendarLink?: (thread: ThreadSummary, booking: Booking) => string | null;
}

type BookingLocation = Location & { booking: LocationBooking };

/** Who a resolution names when nobody on staff booked. */
const ACTORS: Record<Exclude<BookedBy, 'staff'>, Actor> = {
  assistant: { id: 'assistant', name: 'Assistant' },
  self: { id: 'self-booking', name: 'Self-booking page' },
};

export class Bookings implements BookingService {
  private locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: Ctx,
    private readonly opts: BookingsOptions = {},
  ) {}

  async offers(threadId: string, wish: TimeWish | null = null, serviceId?: string): Promise<Slot[]> {
    const thread = this.thread(threadId);
    const loc = this.location(thread);
    return this.freeOffers(loc, this.service(thread, serviceId), wish, this.calendar(loc));
  }

  book(threadId: string, slot: Slot, by: BookedBy, staff: Actor | null = null, serviceId?: string): Promise<BookResult> {
    const loc = this.location(this.thread(threadId));
    return this.locked(loc.id, async () => {
      const thread = this.thread(threadId);
      const service = this.service(thread, serviceId);
      const cal = this.calendar(loc);
      const start = Date.parse(slot.start);
      const end = start + service.minutes * 60_000;
      const now = this.ctx.now().toISOString();
      const booking: Booking = {
        id: newId('bk'),
        threadId: thread.id,
        locationId: loc.id,
        serviceId: service.id,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        caller: thread.caller,
        callerName: thread.callerName,
        answers: { ...(thread.assistant?.answers ?? {}) },
        by,
        staffId: by === 'staff' ? (staff?.id ?? null) : null,
        createdAt: now,
        status: 'booked',
        cancelledAt: null,
        calendar: { type: 'built-in' },
      };
      try {
        if (!Number.isFinite(start) || !(await this.isFree(loc, service, cal, start, end))) throw new SlotTakenError('not free');
        booking.calendar = await cal.book(this.event(thread, booking, service));
      } catch (e) {
        return this.failed(e, thread, loc, service, cal, start);
      }
      this.ctx.store.transaction(() => {
        this.ctx.store.put('bookings', booking.id, booking);
        const t = this.edit(thread.id);
        t.booking = threadBooking(booking, service, by, by === 'staff' ? (staff?.name ?? null) : null);
        this.resolveBooked(t, service, by, staff);
        // The conversation now moves or cancels this booking; one staff took over stays theirs.
        if (t.assistant && t.assistant.step !== 'handed-off') {
          t.assistant.step = 'booked';
          t.assistant.bookingId = booking.id;
          t.assistant.offered = [];
          t.assistant.serviceId = service.id;
          t.assistant.qualifiedAt ??= now;
        }
        this.ctx.changes.thread(t);
        audit(this.ctx, by === 'staff' ? staff : null, 'booked', t.id, { by, bookingId: booking.id, serviceId: service.id, start: booking.start, value: service.value });
        if (by !== 'staff') this.tell(t, bookedText(booking, service, loc.name, loc.timezone, this.opts.calendarLink?.(t, booking) ?? null));
      });
      await this.settleOrUndo(cal, booking.calendar);
      return { ok: true, booking };
    });
  }

  /**
   * Save the booking; if that fails (a full disk) the command was undone in memory and answers 503, so the event
   * just written to the calendar is taken out again: a failed booking leaves nothing behind.
   */
  private async settleOrUndo(cal: CalendarPort, written: Booking['calendar']): Promise<void> {
    try {
      await settle(this.ctx);
    } catch (e) {
      await this.removeEvent(cal, written);
      throw e;
    }
  }

  private async removeEvent(cal: CalendarPort, where: Booking['calendar']): Promise<void> {
    await cal.cancel(where).catch((e: unknown) => this.ctx.log.warn({ err: String(e) }, 'could not remove a calendar event; remove it by hand'));
  }

  cancel(bookingId: string, by: BookedBy, staff: Actor | null = null): Promise<Booking> {
    const first = this.booking(bookingId);
    return this.locked(first.locationId, async () => {
      const booking = this.booking(bookingId);
      if (booking.status === 'cancelled') return booking;
      const thread = own(this.ctx.store.data.threads, booking.threadId);
      const loc = thread ? this.location(thread) : null;
      try {
        if (loc) await this.calendar(loc).cancel(booking.calendar);
      } catch (e) {
        if (e instanceof CalendarUnavailableError) throw new DomainError(503, 'calendar-down', 'The calendar cannot be reached; try again shortly.');
        throw e;
      }
      const service = this.serviceById(booking.serviceId);
      this.ctx.store.transaction(() => {
        const b = this.ctx.store.edit('bookings', booking.id)!;
        b.status = 'cancelled';
        b.cancelledAt = this.ctx.now().toISOString();
        this.ctx.store.touch('bookings', b.id);
        audit(this.ctx, by === 'staff' ? staff : null, 'booking-cancel', b.threadId, { by, bookingId: b.id });
        const t = this.ctx.store.edit('threads', b.threadId);
        if (!t) return;
        if (t.booking?.id === b.id) t.booking = null;
        // A cancelled appointment is no longer a booked outcome: the thread goes back to the queue.
        if (t.status === 'resolved' && t.resolution?.outcome === 'booked') {
          t.status = 'open';
          t.resolution = null;
          audit(this.ctx, by === 'staff' ? staff : null, 'reopen', t.id, { outcome: 'booked', by: 'booking-cancel' });
        }
        if (t.assistant?.bookingId === b.id) {
          t.assistant.bookingId = null;
          if (t.assistant.step === 'booked') t.assistant.step = 'time';
        }
        this.ctx.changes.thread(t);
        if (by !== 'staff' && service && loc) this.tell(t, cancelledText(service, b, loc.timezone));
      });
      try {
        await settle(this.ctx);
      } catch (e) {
        // Not saved, so still booked here: the event goes back into the calendar.
        if (loc && thread && service && booking.calendar.type === 'caldav') {
          await this.calendar(loc).book(this.event(thread, booking, service)).catch((err: unknown) => this.ctx.log.warn({ err: String(err) }, 'could not put a calendar event back; add it by hand'));
        }
        throw e;
      }
      return this.booking(bookingId);
    });
  }

  move(bookingId: string, slot: Slot, by: BookedBy, staff: Actor | null = null): Promise<BookResult> {
    const first = this.booking(bookingId);
    return this.locked(first.locationId, async () => {
      const booking = this.booking(bookingId);
      if (booking.status === 'cancelled') throw new DomainError(409, 'cancelled', 'This booking was cancelled.');
      const thread = this.thread(booking.threadId);
      const loc = this.location(thread);
      const service = this.serviceById(booking.serviceId) ?? this.service(thread);
      // The appointment being moved does not block its own new time.
      const cal = this.calendar(loc, new Set([booking.id]));
      const start = Date.parse(slot.start);
      const end = start + service.minutes * 60_000;
      const moved: Booking = { ...booking, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
      try {
        const except = { start: Date.parse(booking.start), end: Date.parse(booking.end) };
        if (!Number.isFinite(start) || !(await this.isFree(loc, service, cal, start, end, except))) throw new SlotTakenError('not free');
        moved.calendar = await cal.book(this.event(thread, moved, service));
      } catch (e) {
        return this.failed(e, thread, loc, service, cal, start);
      }
      this.ctx.store.transaction(() => {
        const b = this.ctx.store.edit('bookings', booking.id)!;
        b.start = moved.start;
        b.end = moved.end;
        b.calendar = moved.calendar;
        this.ctx.store.touch('bookings', b.id);
        audit(this.ctx, by === 'staff' ? staff : null, 'booking-move', b.threadId, { by, bookingId: b.id, from: booking.start, to: b.start });
        const t = this.edit(b.threadId);
        t.booking = threadBooking(b, service, b.by, b.staffId ? (this.ctx.store.data.staff.find((s) => s.id === b.staffId)?.name ?? null) : null);
        if (t.status !== 'resolved') this.resolveBooked(t, service, by, staff);
        if (t.assistant && t.assistant.step !== 'handed-off') {
          t.assistant.step = 'booked';
          t.assistant.bookingId = b.id;
          t.assistant.offered = [];
        }
        this.ctx.changes.thread(t);
        if (by !== 'staff') this.tell(t, movedText(b, service, loc.timezone, this.opts.calendarLink?.(t, b) ?? null));
      });
      await this.settleOrUndo(cal, moved.calendar);
      // The old event goes only once the move is on disk: a failed save leaves the booking where it was.
      if (booking.calendar.type === 'caldav') await this.removeEvent(cal, booking.calendar);
      return { ok: true, booking: this.booking(bookingId) };
    });
  }

  /** The location's calendar (built-in or CalDAV); `ignore` leaves bookings out of busy time. */
  calendar(loc: BookingLocation, ignore?: ReadonlySet<string>): CalendarPort {
    return calendarFor(this.ctx, loc, this.opts.caldav ?? defaultCaldav, ignore);
  }

  /** The thread's service: the one chosen in the conversation or booked before, else the first bookable one. */
  service(thread: ThreadSummary, serviceId?: string): Service {
    const id = serviceId ?? thread.assistant?.serviceId ?? thread.booking?.serviceId;
    const services = this.ctx.config.business.booking?.services ?? [];
    const found = id ? services.find((s) => s.id === id) : services.find((s) => !s.urgent);
    if (!found) throw new DomainError(400, 'invalid', id ? `"${id}" is not a service` : 'no bookable service is configured');
    return found;
  }

  /** The thread's location, which must book. */
  location(thread: ThreadSummary): BookingLocation {
    const loc = locationById(this.ctx, thread.locationId);
    if (!loc.booking || !this.ctx.config.business.booking) throw new DomainError(409, 'not-bookable', `${loc.name} does not take bookings.`);
    return loc as BookingLocation;
  }

  async freeOffers(loc: BookingLocation, service: Service, wish: TimeWish | null, cal: CalendarPort): Promise<Slot[]> {
    const now = this.ctx.now().getTime();
    const free = await this.free(loc, service, cal, now, now + loc.booking.schedule.horizonDays * DAY);
    return pickOffers(free, { wish, count: this.ctx.config.business.booking?.offers ?? 3, timezone: loc.timezone });
  }

  private async free(loc: BookingLocation, service: Service, cal: CalendarPort, from: number, to: number, except?: { start: number; end: number }): Promise<Slot[]> {
    // A day either side: buffers of appointments just outside the window still count.
    let busy = await cal.busy(from - DAY, to + DAY);
    if (except) {
      const i = busy.findIndex((b) => b.start === except.start && b.end === except.end);
      if (i >= 0) busy = busy.filter((_, j) => j !== i);
    }
    return freeSlots({ schedule: loc.booking.schedule, timezone: loc.timezone, busy, minutes: service.minutes, from, to, now: this.ctx.now().getTime() });
  }

  private async isFree(loc: BookingLocation, service: Service, cal: CalendarPort, start: number, end: number, except?: { start: number; end: number }): Promise<boolean> {
    const free = await this.free(loc, service, cal, start, start + 1, except);
    return free.some((s) => Date.parse(s.start) === start && Date.parse(s.end) === end);
  }

  /** A lost race offers the times free now, nearest the one asked for; a calendar that is down hands the thread to staff. */
  private async failed(e: unknown, thread: ThreadSummary, loc: BookingLocation, service: Service, cal: CalendarPort, start: number): Promise<BookResult> {
    if (e instanceof SlotTakenError) {
      const from = Number.isFinite(start) ? start : this.ctx.now().getTime();
      const wish = thread.assistant?.wish ?? { text: '', from: new Date(from).toISOString(), to: new Date(from + DAY).toISOString() };
      try {
        return { ok: false, reason: 'taken', offers: await this.freeOffers(loc, service, wish, cal) };
      } catch (again) {
        e = again;
      }
    }
    if (e instanceof CalendarUnavailableError) {
      this.ctx.log.warn({ err: String(e), location: loc.id }, 'the calendar is unavailable; the assistant hands the thread to staff');
      this.ctx.store.transaction(() => {
        const t = this.ctx.store.edit('threads', thread.id);
        if (t) handOff(this.ctx, t, 'calendar-down');
      });
      await settle(this.ctx);
      return { ok: false, reason: 'calendar-down' };
    }
    throw e;
  }

  private resolveBooked(t: ThreadSummary, service: Service, by: BookedBy, staff: Actor | null): void {
    const actor = by === 'staff' && staff ? staff : ACTORS[by === 'staff' ? 'assistant' : by];
    t.status = 'resolved';
    t.escalation = null;
    this.opts.contacts?.tagRecovered(t, 'booked');
    t.resolution = { outcome: 'booked', value: service.value, staffId: actor.id, staffName: actor.name, at: this.ctx.now().toISOString() };
    audit(this.ctx, by === 'staff' ? staff : null, 'resolve', t.id, { outcome: 'booked', value: service.value, by });
  }

  /** A text to the caller about their booking: the assistant's (within its cap) when it has the thread, else a plain one. */
  private tell(t: ThreadSummary, text: string): void {
    if (t.assistant) say(this.ctx, t, text);
    else queueSms(this.ctx, { thread: t, kind: 'assistant', text, immediate: true });
  }

  private event(thread: ThreadSummary, booking: Booking, service: Service) {
    const name = thread.callerName ?? thread.callerDisplay;
    const questions = this.ctx.config.business.booking?.questions ?? [];
    const answers = Object.entries(booking.answers).map(([q, a]) => {
      const question = questions.find((x) => x.id === q);
      const label = question?.options?.find((o) => o.id === a)?.label ?? a;
      return `${question?.ask ?? q} ${label}`;
    });
    const url = `${this.ctx.config.publicUrl}/api/threads/${encodeURIComponent(thread.id)}`;
    return {
      booking,
      summary: `${service.label} — ${name}`,
      description: [`Name: ${name}`, `Phone: ${thread.callerDisplay}`, ...answers, `Thread: ${url}`].join('\n'),
      url,
    };
  }

  private thread(id: string): ThreadSummary {
    const t = own(this.ctx.store.data.threads, id);
    if (!t) throw notFound('thread');
    return t;
  }

  private edit(id: string): ThreadSummary {
    const t = this.ctx.store.edit('threads', id);
    if (!t) throw notFound('thread');
    return t;
  }

  private booking(id: string): Booking {
    const b = own(this.ctx.store.data.bookings, id);
    if (!b) throw notFound('booking');
    return b;
  }

  private serviceById(id: string): Service | undefined {
    return this.ctx.config.business.booking?.services.find((s) => s.id === id);
  }

  /** One booking at a time per location: the re-check and the write happen with nobody in between. */
  private locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }
}

/** What the thread shows; a staff booking names who made it ("booked by Riley"). */
function threadBooking(b: Booking, service: Service, by: BookedBy, staffName: string | null = null): ThreadBooking {
  return { id: b.id, serviceId: b.serviceId, serviceLabel: service.label, start: b.start, end: b.end, by, ...(by === 'staff' ? { staffName } : {}) };
}

