import { businessConfigSchema } from '@ringback/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBusiness } from '../../testing/harness.js';
import { haveRadicale, startRadicale, type Radicale } from '../../testing/radicale.js';
import { checkCalendars } from './check-calendars.js';

if (!haveRadicale) console.log('skipped: no radicale (apt-get install radicale)');

describe.skipIf(!haveRadicale)('config check --online: CalDAV calendars', () => {
  let rad: Radicale;
  beforeAll(async () => {
    rad = await startRadicale();
    const res = await fetch(`${rad.home}practice/`, { method: 'MKCALENDAR', headers: { authorization: rad.authorization } });
    expect(res.status).toBe(201);
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

  it('says nothing for locations on the built-in schedule', async () => {
    expect(await checkCalendars(businessConfigSchema.parse(testBusiness()), {})).toEqual({ ok: true, lines: [] });
  });
});
