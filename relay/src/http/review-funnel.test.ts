import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bookingBusiness } from '../booking/page/fixture.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import { span } from './review-funnel.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const MIN = 60_000;
const TOKEN = /\/book\/([A-Za-z0-9_-]{22})/;

describe('the monthly review’s funnel', () => {
  it('shows each step with its share, bookings by the page against staff, and the time to booking, beside last month', async () => {
    const clock = { now: new Date('2026-11-04T15:00:00Z') }; // a Wednesday in November, 09:00 in Chicago
    relay = await startTestRelay({ business: bookingBusiness(), now: () => clock.now });
    const ana = await relay.staff('Ana', 'manager');
    const sam = await relay.staff('Sam');
    const pageBook = async (to: string) => {
      const text = (await relay.sent()).find((t) => t.to === to)!.text;
      const token = TOKEN.exec(text)![1];
      const start = (await relay.api(null, 'GET', `/book/${token}/slots?service=cleaning`)).body.days[0].slots[0].start;
      expect((await relay.api(null, 'POST', `/book/${token}`, { serviceId: 'cleaning', start })).status).toBe(201);
    };
    const calls = async (...from: string[]) => {
      const before = (await relay.sent()).length;
      for (const f of from) await relay.call({ from: f, answered: false });
      await waitFor(async () => (await relay.sent()).length === before + from.length, 'text-backs');
    };

    // November: two missed calls, one books on the page five minutes later.
    await calls('+15125550501', '+15125550502');
    clock.now = new Date(clock.now.getTime() + 5 * MIN);
    await pageBook('+15125550501');

    // December: three; one books on the page after 10 min, Sam books one after 30 min, one only writes.
    clock.now = new Date('2026-12-02T15:00:00Z');
    await calls('+15125550601', '+15125550602', '+15125550603');
    clock.now = new Date(clock.now.getTime() + 10 * MIN);
    await pageBook('+15125550601');
    clock.now = new Date(clock.now.getTime() + 20 * MIN);
    const threads = (await relay.api(ana, 'GET', '/api/threads')).body.threads as { id: string; caller: string }[];
    const b = threads.find((t) => t.caller === '+15125550602')!.id;
    expect((await relay.api(sam, 'POST', `/api/threads/${b}/resolve`, { outcome: 'booked', value: 200 })).status).toBe(200);
    await relay.sms('Is Friday possible?', '+15125550603');

    const review = await relay.api(ana, 'GET', '/api/reports/monthly?month=2026-12');
    expect(review.status).toBe(200);
    const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.setContent(String(review.body));
      const cells = (testId: string) =>
        page.getByTestId(testId).locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => (td.firstChild?.textContent ?? '').trim())));
      expect(await cells('review-funnel')).toEqual([
        ['Missed calls', '3', '—', '2', '—'],
        ['Texted back', '3', '100.0 %', '2', '100.0 %'],
        ['Responded', '3', '100.0 %', '1', '50.0 %'],
        ['Qualified', '2', '66.7 %', '1', '100.0 %'],
        ['Booked', '2', '100.0 %', '1', '100.0 %'],
      ]);
      expect(await cells('review-booked-by')).toEqual([
        ['The assistant, by text', '0 (0.0 %)', '0'],
        ['The caller, on the booking page', '1 (50.0 %)', '1'],
        ['Staff', '1 (50.0 %)', '0'],
        ['Median time from the missed call to the booking', '20 min', '5 min'],
        ['90th percentile of that time', '30 min', '5 min'],
      ]);
      // Readable on a laptop: the funnel tables never run off the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1000);
      const shots = process.env['RINGBACK_SHOTS'];
      if (shots) {
        const top = await page.getByRole('heading', { name: 'Booking funnel' }).boundingBox();
        const bottom = await page.getByTestId('review-booked-by').boundingBox();
        await page.screenshot({ path: path.join(shots, 'review-funnel.png'), fullPage: true, clip: { x: 0, y: top!.y - 16, width: 1000, height: bottom!.y + bottom!.height - top!.y + 32 } });
      }
    } finally {
      await browser.close();
    }
  });

  it('times to booking read in the unit that fits', () => {
    expect([42, 600, 5400, 7200, 200_000].map(span)).toEqual(['42 s', '10 min', '1.5 h', '2.0 h', '2.3 days']);
  });
});
