import { mkdir } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER, startTestRelay, type TestRelay } from '../../testing/harness.js';
import { own } from '../../store/own.js';
import { bookingBusiness } from './fixture.js';

// Wednesday 2 December 2026, 12:00 in Chicago.
const NOON = new Date('2026-12-02T18:00:00Z');
const SHOTS = process.env.RINGBACK_SHOTS ?? '/work/shots';

let relay: TestRelay;
let browser: Browser;
let clock = NOON;

/** Serious and critical WCAG 2.1 A/AA problems on the page as it is now. */
async function a11y(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Nothing wider than the phone: no sideways scrolling. */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  relay = await startTestRelay({ business: bookingBusiness(), now: () => clock });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  await mkdir(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await relay?.stop();
});

describe('the self-booking page on a phone', () => {
  it('the text-back’s link on the sandbox phone: pick the service, tap a time, see the confirmation; the thread is resolved booked', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US' });
    // The sandbox line's dev phone is a desktop page; the caller's own phone is the 375×667 context.
    const desk = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    const phone = await desk.newPage();
    const blocked: string[] = [];
    try {
      // A missed call on the sandbox line, and the text-back arrives with its link.
      await phone.goto(`${relay.url}/sandbox`);
      await phone.locator('#caller').fill(CALLER);
      await phone.getByRole('button', { name: 'Call — nobody answers' }).click();
      const link = phone.locator('#inbox a[href*="/book/"]');
      await link.waitFor({ timeout: 15_000 });
      // The inbox redraws when the delivery report comes in: use the link once it has settled.
      await phone.locator('#inbox .pill', { hasText: 'delivered' }).waitFor({ timeout: 15_000 });
      const url = (await link.getAttribute('href'))!;
      expect(url).toMatch(new RegExp(`^${relay.config.publicUrl}/book/[A-Za-z0-9_-]{22}$`));
      expect(await phone.locator('#inbox li.bubble').first().textContent()).toContain(`Reply here or book: ${url}`);
      await link.scrollIntoViewIfNeeded();
      await phone.screenshot({ path: `${SHOTS}/page-dev-phone-link.png` });
      // The link opens the page in a new tab, as a phone's messages app would.
      const [tab] = await Promise.all([desk.waitForEvent('page'), link.click()]);
      await tab.waitForLoadState('load');
      expect(tab.url()).toBe(url);
      await desk.close();

      const page = await context.newPage();
      page.on('console', (m) => m.type() === 'error' && blocked.push(m.text()));
      expect((await page.goto(url))!.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bright Smile Dental');
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('What would you like to book?');
      expect(await fitsWidth(page)).toBe(true);
      expect(await a11y(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/page-services.png`, fullPage: true });

      await page.getByRole('link', { name: /Cleaning/ }).tap();
      await page.waitForURL(/\?service=cleaning$/);
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Pick a time for your cleaning');
      const tomorrow = page.getByRole('region', { name: 'Tomorrow · Thursday, December 3' });
      expect(await tomorrow.getByRole('button').count()).toBe(17);
      // Large tap targets: every time is at least 44 px tall and wide.
      const box = (await tomorrow.getByRole('button').first().boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(await fitsWidth(page)).toBe(true);
      expect(await a11y(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/page-before.png` });
      await page.screenshot({ path: `${SHOTS}/page-before-full.png`, fullPage: true });

      await tomorrow.getByRole('button', { name: 'Book Thursday, December 3 at 9:00 AM' }).tap();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').innerText()).toContain('✓ Booked');
      expect(await page.getByRole('status').innerText()).toContain('Thursday, December 3, 9:00 AM');
      // Booking saved the caller as a contact under their number: that is no name to thank.
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Thank you! See you then.');
      expect(await page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toMatch(/^[A-Za-z0-9_-]{22}\/event\.ics$/);
      expect(await fitsWidth(page)).toBe(true);
      expect(await a11y(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/page-after.png` });
      // Phones in dark mode get the dark palette, as readable.
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await a11y(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/page-after-dark.png` });
      await page.emulateMedia({ colorScheme: 'light' });

      // "Add to calendar" serves the event the phone's calendar opens.
      const ics = await page.request.get(`${url}/event.ics`);
      expect([ics.status(), ics.headers()['content-type']]).toEqual([200, 'text/calendar; charset=utf-8']);
      expect(await ics.text()).toContain('DTSTART:20261203T150000Z');

      const thread = Object.values(relay.store.data.threads).find((t) => t.caller === CALLER)!;
      expect(thread).toMatchObject({ status: 'resolved', resolution: { outcome: 'booked', value: 150 } });
      expect(own(relay.store.data.bookings, thread.booking!.id)).toMatchObject({ by: 'self', start: '2026-12-03T15:00:00.000Z' });
      // No script ran or was refused: the page is plain HTML and a style the CSP names by its hash.
      expect(blocked).toEqual([]);

      // Days later the link has expired: a short page that says what to do instead.
      clock = new Date(NOON.getTime() + 73 * 3600_000);
      expect((await page.goto(url))!.status()).toBe(410);
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('This booking link has expired');
      expect(await a11y(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/page-expired.png` });
    } finally {
      clock = NOON;
      await desk.close();
      await context.close();
    }
  }, 60_000);
});
