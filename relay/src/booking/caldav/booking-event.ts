import ICAL from 'ical.js';
import type { CalendarEvent } from '../calendar-port.js';

const utc = (iso: string | Date) => ICAL.Time.fromJSDate(new Date(iso), true);

/**
 * The iCalendar object for one booking, as written to a CalDAV calendar: UTC start and end (every server
 * reads `…Z` the same way), the booking id as UID, and the caller's details in the description.
 */
export function bookingEventIcs(event: CalendarEvent, now = new Date()): string {
  const { booking } = event;
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.updatePropertyWithValue('prodid', '-//Ringback//Booking//EN');
  calendar.updatePropertyWithValue('version', '2.0');
  const vevent = new ICAL.Component('vevent');
  vevent.updatePropertyWithValue('uid', booking.id);
  vevent.updatePropertyWithValue('dtstamp', utc(now));
  vevent.updatePropertyWithValue('created', utc(booking.createdAt));
  vevent.updatePropertyWithValue('dtstart', utc(booking.start));
  vevent.updatePropertyWithValue('dtend', utc(booking.end));
  vevent.updatePropertyWithValue('summary', event.summary);
  vevent.updatePropertyWithValue('description', event.description);
  vevent.updatePropertyWithValue('url', event.url);
  vevent.updatePropertyWithValue('status', 'CONFIRMED');
  vevent.updatePropertyWithValue('transp', 'OPAQUE');
  calendar.addSubcomponent(vevent);
  return calendar.toString() + '\r\n';
}
