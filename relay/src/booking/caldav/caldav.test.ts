import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import ICAL from 'ical.js';
import type { Booking } from '@ringback/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../http/free-port.js';
import { haveRadicale, startRadicale, type Radicale } from '../../testing/radicale.js';
import { CalendarUnavailableError, SlotTakenError, type CalendarEvent } from '../calendar-port.js';
import { caldavCalendar, type CaldavConfig } from './caldav-calendar.js';

// A real CalDAV server: Debian's Radicale with a checked password, events written by "another client" as raw PUTs.
if (!haveRadicale) console.log('skipped: no radicale (apt-get install radicale)');

const CHICAGO = 'America/Chicago';
const ms = (iso: string) => Date.parse(iso);
const iso = (r: { start: number; end: number }[]) => r.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]);
const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//other client//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];

let rad: Radicale;
let calendarUrl: string;
let config: CaldavConfig;
let env: Record<string, string>;

const put = (url: string, ics: string) => rad.putEvent(url, url, ics);

function booking(id: string, start: string, minutes: number): CalendarEvent {
  const b: Booking = {
    id,
    threadId: 'th-1',
    locationId: 'main',
    serviceId: 'cleaning',
    start,
    end: new Date(ms(start) + minutes * 60_000).toISOString(),
    caller: '+15125551077',
    callerName: 'Dana Reyes',
    answers: { patient: 'new', zip: '78701' },
    by: 'assistant',
    staffId: null,
    createdAt: '2026-03-01T12:00:00.000Z',
    status: 'booked',
    cancelledAt: null,
    calendar: { type: 'built-in' },
  };
  return {
    booking: b,
    summary: 'Cleaning — Dana Reyes',
    description: 'Dana Reyes\n+15125551077\nNew or existing patient: New\nZIP: 78701\nThread: https://relay.example/t/th-1',
    url: 'https://relay.example/t/th-1',
  };
}

describe.skipIf(!haveRadicale)('CalDAV calendar against a real Radicale', () => {
  beforeAll(async () => {
    rad = await startRadicale();
    calendarUrl = await rad.makeCalendar('practice', 'Practice');
    config = { type: 'caldav', url: calendarUrl, username: rad.username, passwordEnv: 'CALDAV_PASSWORD' };
    env = { CALDAV_PASSWORD: rad.password };

    // Written by someone else's calendar app. US clocks go forward on 2026-03-08 (Chicago UTC-6 → UTC-5).
    const events: [string, string][] = [
      ['plain.ics', cal(...vevent('plain', 'DTSTART:20260310T150000Z', 'DTEND:20260310T160000Z', 'SUMMARY:Dentist conference call'))],
      ['weekly.ics', cal(...vevent('weekly', 'DTSTART;TZID=America/Chicago:20260223T090000', 'DTEND;TZID=America/Chicago:20260223T100000',
        'RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=America/Chicago:20260309T090000', 'SUMMARY:Staff meeting'))],
      ['transparent.ics', cal(...vevent('transparent', 'DTSTART:20260311T150000Z', 'DTEND:20260311T160000Z', 'TRANSP:TRANSPARENT', 'SUMMARY:Reminder'))],
      ['cancelled.ics', cal(...vevent('cancelled', 'DTSTART:20260312T150000Z', 'DTEND:20260312T160000Z', 'STATUS:CANCELLED', 'SUMMARY:Called off'))],
      ['all-day.ics', cal(...vevent('all-day', 'DTSTART;VALUE=DATE:20260313', 'DTEND;VALUE=DATE:20260314', 'SUMMARY:Closed for training'))],
    ];
    for (const [name, ics] of events) expect(await put(calendarUrl + name, ics)).toBe(201);
  }, 30_000);

  afterAll(async () => {
    await rad?.stop();
  });

  it('reads busy time exactly from events another client wrote: series, EXDATE, DST, free, cancelled and all-day events', async () => {
    const port = caldavCalendar(config, { timeZone: CHICAGO, env });
    const busy = await port.busy(ms('2026-03-01T00:00:00Z'), ms('2026-03-17T00:00:00Z'));
    expect(iso(busy)).toEqual([
      ['2026-03-02T15:00:00.000Z', '2026-03-02T16:00:00.000Z'], // Monday 9:00 CST
      // 2026-03-09 is excluded (EXDATE)
      ['2026-03-10T15:00:00.000Z', '2026-03-10T16:00:00.000Z'], // the plain event
      // 03-11 transparent and 03-12 cancelled block nothing
      ['2026-03-13T05:00:00.000Z', '2026-03-14T05:00:00.000Z'], // the all-day event: the whole Chicago day
      ['2026-03-16T14:00:00.000Z', '2026-03-16T15:00:00.000Z'], // Monday 9:00 CDT
    ]);
    // A window inside the evening of the all-day event's local day, after UTC midnight, still sees it.
    expect(iso(await port.busy(ms('2026-03-14T02:00:00Z'), ms('2026-03-14T08:00:00Z')))).toEqual([
      ['2026-03-14T02:00:00.000Z', '2026-03-14T05:00:00.000Z'],
    ]);
  });

  it('books an event that reads back with the caller, the answers and the thread link, and refuses a taken slot', async () => {
    const port = caldavCalendar(config, { timeZone: CHICAGO, env });
    const event = booking('bk-readback', '2026-03-18T15:00:00.000Z', 45);
    const where = await port.book(event);
    expect(where).toMatchObject({ type: 'caldav', href: `${calendarUrl}bk-readback.ics` });
    if (where.type !== 'caldav') throw new Error('unreachable');
    expect(where.etag).toBeTruthy();

    const res = await fetch(where.href, { headers: { authorization: rad.authorization } });
    expect(res.status).toBe(200);
    const vevent = new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('uid')).toBe('bk-readback');
    expect(vevent.getFirstPropertyValue('summary')).toBe('Cleaning — Dana Reyes');
    expect(vevent.getFirstPropertyValue('description')).toBe(event.description);
    expect(vevent.getFirstPropertyValue('url')).toBe('https://relay.example/t/th-1');
    expect(vevent.getFirstProperty('dtstart')!.toICALString()).toBe('DTSTART:20260318T150000Z');
    expect(vevent.getFirstProperty('dtend')!.toICALString()).toBe('DTEND:20260318T154500Z');

    expect(iso(await port.busy(ms('2026-03-18T00:00:00Z'), ms('2026-03-19T00:00:00Z')))).toEqual([
      ['2026-03-18T15:00:00.000Z', '2026-03-18T15:45:00.000Z'],
    ]);
    // Overlapping the booking, and overlapping another client's event: both re-checked against the server.
    await expect(port.book(booking('bk-overlap', '2026-03-18T15:30:00.000Z', 30))).rejects.toBeInstanceOf(SlotTakenError);
    await expect(port.book(booking('bk-meeting', '2026-03-16T14:30:00.000Z', 30))).rejects.toBeInstanceOf(SlotTakenError);
    // The same booking written twice: create-only (If-None-Match) refuses the second.
    const dup = caldavCalendar(config, { timeZone: CHICAGO, env });
    await expect(dup.book(booking('bk-readback', '2026-03-25T15:00:00.000Z', 30))).rejects.toBeInstanceOf(SlotTakenError);
  });

  it('keeps the buffer after appointments when re-checking', async () => {
    const port = caldavCalendar(config, { timeZone: CHICAGO, env, bufferMinutes: 15 });
    // The plain event ends 16:00Z; with a 15-minute buffer 16:10 is taken and 16:15 is free.
    await expect(port.book(booking('bk-buffer-1', '2026-03-10T16:10:00.000Z', 30))).rejects.toBeInstanceOf(SlotTakenError);
    await expect(port.book(booking('bk-buffer-2', '2026-03-10T16:15:00.000Z', 30))).resolves.toMatchObject({ type: 'caldav' });
  });

  it('two callers racing for one slot: one booking, one SlotTakenError', async () => {
    const a = caldavCalendar(config, { timeZone: CHICAGO, env });
    const b = caldavCalendar(config, { timeZone: CHICAGO, env });
    const results = await Promise.allSettled([
      a.book(booking('bk-race-a', '2026-03-19T16:00:00.000Z', 30)),
      b.book(booking('bk-race-b', '2026-03-19T16:00:00.000Z', 30)),
      a.book(booking('bk-race-c', '2026-03-19T16:15:00.000Z', 30)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(SlotTakenError);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(SlotTakenError);
    const gone = await fetch(`${calendarUrl}bk-race-b.ics`, { headers: { authorization: rad.authorization } });
    expect(gone.status).toBe(404);
  });

  it('an event another client writes into the slot while the booking is written: the booking steps back', async () => {
    // A pass-through to Radicale that lets the other client write first when the booking's PUT arrives.
    const proxy = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (req.method === 'PUT' && req.url!.endsWith('/bk-sneaky.ics')) {
          await put(`${calendarUrl}walk-in.ics`, cal(...vevent('walk-in', 'DTSTART:20260323T200000Z', 'DTEND:20260323T210000Z', 'SUMMARY:Walk-in')));
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
        const up = await fetch(rad.url + req.url, { method: req.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
        const body = Buffer.from(await up.arrayBuffer());
        const out: Record<string, string> = {};
        for (const k of ['content-type', 'etag']) if (up.headers.get(k)) out[k] = up.headers.get(k)!;
        res.writeHead(up.status, out).end(body);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const via = `http://127.0.0.1:${(proxy.address() as { port: number }).port}${new URL(calendarUrl).pathname}`;
      const port = caldavCalendar({ ...config, url: via }, { timeZone: CHICAGO, env });
      await expect(port.book(booking('bk-sneaky', '2026-03-23T20:30:00.000Z', 30))).rejects.toBeInstanceOf(SlotTakenError);
      expect((await fetch(`${calendarUrl}bk-sneaky.ics`, { headers: { authorization: rad.authorization } })).status).toBe(404);
      expect(iso(await port.busy(ms('2026-03-23T19:00:00Z'), ms('2026-03-23T22:00:00Z')))).toEqual([
        ['2026-03-23T20:00:00.000Z', '2026-03-23T21:00:00.000Z'],
      ]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('cancel removes the event, also after another client edited it, and a second cancel is fine', async () => {
    const port = caldavCalendar(config, { timeZone: CHICAGO, env });
    const day = [ms('2026-03-20T00:00:00Z'), ms('2026-03-21T00:00:00Z')] as const;
    const where = await port.book(booking('bk-cancel', '2026-03-20T15:00:00.000Z', 30));
    expect(await port.busy(...day)).toHaveLength(1);
    await port.cancel(where);
    expect(await port.busy(...day)).toEqual([]);
    await port.cancel(where);

    const edited = await port.book(booking('bk-edited', '2026-03-20T17:00:00.000Z', 30));
    if (edited.type !== 'caldav') throw new Error('unreachable');
    // Staff drag it half an hour later in their calendar app: the etag the relay kept is stale now.
    expect(await put(edited.href, cal(...vevent('bk-edited', 'DTSTART:20260320T173000Z', 'DTEND:20260320T180000Z', 'SUMMARY:moved')))).toBeLessThan(300);
    const now = await fetch(edited.href, { method: 'HEAD', headers: { authorization: rad.authorization } });
    expect(now.headers.get('etag')).not.toBe(edited.etag);
    const stale = await fetch(edited.href, { method: 'DELETE', headers: { authorization: rad.authorization, 'if-match': edited.etag! } });
    expect(stale.status).toBe(412);
    await port.cancel(edited);
    expect(await port.busy(...day)).toEqual([]);
  });

  it('a wrong password is CalendarUnavailableError naming 401 and the variable, never the password', async () => {
    const wrong = 'hunter2-wrong-secret';
    const port = caldavCalendar(config, { timeZone: CHICAGO, env: { CALDAV_PASSWORD: wrong } });
    const err = await port.busy(ms('2026-03-01T00:00:00Z'), ms('2026-03-02T00:00:00Z')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalendarUnavailableError);
    expect((err as Error).message).toContain('401');
    expect((err as Error).message).toContain('CALDAV_PASSWORD');
    expect((err as Error).message).not.toContain(wrong);
    expect(JSON.stringify(err)).not.toContain(wrong);
    const booked = await port.book(booking('bk-401', '2026-03-21T15:00:00.000Z', 30)).catch((e: unknown) => e);
    expect(booked).toBeInstanceOf(CalendarUnavailableError);
    expect((booked as Error).message).not.toContain(wrong);

    const unset = caldavCalendar(config, { timeZone: CHICAGO, env: {} });
    await expect(unset.busy(ms('2026-03-01T00:00:00Z'), ms('2026-03-02T00:00:00Z'))).rejects.toThrow(/CALDAV_PASSWORD is not set/);
  });

  it('a wrong calendar URL is an error, not a free day', async () => {
    const port = caldavCalendar({ ...config, url: `${rad.home}no-such-calendar/` }, { timeZone: CHICAGO, env });
    await expect(port.busy(ms('2026-03-01T00:00:00Z'), ms('2026-03-02T00:00:00Z'))).rejects.toThrow(/404.*check the calendar URL/);
  });

  it('a server that accepts the connection and never answers fails within the timeout', async () => {
    const silent: Server = createServer(() => {});
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    try {
      const cal = caldavCalendar({ ...config, url: `http://127.0.0.1:${port}/dana/practice/` }, { timeZone: CHICAGO, env, timeoutMs: 300 });
      const t0 = Date.now();
      const err = await cal.busy(ms('2026-03-01T00:00:00Z'), ms('2026-03-02T00:00:00Z')).catch((e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(err).toBeInstanceOf(CalendarUnavailableError);
      expect((err as Error).message).toMatch(/did not answer within 0.3 s/);
    } finally {
      silent.close();
    }
  });

  it('a stopped server is CalendarUnavailableError at once', async () => {
    const port = caldavCalendar(config, { timeZone: CHICAGO, env });
    await rad.kill();
    const t0 = Date.now();
    const err = await port.busy(ms('2026-03-01T00:00:00Z'), ms('2026-03-02T00:00:00Z')).catch((e: unknown) => e);
    const booked = await port.book(booking('bk-down', '2026-03-22T15:00:00.000Z', 30)).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(CalendarUnavailableError);
    expect((err as Error).message).toMatch(/could not reach the CalDAV server 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(booked).toBeInstanceOf(CalendarUnavailableError);
  });
});
