import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { Booking } from '@ringback/shared';
import { bookingIcs, feedIcs } from './ics.js';

function booking(over: Partial<Booking> = {}): Booking {
  return {
    id: 'bk_1',
    threadId: 'th_1',
    locationId: 'main',
    serviceId: 'cleaning',
    start: '2026-12-08T15:00:00.000Z',
    end: '2026-12-08T16:00:00.000Z',
    caller: '+13125550101',
    callerName: 'Dana Reyes',
    answers: { patient: 'new' },
    by: 'assistant',
    staffId: null,
    createdAt: '2026-12-02T18:00:00.000Z',
    status: 'booked',
    cancelledAt: null,
    calendar: { type: 'built-in' },
    ...over,
  };
}

function events(ics: string) {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
}

describe('bookingIcs', () => {
  const text = {
    summary: 'Cleaning — Reyes, Dana; new patient',
    description: 'Dana Reyes, +1 312 555 0101\nPatient: new; ZIP 60614\nback\\slash',
    url: 'https://relay.example/threads/th_1',
    location: 'Smile Dental, 1 Main St; Suite 2',
  };

  it('is one VEVENT that parses back with the booking in UTC', () => {
    const ics = bookingIcs(booking(), text);
    const [ev, more] = events(ics);
    expect(more).toBeUndefined();
    expect(ev!.getFirstPropertyValue('uid')).toBe('bk_1@ringback');
    const start = ev!.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>;
    const end = ev!.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time>;
    expect(start.zone?.tzid).toBe('UTC');
    expect(start.toJSDate().toISOString()).toBe('2026-12-08T15:00:00.000Z');
    expect(end.toJSDate().toISOString()).toBe('2026-12-08T16:00:00.000Z');
    expect(ics).toContain('DTSTART:20261208T150000Z\r\n');
    expect(ev!.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(ev!.getFirstPropertyValue('url')).toBe(text.url);
  });

  it('escapes commas, semicolons, backslashes and newlines, and reads them back unchanged', () => {
    const ics = bookingIcs(booking(), text);
    expect(ics).toContain('SUMMARY:Cleaning — Reyes\\, Dana\\; new patient\r\n');
    expect(ics).toContain('LOCATION:Smile Dental\\, 1 Main St\\; Suite 2\r\n');
    expect(ics.replace(/\r\n /g, '')).toContain('DESCRIPTION:Dana Reyes\\, +1 312 555 0101\\nPatient: new\\; ZIP 60614\\nback\\\\slash\r\n');
    const [ev] = events(ics);
    expect(ev!.getFirstPropertyValue('summary')).toBe(text.summary);
    expect(ev!.getFirstPropertyValue('description')).toBe(text.description);
    expect(ev!.getFirstPropertyValue('location')).toBe(text.location);
  });

  it('uses CRLF line ends and folds long lines', () => {
    const long = 'x'.repeat(300) + ' — ' + 'é'.repeat(100) + '🦷'.repeat(30);
    const ics = bookingIcs(booking(), { ...text, description: long });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(events(ics)[0]!.getFirstPropertyValue('description')).toBe(long);
  });

  it('marks a cancelled booking CANCELLED with a newer stamp and sequence', () => {
    const [ev] = events(bookingIcs(booking({ status: 'cancelled', cancelledAt: '2026-12-03T10:00:00.000Z' }), text));
    expect(ev!.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(ev!.getFirstPropertyValue('sequence')).toBe(1);
    expect((ev!.getFirstPropertyValue('dtstamp') as InstanceType<typeof ICAL.Time>).toJSDate().toISOString()).toBe('2026-12-03T10:00:00.000Z');
  });
});

describe('feedIcs', () => {
  const now = Date.parse('2026-12-10T12:00:00.000Z');
  const list = [
    booking({ id: 'late', start: '2026-12-09T15:00:00.000Z', end: '2026-12-09T15:30:00.000Z' }),
    booking({ id: 'early', start: '2026-12-08T15:00:00.000Z', end: '2026-12-08T16:00:00.000Z' }),
    booking({ id: 'gone-recently', status: 'cancelled', cancelledAt: '2026-12-04T12:00:00.000Z' }),
    booking({ id: 'gone-long-ago', status: 'cancelled', cancelledAt: '2026-12-03T11:59:00.000Z' }),
  ];

  it('holds every booking, recent cancellations as CANCELLED, in time order', () => {
    const ics = feedIcs(list, 'Smile Dental — Main St', { now });
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Smile Dental — Main St');
    const evs = cal.getAllSubcomponents('vevent');
    expect(evs.map((e) => [e.getFirstPropertyValue('uid'), e.getFirstPropertyValue('status')])).toEqual([
      ['early@ringback', 'CONFIRMED'],
      ['gone-recently@ringback', 'CANCELLED'],
      ['late@ringback', 'CONFIRMED'],
    ]);
    expect((evs[2]!.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>).toJSDate().toISOString()).toBe('2026-12-09T15:00:00.000Z');
  });

  it('describes bookings with the given words, or the service and caller', () => {
    const plain = events(feedIcs([list[0]!], 'x', { now }))[0]!;
    expect(plain.getFirstPropertyValue('summary')).toBe('cleaning — Dana Reyes');
    expect(plain.getFirstPropertyValue('description')).toBe('Dana Reyes\n+13125550101\npatient: new');
    const told = events(feedIcs([list[0]!], 'x', { now, describe: (b) => ({ summary: `Cleaning, ${b.caller}`, description: 'a;b', url: 'https://r.example/t' }) }))[0]!;
    expect(told.getFirstPropertyValue('summary')).toBe('Cleaning, +13125550101');
    expect(told.getFirstPropertyValue('url')).toBe('https://r.example/t');
  });

  it('is a valid empty calendar without bookings', () => {
    const cal = new ICAL.Component(ICAL.parse(feedIcs([], 'Empty', { now })));
    expect(cal.name).toBe('vcalendar');
    expect(cal.getAllSubcomponents('vevent')).toEqual([]);
  });
});
