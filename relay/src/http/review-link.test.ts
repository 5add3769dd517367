import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';
import { revokeStaff } from '../staff/tokens.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

/** A relay on a clock the test moves (Chicago time), with a manager and a receptionist. */
async function start(at: string) {
  const clock = { t: new Date(at) };
  relay = await startTestRelay({ now: () => clock.t, business: testBusiness((c) => (c.business.monthlyCost = 99)) });
  return { clock, boss: await relay.staff('Ana', 'manager'), riley: await relay.staff('Riley') };
}

async function missedCall(clock: { t: Date }, at: string, from: string) {
  clock.t = new Date(at);
  const before = Object.values(relay.store.data.calls).filter((c) => c.outcome === 'missed').length;
  const sent = (await relay.sent()).length;
  await relay.call({ answered: false, from });
  await waitFor(() => Object.values(relay.store.data.calls).filter((c) => c.outcome === 'missed').length === before + 1, 'missed call');
  // Its text-back too: the review counts what it cost.
  await waitFor(async () => (await relay.sent()).length === sent + 1, 'the text-back');
}

/** A browser-like GET that keeps redirects and cookies visible. */
const get = (path: string, headers: Record<string, string> = {}) => fetch(relay.url + path, { redirect: 'manual', headers });

describe('the monthly review page', () => {
  it('defaults to the current month where the location is, in words, at the plan price, with no trend against an empty month', async () => {
    // 05:00 UTC on 1 December is still 30 November in Chicago.
    const { clock, boss } = await start('2026-12-01T05:00:00Z');
    const november = String((await relay.api(boss, 'GET', '/api/reports/monthly')).body);
    expect(november).toContain('<h1>Monthly review · November 2026</h1>');
    expect(november).not.toContain('2026-11');

    await missedCall(clock, '2026-12-15T16:00:00Z', '+15125551101');
    const res = await relay.api(boss, 'GET', '/api/reports/monthly');
    expect(res.status).toBe(200);
    const december = String(res.body);
    expect(december).toContain('<h1>Monthly review · December 2026</h1>');
    // December has 31 days; the plan is $99 a month, not a pro-rated $102.3.
    expect(december).toContain('$99 plan a month');
    expect(december).not.toContain('102.3');
    expect(december).toMatch(/net −\$99\.\d\d</);
    expect(december).toContain('no earlier month to compare');
    expect(december).not.toMatch(/▲|▼|compared with/);
    // The month picker keeps working: previous and no next past the current month.
    expect(december).toContain('href="?month=2026-11" rel="prev">← November 2026</a>');
    expect(december).not.toContain('rel="next"');
    expect(december).toContain('@media print');
  });

  it('compares with the previous month once it has data', async () => {
    const { clock, boss } = await start('2026-11-10T16:00:00Z');
    await missedCall(clock, '2026-11-10T16:00:00Z', '+15125551101');
    await missedCall(clock, '2026-12-03T16:00:00Z', '+15125551102');
    await missedCall(clock, '2026-12-04T16:00:00Z', '+15125551103');
    const december = String((await relay.api(boss, 'GET', '/api/reports/monthly?month=2026-12')).body);
    expect(december).toContain('compared with November 2026');
    expect(december).not.toContain('no earlier month to compare');
    expect(december).toMatch(/Missed calls.*?<td class="n">2<\/td><td class="n">1<\/td><td class="trend bad">▲ up 100 %/s);
    const november = String((await relay.api(boss, 'GET', '/api/reports/monthly?month=2026-11')).body);
    expect(november).toContain('rel="next">December 2026 →</a>');
  });
});

describe('review links for a browser', () => {
  it('a manager gets a single-use link that leaves a cookie and a token-free address; the picker works with it', async () => {
    const { boss } = await start('2026-12-15T16:00:00Z');
    const link = await relay.api(boss, 'POST', '/api/reports/monthly/link', {});
    expect(link.status).toBe(200);
    expect(link.body.path).toMatch(/^\/reports\/monthly\?month=2026-12&t=[\w-]+\.[\w-]+$/);
    expect(new Date(link.body.expiresAt).getTime()).toBe(new Date('2026-12-15T16:05:00Z').getTime());

    const first = await get(link.body.path);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/reports/monthly?month=2026-12');
    const setCookie = first.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^ringback_review=[\w-]{43}; Path=\/reports\/monthly; Max-Age=1800; HttpOnly; SameSite=Strict$/);
    const session = setCookie.split(';')[0]!;

    const page = await get('/reports/monthly?month=2026-12', { cookie: session });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('Monthly review · December 2026');
    const previous = await get('/reports/monthly?month=2026-11', { cookie: session });
    expect(await previous.text()).toContain('Monthly review · November 2026');

    // Spent: the same link again is refused, and so is the page without the cookie.
    const again = await get(link.body.path);
    expect(again.status).toBe(410);
    expect((await again.json()).error.code).toBe('link-used');
    expect((await get('/reports/monthly?month=2026-12')).status).toBe(401);
    expect((await get('/reports/monthly?month=2026-12', { cookie: 'ringback_review=guess' })).status).toBe(401);

    const what = relay.store.data.audit.filter((e) => e.action === 'export').map((e) => [e.actor?.name, e.detail.what, e.detail.month]);
    expect(what).toEqual([
      ['Ana', 'monthly review link', '2026-12'],
      ['Ana', 'monthly review', '2026-12'],
      ['Ana', 'monthly review', '2026-11'],
    ]);
  });

  it('refuses an expired, altered or other-month link, receptionists, and a manager revoked since', async () => {
    const { clock, boss, riley } = await start('2026-12-15T16:00:00Z');
    const path = async (body: object = {}) => (await relay.api(boss, 'POST', '/api/reports/monthly/link', body)).body.path as string;

    const late = await path();
    clock.t = new Date('2026-12-15T16:05:01Z');
    const expired = await get(late);
    expect(expired.status).toBe(410);
    expect((await expired.json()).error.code).toBe('link-expired');

    const november = await path({ month: '2026-11' });
    const asDecember = await get(november.replace('month=2026-11', 'month=2026-12'));
    expect(asDecember.status).toBe(403);
    expect((await asDecember.json()).error.code).toBe('link-mismatch');
    const noMonth = await get(november.replace('month=2026-11&', ''));
    expect(noMonth.status).toBe(403);
    // The refused tries did not spend it.
    expect((await get(november)).status).toBe(303);

    // An altered token (another staff id or month in its claims) fails the signature.
    const link = await path();
    const [payload, mac] = link.split('t=')[1]!.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, m: '2026-11' })).toString('base64url');
    const tampered = await get(`/reports/monthly?month=2026-11&t=${forged}.${mac}`);
    expect(tampered.status).toBe(401);
    expect((await tampered.json()).error.code).toBe('invalid-link');
    // A browser is told in a page, not in JSON.
    const html = await get(`/reports/monthly?month=2026-11&t=${forged}.${mac}`, { accept: 'text/html' });
    expect(html.status).toBe(401);
    expect(await html.text()).toContain('This review link is not valid. Open the monthly review again from the app.');

    // Nonsense in the address is a clear 400 (a page for a browser), never a 500.
    for (const q of ['month=2026-13', 'month=abc', 'location=elsewhere', 't=a.b.c', 't=&month=2026-12', 't=x&t=y']) {
      const res = await get(`/reports/monthly?${q}`);
      expect(res.status, q).toBeLessThan(500);
      expect([400, 401], q).toContain(res.status);
    }
    const badMonth = await get('/reports/monthly?month=2026-13', { accept: 'text/html' });
    expect(badMonth.status).toBe(400);
    expect(await badMonth.text()).toContain('month: month is YYYY-MM');

    const refused = await relay.api(riley, 'POST', '/api/reports/monthly/link', {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await relay.api(null, 'POST', '/api/reports/monthly/link', {})).status).toBe(401);
    expect((await relay.api(boss, 'POST', '/api/reports/monthly/link', { month: '2026-13' })).status).toBe(400);
    expect((await relay.api(boss, 'POST', '/api/reports/monthly/link', { location: 'elsewhere' })).status).toBe(400);

    // A link (and its cookie) is only as good as the manager who asked for it.
    const opened = await get(link);
    const session = opened.headers.get('set-cookie')!.split(';')[0]!;
    const unspent = await path();
    revokeStaff(relay.store, 'Ana');
    await relay.store.commit();
    expect((await get(unspent)).status).toBe(401);
    expect((await get('/reports/monthly?month=2026-12', { cookie: session })).status).toBe(401);
  });

  it('a session lasts half an hour', async () => {
    const { clock, boss } = await start('2026-12-15T16:00:00Z');
    const opened = await get((await relay.api(boss, 'POST', '/api/reports/monthly/link', {})).body.path);
    const session = opened.headers.get('set-cookie')!.split(';')[0]!;
    clock.t = new Date('2026-12-15T16:29:00Z');
    expect((await get('/reports/monthly', { cookie: session })).status).toBe(200);
    clock.t = new Date('2026-12-15T16:30:01Z');
    expect((await get('/reports/monthly', { cookie: session })).status).toBe(401);
  });
});
