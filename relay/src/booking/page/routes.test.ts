import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER, startTestRelay, waitFor, type TestRelay } from '../../testing/harness.js';
import { own } from '../../store/own.js';
import { bookingBusiness } from './fixture.js';
import { STYLE_HASH } from './style.js';

// Wednesday 2 December 2026, 12:00 in Chicago (CST, UTC−6).
const NOON = new Date('2026-12-02T18:00:00Z');
const OTHER = '+15125550142';
const THIRD = '+15125550143';
const HTML = { accept: 'text/html' };

let relay: TestRelay;
let clock: Date;
let boss: string;
let riley: string;

/** The self-booking link in the text-back a missed call from `from` got. */
async function linkFor(from: string, callerName?: string): Promise<string> {
  await relay.call({ from, answered: false, ...(callerName ? { callerName } : {}) });
  const text = await waitFor(async () => (await relay.sent()).find((m) => m.to === from)?.text, `the text-back to ${from}`);
  const m = /(https?:\/\/\S+\/book\/([A-Za-z0-9_-]{22}))\b/.exec(text);
  if (!m) throw new Error(`no booking link in "${text}"`);
  expect(m[1]!.startsWith(relay.config.publicUrl)).toBe(true);
  return m[2]!;
}
const get = (p: string, headers: Record<string, string> = {}) => fetch(relay.url + p, { headers, redirect: 'manual' });
const postJson = (token: string, body: unknown) =>
  fetch(`${relay.url}/book/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const postForm = (token: string, body: Record<string, string>) =>
  fetch(`${relay.url}/book/${token}`, { method: 'POST', redirect: 'manual', headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
const threadOf = (caller: string) => Object.values(relay.store.data.threads).find((t) => t.caller === caller)!;

beforeAll(async () => {
  clock = NOON;
  relay = await startTestRelay({ business: bookingBusiness(), now: () => clock });
  boss = await relay.staff('Mo', 'manager');
  riley = await relay.staff('Riley');
});
afterAll(async () => relay?.stop());

describe('the self-booking page', () => {
  let token: string;

  it('the text-back links to the thread’s page: the business, a greeting by first name, the services; nothing else of the thread', async () => {
    token = await linkFor(CALLER, 'Dana Reyes');
    const res = await get(`/book/${token}`, HTML);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src '${STYLE_HASH}'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Bright Smile Dental');
    expect(html).toContain('Hi Dana — what would you like to book?');
    expect(html).toContain('href="?service=cleaning"');
    expect(html).toContain('href="?service=consultation"');
    expect(html).not.toContain('href="?service=emergency"');
    expect(html).toContain('Pain or emergency: please call us now');
    for (const secret of ['Reyes', '555-1077', '5551077', threadOf(CALLER).id]) expect(html).not.toContain(secret);
  });

  it('slots as JSON: today after the notice, then the next open days, three at a time', async () => {
    const res = await get(`/book/${token}/slots?service=cleaning`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.timezone).toBe('America/Chicago');
    expect(body.days.map((d: any) => d.date)).toEqual(['2026-12-02', '2026-12-03', '2026-12-04']);
    // 60 minutes' notice from noon, the last hour-long cleaning starts at 16:00.
    expect(body.days[0].slots.map((s: any) => s.time)).toEqual(['1:00 PM', '1:30 PM', '2:00 PM', '2:30 PM', '3:00 PM', '3:30 PM', '4:00 PM']);
    expect(body.days[0].heading).toBe('Today · Wednesday, December 2');
    expect(body.days[1].heading).toBe('Tomorrow · Thursday, December 3');
    expect(body.days[1].slots[0]).toEqual({ start: '2026-12-03T14:00:00.000Z', end: '2026-12-03T15:00:00.000Z', time: '8:00 AM' });
    expect(body.next).toBe('2026-12-05');
    const more = await (await get(`/book/${token}/slots?service=cleaning&from=2026-12-05`)).json();
    expect(more.days.map((d: any) => d.date)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09']);
    expect((await get(`/book/${token}/slots?service=emergency`)).status).toBe(400);
  });

  it('absurd days and services: the past reads as today, beyond the horizon is empty, the rest is 400', async () => {
    const dates = async (q: string) => { const r = await get(`/book/${token}/slots?${q}`); const b = await r.json(); if (!b.days) throw new Error(`${r.status} ${JSON.stringify(b)}`); return (b.days as { date: string }[]).map((d) => d.date); };
    expect(await dates('service=cleaning&from=0001-01-01')).toEqual(['2026-12-02', '2026-12-03', '2026-12-04']);
    expect(await dates('service=cleaning&from=9999-12-31')).toEqual([]);
    for (const q of ['from=2026-02-30', 'from=2026-13-01', 'from=tomorrow', `from=${'9'.repeat(5000)}`, 'service=__proto__', 'service=constructor', `service=${'x'.repeat(100)}`]) {
      expect((await get(`/book/${token}/slots?service=cleaning&${q}`.replace('service=cleaning&service', 'service'))).status, q).toBe(400);
    }
  });

  it('the slot page lists the times by day as buttons of a form, with more times further on', async () => {
    const html = await (await get(`/book/${token}?service=cleaning`, HTML)).text();
    expect(html).toContain('Hi Dana — pick a time for your cleaning');
    expect(html).toContain('times are Central Time');
    expect(html).toContain(`<form method="post" action="${token}">`);
    expect(html).toContain('<button type="submit" name="start" value="2026-12-03T14:00:00.000Z" aria-label="Book Thursday, December 3 at 8:00 AM">8:00 AM</button>');
    expect(html).toContain('href="?service=cleaning&#38;from=2026-12-05"');
  });

  it('booking from the page: 201, the booking by "self", the thread resolved booked at the service’s value, a confirmation text with the event', async () => {
    const res = await postJson(token, { serviceId: 'cleaning', start: '2026-12-03T15:00:00.000Z' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.booking).toEqual({
      serviceId: 'cleaning',
      serviceLabel: 'Cleaning',
      start: '2026-12-03T15:00:00.000Z',
      end: '2026-12-03T16:00:00.000Z',
      day: 'Thursday, December 3',
      time: '9:00 AM',
    });
    const thread = threadOf(CALLER);
    expect(thread.status).toBe('resolved');
    expect(thread.resolution).toMatchObject({ outcome: 'booked', value: 150 });
    const booking = own(relay.store.data.bookings, thread.booking!.id)!;
    expect(booking).toMatchObject({ by: 'self', serviceId: 'cleaning', status: 'booked', locationId: 'main' });
    const confirmation = await waitFor(async () => (await relay.sent()).filter((m) => m.to === CALLER).at(-1)?.text.match(/\S+\/event\.ics/)?.[0], 'the confirmation');
    expect(confirmation).toBe(`${relay.config.publicUrl}/book/${token}/event.ics`);

    // The page now shows the booking; a second try is refused, the slot is gone for others.
    const page = await (await get(`/book/${token}`, HTML)).text();
    expect(page).toContain('✓ Booked');
    expect(page).toContain('Thursday, December 3, 9:00 AM');
    expect(page).toContain(`href="${token}/event.ics"`);
    expect((await postJson(token, { serviceId: 'cleaning', start: '2026-12-03T17:00:00.000Z' })).status).toBe(409);
    expect((await (await get(`/book/${token}`)).json()).booking.start).toBe('2026-12-03T15:00:00.000Z');
  });

  it('the event for "add to calendar" parses with ical.js and carries the booked UTC times', async () => {
    const res = await get(`/book/${token}/event.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-03T15:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-03T16:00:00.000Z');
    expect(event.summary).toBe('Cleaning at Bright Smile Dental');
    expect(event.uid).toBe(`${threadOf(CALLER).booking!.id}@ringback`);
  });

  it('two callers racing for one time: one booking, and 409 with the times still free for the other', async () => {
    const [a, b] = [await linkFor(OTHER), await linkFor(THIRD)];
    const slot = { serviceId: 'cleaning', start: '2026-12-04T15:00:00.000Z' };
    const [ra, rb] = await Promise.all([postJson(a, slot), postJson(b, slot)]);
    expect([ra.status, rb.status].sort()).toEqual([201, 409]);
    const lost = await (ra.status === 409 ? ra : rb).json();
    expect(lost.error.code).toBe('slot-taken');
    expect(lost.days[0].date).toBe('2026-12-04');
    const starts = lost.days.flatMap((d: any) => d.slots.map((s: any) => s.start));
    expect(starts).not.toContain(slot.start);
    expect(starts).toContain('2026-12-04T14:00:00.000Z');
    const booked = Object.values(relay.store.data.bookings).filter((x) => x.start === slot.start && x.status === 'booked');
    expect(booked).toHaveLength(1);
  });

  it('a browser form books and goes to the confirmation (303); a taken time re-shows the page with a notice (409)', async () => {
    const t = await linkFor('+15125550144');
    const taken = await postForm(t, { serviceId: 'cleaning', start: '2026-12-04T15:00:00.000Z' });
    expect(taken.status).toBe(409);
    const html = await taken.text();
    expect(html).toContain('Sorry, Friday, December 4 at 9:00 AM is no longer free.');
    expect(html).not.toContain('value="2026-12-04T15:00:00.000Z"');
    const ok = await postForm(t, { serviceId: 'consultation', start: '2026-12-04T15:00:00.000Z' });
    // A 30-minute consultation does not fit either: the chair is taken 9–10.
    expect(ok.status).toBe(409);
    const booked = await postForm(t, { serviceId: 'consultation', start: '2026-12-04T16:00:00.000Z' });
    expect(booked.status).toBe(303);
    expect(booked.headers.get('location')).toBe(t);
    expect(await (await get(`/book/${t}`, HTML)).text()).toContain('Friday, December 4, 10:00 AM');
  });

  it('HELP answers with the same link as the text-back: one live link per thread', async () => {
    const caller = '+15125550147';
    const t = await linkFor(caller);
    await relay.sms('HELP', caller);
    const help = await waitFor(async () => (await relay.sent()).find((m) => m.to === caller && m.text.includes('reply here to reach our front desk'))?.text, 'the HELP answer');
    expect(help).toContain(`or book at ${relay.config.publicUrl}/book/${t}.`);
    expect(Object.values(relay.store.data.bookingLinks).filter((l) => l.threadId === threadOf(caller).id)).toHaveLength(1);
  });

  it('the staff apps get the thread’s link for their built-in "Booking link" reply', async () => {
    const caller = '+15125550148';
    const t = await linkFor(caller);
    const res = await relay.api(riley, 'GET', `/api/quick-replies?thread=${threadOf(caller).id}`);
    expect(res.status).toBe(200);
    expect(res.body.bookingUrl).toBe(`${relay.config.publicUrl}/book/${t}`);
    expect((await relay.api(riley, 'GET', '/api/quick-replies')).body.bookingUrl).toBeUndefined();
  });

  it('POSTs are limited per link', async () => {
    const t = await linkFor('+15125550145');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await postJson(t, { serviceId: 'cleaning', start: '2026-12-03T15:00:00.000Z' })).status);
    expect(statuses.slice(0, 10).every((s) => s === 409)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('unknown links are 404 and expired ones 410, as a short page that names nothing of the thread', async () => {
    const unknown = await get(`/book/${'A'.repeat(22)}`, HTML);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This booking link does not work');
    expect((await get(`/book/${'A'.repeat(22)}/slots?service=cleaning`)).status).toBe(404);
    const t = await linkFor('+15125550146', 'Sam Lee');
    clock = new Date(NOON.getTime() + 72 * 3600_000);
    try {
      const res = await get(`/book/${t}`, HTML);
      expect(res.status).toBe(410);
      const html = await res.text();
      expect(html).toContain('This booking link has expired');
      expect(html).toContain('tel:+15125550100');
      expect(html).not.toContain('Sam');
      expect((await postJson(t, { serviceId: 'cleaning', start: '2026-12-07T15:00:00.000Z' })).status).toBe(410);
      expect((await get(`/book/${t}/event.ics`)).status).toBe(410);
    } finally {
      clock = NOON;
    }
  });
});

describe('the calendar feed', () => {
  it('managers read its address; with the key it lists the location’s bookings; a wrong or missing key is 404', async () => {
    expect((await relay.api(riley, 'GET', '/api/booking/feeds')).status).toBe(403);
    const feeds = (await relay.api(boss, 'GET', '/api/booking/feeds')).body.feeds;
    expect(feeds).toHaveLength(1);
    expect(feeds[0]).toMatchObject({ locationId: 'main', name: 'Main St' });
    const url = new URL(feeds[0].url);
    expect(url.origin + url.pathname).toBe(`${relay.config.publicUrl}/calendar/main.ics`);
    const key = url.searchParams.get('key')!;

    for (const q of ['', '?key=', `?key=${key.slice(0, -1)}x`, `?key=${key}x`]) expect((await get(`/calendar/main.ics${q}`)).status, q).toBe(404);
    expect((await get(`/calendar/north.ics?key=${key}`)).status).toBe(404);

    const res = await get(`/calendar/main.ics?key=${key}`);
    expect(res.status).toBe(200);
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    const uids = cal.getAllSubcomponents('vevent').map((e) => String(e.getFirstPropertyValue('uid')));
    const booked = Object.values(relay.store.data.bookings).filter((b) => b.status === 'booked');
    expect(booked.length).toBeGreaterThanOrEqual(3);
    expect(uids.sort()).toEqual(booked.map((b) => `${b.id}@ringback`).sort());
    const dana = new ICAL.Event(cal.getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === `${threadOf(CALLER).booking!.id}@ringback`)!);
    expect(dana.summary).toBe('Cleaning — Dana Reyes');
    expect(dana.description).toBe('Phone: (512) 555-1077\nBooked by the caller, online');
  });
});

describe('a calendar that cannot be read', () => {
  it('the page says to reply or call instead (503), and nothing is booked', async () => {
    const down = await startTestRelay({
      now: () => NOON,
      business: bookingBusiness((c) => {
        c.locations[0]!.booking!.calendar = { type: 'caldav', url: 'http://127.0.0.1:9/calendars/practice/', username: 'desk', passwordEnv: 'RINGBACK_TEST_CALDAV_PW' };
      }),
    });
    try {
      await down.call({ answered: false });
      const text = await waitFor(async () => (await down.sent())[0]?.text, 'the text-back');
      const t = /\/book\/([A-Za-z0-9_-]{22})/.exec(text)![1]!;
      const page = await fetch(`${down.url}/book/${t}?service=cleaning`, { headers: HTML });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('We cannot book online right now. Reply to our text or call us');
      expect((await fetch(`${down.url}/book/${t}/slots?service=cleaning`)).status).toBe(503);
      const post = await fetch(`${down.url}/book/${t}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serviceId: 'cleaning', start: '2026-12-03T15:00:00.000Z' }) });
      expect((await post.json()).error.code).toBe('calendar-unavailable');
      expect(Object.keys(down.store.data.bookings)).toEqual([]);
    } finally {
      await down.stop();
    }
  });
});
