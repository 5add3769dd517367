import { businessConfigSchema } from '@ringback/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBusiness } from '../../testing/harness.js';
import { haveRadicale, startRadicale, type Radicale } from '../../testing/radicale.js';
import { calendarWarnings, checkCalendars } from './check-calendars.js';

if (!haveRadicale) console.log('skipped: no radicale (apt-get install radicale)');

describe.skipIf(!haveRadicale)('config check --online: CalDAV calendars', () => {
  let rad: Radicale;
  beforeAll(async () => {
    rad = await startRadicale();
    await rad.makeCalendar('practice');
  }, 30_000);
  afterAll(async () => {
    await rad?.stop();
  });

  const business = (url: string) =>
    businessConfigSchema.parse(
      testBusiness((c) => {
        c.booking = { services: [{ id: 'cleaning', label: 'Cleaning', minutes: 60 }] };
        c.locations[0]!.booking = {
          assistant: 'always',
          calendar: { type: 'caldav', url, username: 'dana', passwordEnv: 'CALDAV_PASSWORD' },
          schedule: { hours: { mon: [['09:00', '17:00']] } },
        };
      }),
    );

  it('names the server that answered, or what to fix', async () => {
    const b = business(`${rad.home}practice/`);
    const id = b.locations[0]!.id;
    const host = new URL(rad.url).host;
    expect(await checkCalendars(b, { CALDAV_PASSWORD: rad.password })).toEqual({
      ok: true,
      lines: [`calendar (${id}): ${host} answered as dana; 0 busy stretches in the next 7 days`],
    });
    const wrong = await checkCalendars(b, { CALDAV_PASSWORD: 'not-it' });
    expect(wrong).toEqual({ ok: false, lines: [`calendar (${id}): CalDAV server said 401: check the username (dana) and CALDAV_PASSWORD`] });
    const missing = await checkCalendars(business(`${rad.home}nope/`), { CALDAV_PASSWORD: rad.password });
    expect(missing.ok).toBe(false);
    expect(missing.lines[0]).toMatch(/said 404 to reading the calendar: check the calendar URL/);
  });

  it('warns offline about plain http, credentials in the URL and an unset password variable', () => {
    expect(calendarWarnings(business('https://dav.example.com/cal/'), { CALDAV_PASSWORD: 'x' })).toEqual([]);
    expect(calendarWarnings(business(`${rad.home}practice/`), { CALDAV_PASSWORD: 'x' })).toEqual([]); // loopback http is fine
    expect(calendarWarnings(business('http://dana:pw@dav.example.com/cal/'), {})).toEqual([
      'locations.0.booking.calendar.url: plain http to dav.example.com: the CalDAV password would cross the network unencrypted; use https',
      'locations.0.booking.calendar.url: holds credentials; put the user in "username" and the password in CALDAV_PASSWORD',
      'locations.0.booking.calendar: CALDAV_PASSWORD is not set, so the calendar cannot be read and the assistant hands every booking to staff',
    ]);
  });

  it('says nothing for locations on the built-in schedule', async () => {
    expect(await checkCalendars(businessConfigSchema.parse(testBusiness()), {})).toEqual({ ok: true, lines: [] });
    expect(calendarWarnings(businessConfigSchema.parse(testBusiness()), {})).toEqual([]);
  });
});
