import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli.js';
import { haveRadicale, startRadicale, type Radicale } from '../../testing/radicale.js';
import { CalendarUnavailableError } from '../calendar-port.js';
import { findCalendars } from './discover.js';
import { siteOf } from './caldav-fetch.js';

if (!haveRadicale) console.log('skipped: no radicale (apt-get install radicale)');

const mkcalendar = (name: string, comp: string) =>
  `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>` +
  `<d:displayname>${name}</d:displayname><c:supported-calendar-component-set><c:comp name="${comp}"/></c:supported-calendar-component-set>` +
  `</d:prop></d:set></c:mkcalendar>`;

describe.skipIf(!haveRadicale)('finding an account\'s calendars (ringback calendars)', () => {
  let rad: Radicale;
  beforeAll(async () => {
    rad = await startRadicale();
    for (const [path, name, comp] of [['practice', 'Front desk', 'VEVENT'], ['todo', 'Tasks', 'VTODO']] as const) {
      const res = await fetch(`${rad.home}${path}/`, { method: 'MKCALENDAR', headers: { authorization: rad.authorization, 'content-type': 'application/xml' }, body: mkcalendar(name, comp) });
      expect(res.status).toBe(201);
    }
  }, 30_000);
  afterAll(async () => {
    await rad?.stop();
  });

  it('lists the calendars from the server address, with the URL to configure', async () => {
    const found = await findCalendars({ url: `${rad.url}/`, username: rad.username, passwordEnv: 'CALDAV_PASSWORD', env: { CALDAV_PASSWORD: rad.password } });
    expect(found.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'Front desk', url: `${rad.home}practice/`, events: true },
      { name: 'Tasks', url: `${rad.home}todo/`, events: false },
    ]);
  });

  it('ringback calendars prints each calendar and its URL, the password read from the named variable', async () => {
    process.env.TEST_DAV_PASSWORD = rad.password;
    try {
      const lines: string[] = [];
      await run(['calendars', '--url', `${rad.url}/`, '--username', rad.username, '--password-env', 'TEST_DAV_PASSWORD'], (l) => lines.push(l));
      expect(lines.sort()).toEqual([`Front desk\t${rad.home}practice/`, `Tasks\t${rad.home}todo/\t(no events: tasks only)`]);
    } finally {
      delete process.env.TEST_DAV_PASSWORD;
    }
    await expect(run(['calendars', '--url', `${rad.url}/`], () => {})).rejects.toThrow(/--username are required/);
  });

  it('a wrong password names 401 and the variable', async () => {
    const err = await findCalendars({ url: `${rad.url}/`, username: rad.username, passwordEnv: 'CALDAV_PASSWORD', env: { CALDAV_PASSWORD: 'nope-secret' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalendarUnavailableError);
    expect((err as Error).message).toBe(`CalDAV server said 401: check the username (${rad.username}) and CALDAV_PASSWORD`);
  });
});

describe('credentials follow a server only within its site', () => {
  it('groups hosts by site', () => {
    expect(siteOf('p42-caldav.icloud.com')).toBe('icloud.com');
    expect(siteOf('caldav.icloud.com')).toBe('icloud.com');
    expect(siteOf('dav.example.co.uk')).toBe('example.co.uk');
    expect(siteOf('evil.co.uk')).toBe('evil.co.uk');
    expect(siteOf('127.0.0.1')).toBe('127.0.0.1');
  });
});
