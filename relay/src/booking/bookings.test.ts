import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeCalendar } from 'tsdav';
import { afterEach, describe, expect, it } from 'vitest';
import { own } from '../store/own.js';
import { CALLER, sleep, waitFor } from '../testing/harness.js';
import { haveRadicale, startRadicale, type Radicale } from '../testing/radicale.js';
import { mountTmpfs } from '../testing/tmpfs.js';
import { startBookingRelay, type BookingRelay } from './assistant-harness.js';

/** Wed 2 Dec 2026, 23:00 in Chicago. */
const WED_NIGHT = '2026-12-03T05:00:00Z';
const OTHER = '+15125551078';

let relay: BookingRelay | null = null;
let rad: Radicale | null = null;
afterEach(async () => {
  await relay?.stop();
  relay = null;
  await rad?.stop();
  rad = null;
});

/** Both callers are offered tomorrow's first times for a cleaning. */
async function twoCallersOffered(r: BookingRelay): Promise<void> {
  for (const who of [CALLER, OTHER]) {
    await r.say('cleaning', undefined, who);
    expect(await r.say('new', undefined, who)).toMatch(/^Cleaning: 1\) Tomorrow, 8:00 AM/);
  }
}

describe('booking races', () => {
  it('two callers answering "1" at once: one booking, and a fresh offer for the other', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await twoCallersOffered(relay);
    const answers = await Promise.all([relay.say('1', /booked|taken/), relay.say('1', /booked|taken/, OTHER)]);
    expect(answers.filter((a) => a.startsWith("You're booked")).length).toBe(1);
    const lost = answers.find((a) => a.startsWith('Sorry, that time was just taken.'))!;
    expect(lost).toMatch(/Cleaning: 1\) Tomorrow, 9:00 AM/);
    const bookings = Object.values(relay.store.data.bookings);
    expect(bookings).toHaveLength(1);
    expect(bookings[0]!.start).toBe('2026-12-03T14:00:00.000Z');
    // The one who lost can take a fresh offer.
    const loser = answers[0]!.startsWith('Sorry') ? CALLER : OTHER;
    expect(await relay.say('1', /booked/, loser)).toMatch(/^You're booked: Cleaning, Thu Dec 3, 9:00 AM/);
  });

  it('the service itself: concurrent books of one slot make one booking', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await twoCallersOffered(relay);
    const slot = relay.thread().assistant!.offered[1]!;
    const results = await Promise.all([relay.bookings.book(relay.thread().id, slot, 'staff', { id: 's1', name: 'Riley' }), relay.bookings.book(relay.thread(OTHER).id, slot, 'self')]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    const lost = results.find((r) => !r.ok)!;
    expect(lost).toMatchObject({ reason: 'taken' });
    expect(lost.ok === false && lost.reason === 'taken' && lost.offers.every((o) => o.start !== slot.start)).toBe(true);
    expect(Object.values(relay.store.data.bookings).filter((b) => b.status === 'booked')).toHaveLength(1);
  });
});

describe('after the booking', () => {
  it('moves and cancels by text; the thread follows', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await relay.say('a cleaning tomorrow morning');
    await relay.say('new');
    await relay.say('1', /booked/);
    const id = Object.values(relay.store.data.bookings)[0]!.id;

    expect(await relay.say('can we move it to Friday?')).toMatch(/^Sure\. Cleaning: 1\) Fri Dec 4, 8:00 AM 2\) Fri Dec 4, 9:00 AM/);
    expect(await relay.say('2')).toMatch(/^Done, your cleaning is now Fri Dec 4, 9:00 AM\./);
    expect(Object.values(relay.store.data.bookings)).toHaveLength(1);
    expect(own(relay.store.data.bookings, id)).toMatchObject({ start: '2026-12-04T15:00:00.000Z', status: 'booked' });
    expect(relay.thread()).toMatchObject({ status: 'resolved', resolution: { outcome: 'booked', value: 150 }, booking: { id, start: '2026-12-04T15:00:00.000Z' } });

    expect(await relay.say('please cancel my appointment')).toMatch(/^Your cleaning on Fri Dec 4, 9:00 AM is cancelled\./);
    expect(own(relay.store.data.bookings, id)).toMatchObject({ status: 'cancelled' });
    expect(relay.thread()).toMatchObject({ status: 'open', booking: null, assistant: { bookingId: null, step: 'time' } });
    const actions = relay.store.data.audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['booked', 'booking-move', 'booking-cancel']));
    // The freed time is offered again.
    expect(await relay.say('friday 9am')).toMatch(/1\) Fri Dec 4, 9:00 AM/);
  });

  it('never sends more assistant texts than the cap without a reply, and says why', async () => {
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.booking!.maxTextsWithoutReply = 2;
    });
    await relay.say('cleaning');
    await relay.say('new');
    const t = relay.thread();
    const [first, second] = t.assistant!.offered;
    // The caller books on the page (a second text: the confirmation), then moves it there (a third: held back).
    const booked = await relay.bookings.book(t.id, first!, 'self');
    expect(booked.ok).toBe(true);
    await waitFor(async () => (await relay!.textsTo()).some((x) => x.startsWith("You're booked")), 'the confirmation');
    const before = (await relay.textsTo()).length;
    expect((await relay.bookings.move(booked.ok ? booked.booking.id : '', second!, 'self')).ok).toBe(true);
    await sleep(150);
    expect((await relay.textsTo()).length).toBe(before);
    expect(relay.thread().assistant).toMatchObject({ step: 'booked', textsSinceReply: 2, handedOff: { reason: 'text-cap' } });
    // A reply from the caller lifts the wait.
    relay.clock.at += 60_000;
    await relay.sms('thanks!');
    await relay.assistant.idle();
    expect(relay.thread().assistant).toMatchObject({ textsSinceReply: 0, handedOff: null });
  });
});

describe('a booking on a thread staff took over', () => {
  it('books and confirms, but the assistant stays out of the conversation', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    const riley = await relay.staff('Riley');
    await relay.say('cleaning');
    await relay.say('new');
    const t = relay.thread();
    expect((await relay.api(riley, 'POST', `/api/threads/${t.id}/claim`)).status).toBe(200);
    const r = await relay.bookings.book(t.id, t.assistant!.offered[0]!, 'self');
    expect(r.ok).toBe(true);
    expect(relay.thread()).toMatchObject({ status: 'resolved', booking: { by: 'self' }, resolution: { staffName: 'Self-booking page' }, assistant: { step: 'handed-off', handedOff: { reason: 'claimed' } } });
    await waitFor(async () => (await relay!.textsTo()).some((x) => x.startsWith("You're booked")), 'the confirmation');
    const before = (await relay.textsTo()).length;
    relay.clock.at += 60_000;
    await relay.sms('can we move it to friday?');
    await relay.assistant.idle();
    await sleep(100);
    expect((await relay.textsTo()).length).toBe(before);
  });
});

describe('calendars', () => {
  it('a CalDAV calendar that cannot be reached hands the thread to staff', async () => {
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.locations[0]!.booking!.calendar = { type: 'caldav', url: 'http://127.0.0.1:9/dav/practice/', username: 'desk', passwordEnv: 'RINGBACK_TEST_NO_SUCH_PASSWORD' };
    });
    await relay.say('cleaning');
    expect(await relay.say('new')).toMatch(/passing you to our team/);
    expect(relay.thread().assistant).toMatchObject({ step: 'handed-off', handedOff: { reason: 'calendar-down' } });
  });

  it.skipIf(!haveRadicale)('books into a real CalDAV server around events written by others', async () => {
    rad = await startRadicale();
    const url = `${rad.home}practice/`;
    await makeCalendar({ url, props: { 'd:displayname': 'Practice' }, headers: { authorization: rad.authorization } });
    // Someone's own calendar app blocks tomorrow 8:00–9:00 CST.
    const put = await fetch(`${url}staff-meeting.ics`, {
      method: 'PUT',
      headers: { authorization: rad.authorization, 'content-type': 'text/calendar' },
      body: ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:staff-meeting', 'DTSTAMP:20261201T000000Z', 'DTSTART:20261203T140000Z', 'DTEND:20261203T150000Z', 'SUMMARY:Staff meeting', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
    });
    expect(put.status).toBe(201);
    process.env.RINGBACK_TEST_CALDAV_PASSWORD = rad.password;
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.locations[0]!.booking!.calendar = { type: 'caldav', url, username: rad!.username, passwordEnv: 'RINGBACK_TEST_CALDAV_PASSWORD' };
    });
    await relay.say('can I come in tomorrow morning for a cleaning?');
    expect(await relay.say('new')).toMatch(/^Cleaning: 1\) Tomorrow, 9:00 AM 2\) Tomorrow, 10:00 AM 3\) Tomorrow, 11:00 AM/);
    await relay.say('1', /booked/);
    const booking = Object.values(relay.store.data.bookings)[0]!;
    expect(booking.calendar.type).toBe('caldav');
    const href = booking.calendar.type === 'caldav' ? booking.calendar.href : '';
    const event = await fetch(new URL(href, url), { headers: { authorization: rad.authorization } });
    expect(event.status).toBe(200);
    const ics = (await event.text()).replace(/\r\n[ \t]/g, '');
    expect(ics).toMatch(/DTSTART:20261203T150000Z/);
    expect(ics).toContain('New patient');
    expect(ics).toContain(`/api/threads/${relay.thread().id}`);
    delete process.env.RINGBACK_TEST_CALDAV_PASSWORD;
  });
});

/** The `.ics` objects in a CalDAV collection. */
async function events(r: Radicale, url: string): Promise<string[]> {
  const res = await fetch(url, { method: 'PROPFIND', headers: { authorization: r.authorization, depth: '1' } });
  return [...(await res.text()).matchAll(/<[^>]*href>([^<]+\.ics)</g)].map((m) => m[1]!);
}

describe('a booking that cannot be saved', () => {
  it.skipIf(!haveRadicale)('disk full: 503, and the event written to the CalDAV calendar is taken out again; a cancel that cannot be saved puts it back', async (ctx) => {
    const disk = await mountTmpfs('booking-full', '2m');
    if (!disk) return ctx.skip();
    const mnt = disk.dir;
    try {
      rad = await startRadicale();
      const url = `${rad.home}practice/`;
      await makeCalendar({ url, props: { 'd:displayname': 'Practice' }, headers: { authorization: rad.authorization } });
      process.env.RINGBACK_TEST_CALDAV_PASSWORD = rad.password;
      relay = await startBookingRelay(
        WED_NIGHT,
        (c) => {
          c.locations[0]!.booking!.assistant = 'never';
          c.locations[0]!.booking!.calendar = { type: 'caldav', url, username: rad!.username, passwordEnv: 'RINGBACK_TEST_CALDAV_PASSWORD' };
        },
        { dir: mnt },
      );
      // Every line this person writes is longer than a page: it can never slip into the journal's last page.
      const riley = await relay.staff(`Riley ${'r'.repeat(5000)}`);
      await relay.sms('hi, please call me', CALLER);
      await waitFor(() => Object.keys(relay!.store.data.threads).length === 1, 'the thread');
      const id = relay.thread().id;
      const start = '2026-12-04T21:00:00.000Z';

      const filler = path.join(mnt, 'filler');
      await writeFile(filler, Buffer.alloc(4 * 1024 * 1024)).catch(() => {});
      const failed = await relay.api(riley, 'POST', `/api/threads/${id}/booking`, { start, serviceId: 'consultation' });
      expect(failed.status).toBe(503);
      expect(Object.keys(relay.store.data.bookings)).toHaveLength(0);
      expect(relay.thread().status).toBe('open');
      expect(relay.thread().booking ?? null).toBeNull();
      expect(await events(rad, url)).toEqual([]);

      await rm(filler);
      const booked = await relay.api(riley, 'POST', `/api/threads/${id}/booking`, { start, serviceId: 'consultation' });
      expect(booked.status).toBe(201);
      expect(await events(rad, url)).toHaveLength(1);

      await writeFile(filler, Buffer.alloc(4 * 1024 * 1024)).catch(() => {});
      const cancel = await relay.api(riley, 'POST', `/api/bookings/${booked.body.booking.id}/cancel`, {});
      expect(cancel.status).toBe(503);
      expect(relay.store.data.bookings[booked.body.booking.id]!.status).toBe('booked');
      expect(await events(rad, url)).toHaveLength(1);
      await rm(filler);
    } finally {
      delete process.env.RINGBACK_TEST_CALDAV_PASSWORD;
      await relay?.stop();
      relay = null;
      await disk.unmount();
    }
  });
});

describe('staff booking API', () => {
  it('offers, books, refuses a taken time with fresh offers, moves and cancels', async () => {
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.locations[0]!.booking!.assistant = 'never';
    });
    const riley = await relay.staff('Riley');
    await relay.sms('hi, please call me', CALLER);
    await relay.sms('hi, please call me too', OTHER);
    await waitFor(() => Object.keys(relay!.store.data.threads).length === 2, 'both threads');
    const [a, b] = [relay.thread().id, relay.thread(OTHER).id];

    const offers = await relay.api(riley, 'GET', `/api/threads/${a}/offers?service=consultation&wish=${encodeURIComponent('friday after 3')}`);
    expect(offers.status).toBe(200);
    expect(offers.body.offers[0]).toEqual({ start: '2026-12-04T21:00:00.000Z', end: '2026-12-04T21:30:00.000Z' });

    const booked = await relay.api(riley, 'POST', `/api/threads/${a}/booking`, { start: '2026-12-04T21:00:00.000Z', serviceId: 'consultation' });
    expect(booked.status).toBe(201);
    expect(booked.body.booking).toMatchObject({ by: 'staff', serviceId: 'consultation', end: '2026-12-04T21:30:00.000Z' });
    expect(relay.thread()).toMatchObject({ status: 'resolved', resolution: { outcome: 'booked', staffName: 'Riley' }, booking: { by: 'staff' } });

    const taken = await relay.api(riley, 'POST', `/api/threads/${b}/booking`, { start: '2026-12-04T21:00:00.000Z', serviceId: 'consultation' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('taken');
    expect(taken.body.offers.length).toBeGreaterThan(0);
    expect(taken.body.offers.some((o: { start: string }) => o.start === '2026-12-04T21:00:00.000Z')).toBe(false);
    // Times nobody can book (long past, far future, not on the grid) are "taken" with real offers, never a 5xx.
    for (const start of ['0001-01-01T00:00:00.000Z', '9999-12-31T00:00:00.000Z', '2026-12-04T21:07:00.000Z']) {
      const absurd = await relay.api(riley, 'POST', `/api/threads/${b}/booking`, { start, serviceId: 'consultation' });
      expect(absurd.status, start).toBe(409);
      expect(absurd.body.offers.length, start).toBeGreaterThan(0);
    }

    const id = booked.body.booking.id as string;
    const moved = await relay.api(riley, 'POST', `/api/bookings/${id}/move`, { start: '2026-12-04T21:30:00.000Z' });
    expect(moved.status).toBe(200);
    expect(moved.body.booking.start).toBe('2026-12-04T21:30:00.000Z');
    const cancelled = await relay.api(riley, 'POST', `/api/bookings/${id}/cancel`, {});
    expect(cancelled.body.booking.status).toBe('cancelled');
    expect(relay.thread()).toMatchObject({ status: 'open', booking: null });
    // Staff tell the caller themselves: no automatic texts about a staff booking.
    await sleep(100);
    expect((await relay.textsTo()).some((t) => /booked|cancelled|now Fri/.test(t))).toBe(false);
  });
});
