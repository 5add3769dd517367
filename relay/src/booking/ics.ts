import ICAL from 'ical.js';
import type { Booking } from '@ringback/shared';

/*
 * Stand-in until h-slots' ics.ts lands (same signatures): one VEVENT per booking, UTC times, UID = booking id.
 */

export interface EventText {
  summary: string;
  description: string;
  url: string;
  location?: string;
}

const utc = (iso: string) => ICAL.Time.fromJSDate(new Date(iso), true);

function vevent(b: Booking, t: EventText, stamp: string): ICAL.Component {
  const e = new ICAL.Component('vevent');
  e.addPropertyWithValue('uid', `${b.id}@ringback`);
  e.addPropertyWithValue('dtstamp', utc(stamp));
  e.addPropertyWithValue('dtstart', utc(b.start));
  e.addPropertyWithValue('dtend', utc(b.end));
  e.addPropertyWithValue('summary', t.summary);
  e.addPropertyWithValue('description', t.description);
  if (t.url) e.addPropertyWithValue('url', t.url);
  if (t.location) e.addPropertyWithValue('location', t.location);
  e.addPropertyWithValue('status', b.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
  return e;
}

function calendar(name: string | null): ICAL.Component {
  const c = new ICAL.Component('vcalendar');
  c.addPropertyWithValue('prodid', '-//Ringback//Booking//EN');
  c.addPropertyWithValue('version', '2.0');
  c.addPropertyWithValue('calscale', 'GREGORIAN');
  if (name) c.addPropertyWithValue('x-wr-calname', name);
  return c;
}

export function bookingIcs(booking: Booking, text: EventText): string {
  const c = calendar(null);
  c.addPropertyWithValue('method', 'PUBLISH');
  c.addSubcomponent(vevent(booking, text, booking.createdAt));
  return c.toString();
}

export function feedIcs(bookings: Booking[], name: string): string {
  const c = calendar(name);
  const week = Date.now() - 7 * 86_400_000;
  for (const b of bookings) {
    if (b.status === 'cancelled' && Date.parse(b.cancelledAt ?? b.createdAt) < week) continue;
    const who = b.callerName ?? b.caller;
    c.addSubcomponent(vevent(b, { summary: `${b.serviceId} — ${who}`, description: `${who}, ${b.caller}`, url: '' }, b.createdAt));
  }
  return c.toString();
}
