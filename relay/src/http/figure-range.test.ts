import { afterEach, describe, expect, it } from 'vitest';
import { DAY_CACHE_DAYS, SPAN_CACHE_DAYS, SPAN_CACHE_SIZE } from '../threads/queries.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

/** Time one request. */
async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await p;
  return { value, ms: performance.now() - t0 };
}

/** A relay whose clock the test moves, with missed calls on the given days. */
async function relayWithCallsOn(days: string[], now: string): Promise<{ boss: string; clock: { t: Date } }> {
  const clock = { t: new Date(days[0]!) };
  relay = await startTestRelay({ now: () => clock.t });
  const boss = await relay.staff('Ana', 'manager');
  for (const [i, day] of days.entries()) {
    clock.t = new Date(day);
    await relay.call({ answered: false, from: `+1512555${String(1100 + i)}` });
    await waitFor(() => Object.values(relay.store.data.calls).filter((c) => c.outcome === 'missed').length === i + 1, `missed call ${i}`);
  }
  clock.t = new Date(now);
  return { boss, clock };
}

describe('figure ranges', () => {
  it('refuses a ten-thousand-year range at once while a signed webhook still answers promptly', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Ana', 'manager');
    const absurd = 'from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z';
    for (const path of ['/api/metrics', '/api/staffing', '/api/export/staffing.csv']) {
      const [res, webhook] = await Promise.all([timed(relay.api(boss, 'GET', `${path}?${absurd}`)), timed(relay.sms('Is anyone there?'))]);
      expect(res.value.status).toBe(400);
      expect(res.value.body.error).toMatchObject({ code: 'out-of-range', message: '"from" must be between 2000-01-01 and ' + iso(Date.now() + 366 * DAY).slice(0, 10) + ' (a year ahead)' });
      expect(res.ms).toBeLessThan(1000);
      expect(webhook.value.status).toBe(200);
      expect(webhook.ms).toBeLessThan(1000);
    }
    // Each end alone, a year and more ahead, and reversed.
    const bad = (q: string) => relay.api(boss, 'GET', `/api/metrics?${q}`);
    expect((await bad('from=0001-01-01T00:00:00Z')).body.error.code).toBe('out-of-range');
    expect((await bad('to=9999-12-31T00:00:00Z')).body.error.code).toBe('out-of-range');
    expect((await bad(`from=${iso(Date.now() + 400 * DAY)}`)).body.error.code).toBe('out-of-range');
    expect((await bad('from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z')).body.error).toMatchObject({ code: 'invalid', message: '"to" must be after "from"' });
    const long = await bad('from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(long.status).toBe(400);
    expect(long.body.error).toEqual({ code: 'range-too-large', message: 'a range may span at most 1100 days; this one spans 2192' });
    // The staffing grid defaults `to` to now: a lone old `from` is as long a range as any other.
    expect((await relay.api(boss, 'GET', '/api/staffing?from=2001-01-01T00:00:00Z')).body.error.code).toBe('range-too-large');
    expect((await relay.api(null, 'GET', '/healthz')).body.ok).toBe(true);
  });

  it('the staffing grid refuses from >= to like the figures do, and an unknown location everywhere', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Ana', 'manager');
    for (const path of ['/api/staffing', '/api/export/staffing.csv', '/api/metrics']) {
      const same = await relay.api(boss, 'GET', `${path}?from=2026-11-02T00:00:00Z&to=2026-11-02T00:00:00Z`);
      expect(same.status).toBe(400);
      expect(same.body.error.message).toBe('"to" must be after "from"');
      expect((await relay.api(boss, 'GET', `${path}?from=2026-11-03T00:00:00Z&to=2026-11-02T00:00:00Z`)).status).toBe(400);
      const nowhere = await relay.api(boss, 'GET', `${path}?location=elsewhere`);
      expect(nowhere.status).toBe(400);
      expect(nowhere.body.error.message).toMatch(/location "elsewhere" does not exist/);
    }
    const month = iso(Date.now()).slice(0, 7);
    expect((await relay.api(boss, 'GET', `/api/reports/monthly?month=${month}&location=elsewhere`)).status).toBe(400);
    // Refused requests leave no export in the audit log.
    expect(relay.store.data.audit.filter((e) => e.action === 'export')).toEqual([]);
  });

  it('months outside 2000-01 … a year ahead, or not YYYY-MM, are 400, never 500', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Ana', 'manager');
    for (const month of ['0001-01', '1999-12', '9999-12', `${new Date().getUTCFullYear() + 2}-01`]) {
      const res = await relay.api(boss, 'GET', `/api/reports/monthly?month=${month}`);
      expect(res.status, month).toBe(400);
      expect(res.body.error.code).toBe('out-of-range');
    }
    for (const month of ['2026-13', 'abc', '2026-1', '']) {
      const res = await relay.api(boss, 'GET', `/api/reports/monthly?month=${month}`);
      expect(res.status, month).toBe(400);
      expect(res.body.error.code).toBe('invalid');
    }
    const first = await relay.api(boss, 'GET', '/api/reports/monthly?month=2000-01');
    expect(first.status).toBe(200);
    expect(String(first.body)).toContain('Monthly review · January 2000');
    expect(String(first.body)).toContain('nothing was recorded in December 1999');
  });

  it('the monthly review and every export are for managers', async () => {
    relay = await startTestRelay();
    const riley = await relay.staff('Riley');
    const boss = await relay.staff('Ana', 'manager');
    const month = iso(Date.now()).slice(0, 7);
    for (const path of [`/api/reports/monthly?month=${month}`, '/api/export/threads.csv', '/api/export/calls.csv', '/api/export/messages.csv', '/api/export/staffing.csv', '/api/export/contacts.csv']) {
      const res = await relay.api(riley, 'GET', path);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await relay.api(boss, 'GET', path)).status, path).toBe(200);
    }
    expect(relay.store.data.audit.filter((e) => e.action === 'export').map((e) => e.actor?.name)).toEqual(Array(6).fill('Ana'));
  });

  it('while closed days are counted again after an upgrade, figures before the hot window are 503 "counting"; the hot window answers', async () => {
    relay = await startTestRelay();
    await relay.figuresReady;
    const boss = await relay.staff('Ana', 'manager');
    const now = Date.now();
    const lastWeek = `/api/metrics?from=${iso(now - 7 * DAY)}&to=${iso(now)}`;
    const lastYear = `/api/metrics?from=${iso(now - 365 * DAY)}&to=${iso(now)}`;
    const month = (t: number) => iso(t).slice(0, 7);
    relay.queries.cold!.recounting = true;
    for (const path of [lastYear, `/api/reports/monthly?month=${month(now - 60 * DAY)}`, `/api/reports/monthly?month=${month(now)}`]) {
      const res = await relay.api(boss, 'GET', path);
      expect(res.status, path).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'counting', message: expect.stringMatching(/counted again after an upgrade/) });
    }
    expect((await relay.api(boss, 'GET', lastWeek)).status).toBe(200);
    expect((await relay.api(boss, 'GET', '/api/metrics')).status).toBe(200);
    relay.queries.cold!.recounting = false;
    expect((await relay.api(boss, 'GET', lastYear)).status).toBe(200);
  });

  it('a range reaching past the records is cut to them: the longest one answers at once and counts right', async () => {
    const { boss } = await relayWithCallsOn(['2023-06-01T15:00:00Z', '2025-01-01T15:00:00Z', '2026-11-20T15:00:00Z'], '2026-12-01T12:00:00Z');
    const [res, webhook] = await Promise.all([
      timed(relay.api(boss, 'GET', '/api/metrics?from=2024-01-01T00:00:00Z&to=2027-01-05T00:00:00Z')),
      timed(relay.sms('Hello?', '+15125551101')),
    ]);
    expect(res.value.status).toBe(200);
    expect(res.value.body).toMatchObject({ from: '2024-01-01T00:00:00.000Z', to: '2027-01-05T00:00:00.000Z', missed: 2 });
    expect(res.ms).toBeLessThan(1000);
    expect(webhook.ms).toBeLessThan(1000);
    // Days before the first record and after now were never computed.
    const days = [...relay.queries.dayFacts.entries()].map(([day]) => day);
    expect(Math.min(...days)).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:00Z'));
    expect(Math.max(...days)).toBeLessThan(Date.parse('2026-12-02T00:00:00Z'));
    const before = await relay.api(boss, 'GET', '/api/metrics?from=2020-01-01T00:00:00Z&to=2023-01-01T00:00:00Z');
    expect(before.body).toMatchObject({ inbound: 0, missed: 0 });
    expect(before.body.roi.subscriptionCost).toBeGreaterThan(0); // the figures still describe the range asked for
  });

  it('a long range asked for the first time lets /healthz and webhooks through while it is computed', async () => {
    const { boss } = await relayWithCallsOn(['2023-06-01T15:00:00Z', '2025-01-01T15:00:00Z', '2026-11-20T15:00:00Z'], '2026-12-01T12:00:00Z');
    relay.queries.sliceMs = 0; // a turn of the event loop after every day, so the test can see between them
    const done: string[] = [];
    const figures = relay.api(boss, 'GET', '/api/metrics?location=main&from=2023-12-01T00:00:00Z&to=2026-12-05T00:00:00Z').then((r) => {
      done.push('figures');
      return r;
    });
    // Looked at every turn of the event loop (a timer's poll could wake when the span is nearly done).
    for (const deadline = Date.now() + 5000; relay.queries.dayFacts.size <= 20 && Date.now() < deadline; ) await new Promise((r) => setImmediate(r));
    expect(relay.queries.dayFacts.size).toBeGreaterThan(20);
    const health = await timed(relay.api(null, 'GET', '/healthz'));
    done.push('healthz');
    const webhook = await timed(relay.sms('Still there?', '+15125551101'));
    expect(health.value.status).toBe(200);
    expect(webhook.value.status).toBe(200);
    expect(webhook.ms).toBeLessThan(1000);
    expect((await figures).body).toMatchObject({ missed: 2 });
    expect(done).toEqual(['healthz', 'figures']);
  });

  it('many distinct long ranges keep the caches within their caps, and the figures stay right', async () => {
    const { boss } = await relayWithCallsOn(['2023-06-01T15:00:00Z', '2025-01-01T15:00:00Z', '2026-11-20T15:00:00Z'], '2026-12-01T12:00:00Z');
    const start = Date.parse('2023-06-01T00:00:00Z');
    for (let k = 0; k < 40; k++) {
      const from = start + k * 7 * DAY;
      const res = await relay.api(boss, 'GET', `/api/metrics?from=${iso(from)}&to=${iso(from + 1100 * DAY)}`);
      expect(res.status).toBe(200);
      const inRange = ['2023-06-01T15:00:00Z', '2025-01-01T15:00:00Z', '2026-11-20T15:00:00Z'].filter((d) => Date.parse(d) >= from && Date.parse(d) < from + 1100 * DAY);
      expect(res.body.missed).toBe(inRange.length);
    }
    expect(relay.queries.dayFacts.size).toBe(DAY_CACHE_DAYS);
    expect(relay.queries.spans.weight).toBeLessThanOrEqual(SPAN_CACHE_DAYS);
    expect(relay.queries.spans.weight).toBeGreaterThan(SPAN_CACHE_DAYS - 1100);
    // Many short ranges fill the span cache up to its count.
    for (let k = 0; k < 40; k++) {
      const from = Date.parse('2025-01-01T00:00:00Z') - k * DAY;
      expect((await relay.api(boss, 'GET', `/api/metrics?from=${iso(from)}&to=${iso(from + 3 * DAY)}`)).body.missed).toBe(k < 3 ? 1 : 0);
    }
    expect(relay.queries.spans.size).toBe(SPAN_CACHE_SIZE);
    // A range whose days were evicted is computed again, with the same answer.
    const again = await relay.api(boss, 'GET', `/api/metrics?from=${iso(start)}&to=${iso(start + 1100 * DAY)}`);
    expect(again.body.missed).toBe(2);
    expect(relay.queries.dayFacts.size).toBe(DAY_CACHE_DAYS);
  });
});
