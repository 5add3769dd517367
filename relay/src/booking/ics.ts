import ICAL from 'ical.js';
import type { Booking } from '@ringback/shared';

/** What an event says about a booking: the calendar line, the details, the link back to the thread. */
export interface IcsText {
  summary: string;
  description: string;
  url: string;
  location?: string;
}

const PRODID = '-//Ringback//Booking//EN';
const DAY = 86_400_000;
/** Cancelled bookings stay in the feed this long as CANCELLED, so subscribed calendars remove them. */
const CANCELLED_KEPT_DAYS = 7;

/** The stable event id: one per booking, the same in the add-to-calendar file and the feed. */
export function bookingUid(booking: Pick<Booking, 'id'>): string {
  return `${booking.id}@ringback`;
}

const utc = (iso: string) => ICAL.Time.fromJSDate(new Date(iso), true);

function calendar(extra: [string, string][]): InstanceType<typeof ICAL.Component> {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  for (const [name, value] of extra) cal.addPropertyWithValue(name, value);
  return cal;
}

/**
 * The calendar as text. ical.js folds after 75 octets of content, so a continued line with its leading space is
 * 76; RFC 5545 asks for 75 at most, which strict clients enforce. The setting is global, so it is set only while
 * this synchronous call runs.
 */
function serialise(cal: InstanceType<typeof ICAL.Component>): string {
  const fold = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return cal.toString() + '\r\n';
  } finally {
    ICAL.foldLength = fold;
  }
}

function event(booking: Booking, text: IcsText): InstanceType<typeof ICAL.Component> {
  const ev = new ICAL.Component('vevent');
  const cancelled = booking.status === 'cancelled';
  ev.addPropertyWithValue('uid', bookingUid(booking));
  // Clients keep the newest version of an event: a cancellation is a later stamp and a higher sequence.
  ev.addPropertyWithValue('dtstamp', utc((cancelled && booking.cancelledAt) || booking.createdAt));
  ev.addPropertyWithValue('sequence', cancelled ? 1 : 0);
  ev.addPropertyWithValue('dtstart', utc(booking.start));
  ev.addPropertyWithValue('dtend', utc(booking.end));
  ev.addPropertyWithValue('summary', text.summary);
  if (text.description) ev.addPropertyWithValue('description', text.description);
  if (text.location) ev.addPropertyWithValue('location', text.location);
  if (text.url) ev.addPropertyWithValue('url', text.url);
  ev.addPropertyWithValue('status', cancelled ? 'CANCELLED' : 'CONFIRMED');
  ev.addPropertyWithValue('transp', cancelled ? 'TRANSPARENT' : 'OPAQUE');
  return ev;
}

/** One booking as an .ics file (the caller's "add to calendar" link): one VEVENT, times in UTC. */
export function bookingIcs(booking: Booking, text: IcsText): string {
  const cal = calendar([['method', 'PUBLISH']]);
  cal.addSubcomponent(event(booking, text));
  return serialise(cal);
}

export interface FeedOptions {
  /** The words for each booking; a plain default names the service and the caller. */
  describe?: (booking: Booking) => IcsText;
  now?: number;
}

function plain(b: Booking): IcsText {
  const answers = Object.entries(b.answers).map(([q, a]) => `${q}: ${a}`);
  return { summary: `${b.serviceId} — ${b.callerName ?? b.caller}`, description: [b.callerName, b.caller, ...answers].filter(Boolean).join('\n'), url: '' };
}

/**
 * A calendar staff subscribe to: every booking, and the ones cancelled in the last week as CANCELLED so a
 * subscribed calendar drops them; older cancellations are left out.
 */
export function feedIcs(bookings: Iterable<Booking>, name: string, o: FeedOptions = {}): string {
  const now = o.now ?? Date.now();
  const describe = o.describe ?? plain;
  const cal = calendar([
    ['method', 'PUBLISH'],
    ['x-wr-calname', name],
    ['x-published-ttl', 'PT15M'],
  ]);
  const kept = [...bookings]
    .filter((b) => b.status === 'booked' || (b.cancelledAt !== null && now - Date.parse(b.cancelledAt) <= CANCELLED_KEPT_DAYS * DAY))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
  for (const b of kept) cal.addSubcomponent(event(b, describe(b)));
  return serialise(cal);
}
