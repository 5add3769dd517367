import type { Location, LocationBooking } from '@ringback/shared';
import type { Ctx } from '../threads/context.js';
import { BuiltInCalendar } from './built-in-calendar.js';
import { caldavCalendar } from './caldav/index.js';
import { CalendarUnavailableError, type CalendarPort } from './calendar-port.js';

/** Builds a CalDAV port for a location (tests may swap the adapter). */
export type CaldavFactory = (ctx: Ctx, loc: Location, booking: LocationBooking & { calendar: { type: 'caldav' } }) => CalendarPort;

/** The calendar a location books into, as its `booking.calendar` says. */
export const defaultCaldav: CaldavFactory = (ctx, loc, booking) =>
  caldavCalendar(booking.calendar, { timeZone: loc.timezone, bufferMinutes: booking.schedule.bufferMinutes, log: ctx.log });

export function calendarFor(ctx: Ctx, loc: Location, caldav: CaldavFactory | null = defaultCaldav, ignore: ReadonlySet<string> = new Set()): CalendarPort {
  const booking = loc.booking;
  if (!booking) throw new CalendarUnavailableError(`location ${loc.id} does not book`);
  if (booking.calendar.type === 'built-in') return new BuiltInCalendar(ctx.store.data, loc.id, booking.schedule, loc.timezone, ctx.now, ignore);
  if (!caldav) throw new CalendarUnavailableError('no CalDAV adapter is wired');
  return caldav(ctx, loc, booking as LocationBooking & { calendar: { type: 'caldav' } });
}
