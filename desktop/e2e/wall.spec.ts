import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { seriousA11yViolations } from '@ringback/e2e/axe';
import { stubBridge } from './support/bridge-stub.js';
import { withRendererAndRelay } from './support/setup.js';

const SHOTS = path.join(import.meta.dirname, 'artifacts');
const env = withRendererAndRelay();

test.describe.configure({ mode: 'serial' });

test('the wall starts empty, then missed calls on the sandbox line move its figures live', async ({ page }) => {
  const relay = env.relay();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 1920, height: 1080 });
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.ana, wallTheme: 'dark' });
  await page.goto(`${env.origin()}/wall.html`);

  await expect(page.getByTestId('connection')).toHaveText('● live');
  await expect(page.getByTestId('fig-missed')).toContainText('0');
  await expect(page.getByTestId('wall-caught-up')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'wall-empty-dark.png') });

  // Calls arrive while the page is open: no reload, no polling; the pushes move the wall.
  await relay.call('+15125551077');
  await relay.call('+17375550100');
  await expect(page.getByTestId('fig-missed').locator('.wall-fig-value')).toHaveText('2');
  await expect(page.getByTestId('wall-waiting').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('wall-waiting')).toContainText('(512) 555-1077');

  // More traffic: a reply, a claim by Riley (leaves the waiting list), more missed calls.
  await relay.call('+12145550142');
  await relay.call('+14695550123');
  await relay.call('+15125550188');
  await relay.sms('+15125551077', 'Hi, can you call me back about a cleaning?');
  const open = await relay.api<{ threads: { id: string; caller: string }[] }>(relay.tokens.riley, 'GET', '/api/threads?status=open');
  const claimed = open.body.threads.find((t) => t.caller === '+17375550100')!;
  expect((await relay.api(relay.tokens.riley, 'POST', `/api/threads/${claimed.id}/claim`)).status).toBe(200);
  const booked = open.body.threads.find((t) => t.caller === '+12145550142')!;
  await relay.api(relay.tokens.riley, 'POST', `/api/threads/${booked.id}/claim`);
  await relay.api(relay.tokens.riley, 'POST', `/api/threads/${booked.id}/resolve`, { outcome: 'booked', value: 350 });

  await expect(page.getByTestId('fig-missed').locator('.wall-fig-value')).toHaveText('5');
  await expect(page.getByTestId('fig-booked').locator('.wall-fig-value')).toHaveText('1');
  await expect(page.getByTestId('fig-revenue').locator('.wall-fig-value')).toHaveText('$350');
  await expect(page.getByTestId('wall-waiting').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('fig-texted').locator('.wall-fig-value')).not.toHaveText('0');
  // The funnel strip: the day's steps with their shares, the staff booking and how long it took from the call.
  await expect(page.getByTestId('funnel-missed').locator('.wall-funnel-value')).toHaveText('5');
  await expect(page.getByTestId('funnel-replied').locator('.wall-funnel-value')).toHaveText('2'); // a reply, and the thread booked
  await expect(page.getByTestId('funnel-qualified').locator('.wall-funnel-value')).toHaveText('1');
  await expect(page.getByTestId('funnel-booked').locator('.wall-funnel-value')).toHaveText('1');
  await expect(page.getByTestId('funnel-booked').locator('.wall-funnel-rate')).toHaveText('100%');
  await expect(page.getByTestId('funnel-note')).toHaveText(/^booked by 1 staffmedian .+ call to booking$/);
  await page.waitForTimeout(800); // let the one-off pulse finish before the picture
  await page.screenshot({ path: path.join(SHOTS, 'wall-dark.png') });

  // A caller books on their own page from the text-back's link: the funnel moves live and says who booked.
  const sent = (await (await fetch(`${relay.url}/sandbox/messages`)).json()) as { messages: { to: string; text: string }[] };
  const token = /\/book\/([A-Za-z0-9_-]{22})/.exec(sent.messages.find((m) => m.to === '+14695550123')!.text)![1];
  const slots = (await (await fetch(`${relay.url}/book/${token}/slots?service=cleaning`)).json()) as { days: { slots: { start: string }[] }[] };
  const selfBooked = await fetch(`${relay.url}/book/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serviceId: 'cleaning', start: slots.days[0]!.slots[0]!.start }) });
  expect(selfBooked.status).toBe(201);
  await expect(page.getByTestId('funnel-booked').locator('.wall-funnel-value')).toHaveText('2');
  await expect(page.getByTestId('funnel-note')).toHaveText(/^booked by 1 booking page · 1 staffmedian .+ call to booking$/);
  await expect(page.getByTestId('fig-booked').locator('.wall-fig-value')).toHaveText('2');
  await page.waitForTimeout(800);
  if (process.env['RINGBACK_SHOTS']) await page.screenshot({ path: path.join(process.env['RINGBACK_SHOTS'], 'wall-funnel.png') });

  // The leaderboard and hours render when the relay sends them (it does since issue 5).
  await expect(page.getByTestId('wall-staff')).toContainText('Riley');
  await expect(page.getByTestId('wall-hours')).toBeVisible();
  expect(errors).toEqual([]);
});

test('light theme at 1920×1080', async ({ page }) => {
  const relay = env.relay();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.ana, wallTheme: 'light' });
  await page.goto(`${env.origin()}/wall.html`);
  await expect(page.getByTestId('fig-missed').locator('.wall-fig-value')).toHaveText('5');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: path.join(SHOTS, 'wall-light.png') });
});

test('a refused token says so, with the way to settings', async ({ page }) => {
  const relay = env.relay();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await stubBridge(page, { relayUrl: relay.url, token: 'not-a-real-token', wallTheme: 'dark' });
  await page.goto(`${env.origin()}/wall.html`);
  await expect(page.getByTestId('bad-token')).toBeVisible();
  await page.getByRole('button', { name: 'Open settings' }).click();
  expect(await page.evaluate(() => (window as any).__ringbackCalls.some((c: any) => c.channel === 'window:open' && c.arg.window === 'settings'))).toBe(true);
  await page.screenshot({ path: path.join(SHOTS, 'wall-bad-token.png') });
});

test('not set up yet: the wall points to settings', async ({ page }) => {
  await stubBridge(page, { relayUrl: null, token: null });
  await page.goto(`${env.origin()}/wall.html`);
  await expect(page.getByTestId('not-configured')).toBeVisible();
});

test.describe('a busy morning', () => {
  const busyEnv = withRendererAndRelay();
  const LONG = 'WOLFESCHLEGELSTEINHAUSEN, MARIA-JOSEFINA';
  const LONG_SHOWN = 'Maria-Josefina Wolfeschlegelsteinhausen';

  test.beforeAll(async () => {
    const busy = busyEnv.relay();
    // Twelve callers waiting (one with a very long caller-ID name), one who writes back in pain, two taken by Riley.
    await busy.call('+15125550101', false, LONG);
    const names = ['NGUYEN, THANH', 'PATEL PRIYA', null, "O'BRIEN, SEAN", null, 'Dr. Lee Family Dental', null, 'WIRELESS CALLER', null, 'KOWALSKI, ANNA', null, null];
    for (let i = 2; i <= 13; i++) await busy.call(`+1512555${String(100 + i).padStart(4, '0')}`, false, names[i - 2] ?? undefined);
    await busy.call('+15125551077', false, 'GARCIA, ANA');
    await busy.sms('+15125551077', 'My tooth is cracked and the pain is bad, can someone call?');
    const open = await busy.api<{ threads: { id: string; caller: string }[] }>(busy.tokens.riley, 'GET', '/api/threads?status=open');
    for (const caller of ['+15125550102', '+15125550104']) {
      const t = open.body.threads.find((x) => x.caller === caller)!;
      expect((await busy.api(busy.tokens.riley, 'POST', `/api/threads/${t.id}/claim`)).status).toBe(200);
    }
  });
  /** The wall as the room sees it: the four now-tiles, urgent pinned first, names whole, nothing under 24 px. */
  async function checkWall(page: Page) {
    await expect(page.getByTestId('fig-waiting').locator('.wall-fig-value')).toHaveText('12');
    await expect(page.getByTestId('fig-urgent').locator('.wall-fig-value')).toHaveText('1');
    await expect(page.getByTestId('fig-past-sla').locator('.wall-fig-value')).toHaveText('0');
    await expect(page.getByTestId('fig-oldest')).toContainText('clock time since the call');
    await expect(page.getByTestId('funnel-missed').locator('.wall-funnel-value')).toHaveText('14');
    await expect(page.getByTestId('funnel-note')).toHaveText('no bookings yet');
    const rows = page.getByTestId('wall-waiting').locator('li');
    await expect(rows).toHaveCount(5);
    await expect(rows.first()).toHaveAttribute('data-urgent', 'yes');
    await expect(rows.first()).toContainText('Ana Garcia');
    await expect(rows.first()).toContainText('URGENT');
    await expect(page.getByTestId('wall-more')).toHaveText('+ 7 more waiting');
    // Every row and the "+N more" line inside the panel: the wall never clips what it shows.
    const clipped = await page.evaluate(() => {
      const panel = document.querySelector('.wall-waiting')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll('.wall-waiting li, .wall-more')).filter((el) => el.getBoundingClientRect().bottom > panel.bottom).length;
    });
    expect(clipped).toBe(0);
    // The long name in full, inside its row, not clipped.
    const name = page.getByTestId('wall-row-name').filter({ hasText: 'Maria-Josefina' });
    await expect(name).toHaveText(LONG_SHOWN);
    const fits = await name.evaluate((el) => el.scrollWidth <= el.clientWidth && getComputedStyle(el).textOverflow !== 'ellipsis' && el.getBoundingClientRect().right <= el.closest('li')!.getBoundingClientRect().right);
    expect(fits).toBe(true);
    // Staff line and footnotes readable across a room.
    const smallest = await page.evaluate(() =>
      Math.min(...['.wall-staff-nums', '.wall-staff-name', '.wall-fig-note', '.wall-funnel-label', '.wall-funnel-rate', '.wall-funnel-note', '.wall-row-tb', '.wall-row-flag', '.wall-time-label', '.wall-time-sla', '.wall-more', '.wall-legend'].flatMap((sel) => Array.from(document.querySelectorAll(sel)).map((el) => parseFloat(getComputedStyle(el).fontSize)))),
    );
    expect(smallest).toBeGreaterThanOrEqual(24);
    // Nothing runs off the right edge…
    const offRight = await page.evaluate(() => Array.from(document.querySelectorAll('.wall *')).filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5).map((el) => el.className));
    expect(offRight).toEqual([]);
    // …nor falls off the bottom of a 1080-line screen.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(1080);
  }

  for (const theme of ['dark', 'light'] as const) {
    test(`right now, ${theme}, 1920×1080: urgent first, long name whole, +N more`, async ({ page }) => {
      const busy = busyEnv.relay();
      await page.setViewportSize({ width: 1920, height: 1080 });
      await stubBridge(page, { relayUrl: busy.url, token: busy.tokens.ana, wallTheme: theme });
      await page.goto(`${busyEnv.origin()}/wall.html`);
      await expect(page.getByTestId('connection')).toHaveText('● live');
      await expect(page.getByTestId('wall-staff')).toContainText('Riley');
      await checkWall(page);
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(SHOTS, `wall-busy-${theme}.png`) });
      expect(await seriousA11yViolations(page)).toEqual([]);
    });
  }
});
