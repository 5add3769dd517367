import path from 'node:path';
import { expect, test } from '@playwright/test';
import { stubBridge } from './support/bridge-stub.js';
import { startRelay, type Relay } from './support/relay.js';
import { serveRenderer } from './support/renderer-server.js';

const SHOTS = path.join(import.meta.dirname, 'artifacts');
let relay: Relay;
let server: Awaited<ReturnType<typeof serveRenderer>>;

test.beforeAll(async () => {
  let relayUrl: string | null = null;
  server = await serveRenderer(() => relayUrl);
  relay = await startRelay(server.origin);
  relayUrl = relay.url;
});
test.afterAll(async () => {
  await relay?.dispose();
  await server?.close();
});

test.describe.configure({ mode: 'serial' });

test('the wall starts empty, then missed calls on the sandbox line move its figures live', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 1920, height: 1080 });
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.ana, wallTheme: 'dark' });
  await page.goto(`${server.origin}/wall.html`);

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
  await page.waitForTimeout(800); // let the one-off pulse finish before the picture
  await page.screenshot({ path: path.join(SHOTS, 'wall-dark.png') });

  // The leaderboard and hours render when the relay sends them (it does since issue 5).
  await expect(page.getByTestId('wall-staff')).toContainText('Riley');
  await expect(page.getByTestId('wall-hours')).toBeVisible();
  expect(errors).toEqual([]);
});

test('light theme at 1920×1080', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.ana, wallTheme: 'light' });
  await page.goto(`${server.origin}/wall.html`);
  await expect(page.getByTestId('fig-missed').locator('.wall-fig-value')).toHaveText('5');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: path.join(SHOTS, 'wall-light.png') });
});

test('a refused token says so, with the way to settings', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await stubBridge(page, { relayUrl: relay.url, token: 'not-a-real-token', wallTheme: 'dark' });
  await page.goto(`${server.origin}/wall.html`);
  await expect(page.getByTestId('bad-token')).toBeVisible();
  await page.getByRole('button', { name: 'Open settings' }).click();
  expect(await page.evaluate(() => (window as any).__ringbackCalls.some((c: any) => c.channel === 'window:open' && c.arg.window === 'settings'))).toBe(true);
  await page.screenshot({ path: path.join(SHOTS, 'wall-bad-token.png') });
});

test('not set up yet: the wall points to settings', async ({ page }) => {
  await stubBridge(page, { relayUrl: null, token: null });
  await page.goto(`${server.origin}/wall.html`);
  await expect(page.getByTestId('not-configured')).toBeVisible();
});
