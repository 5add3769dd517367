import path from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousA11yViolations } from '@ringback/e2e/axe';
import { stubBridge } from './support/bridge-stub.js';
import { serveRenderer } from './support/renderer-server.js';

const SHOTS = path.join(import.meta.dirname, 'artifacts');
let server: Awaited<ReturnType<typeof serveRenderer>>;

test.beforeAll(async () => {
  server = await serveRenderer(() => null);
});
test.afterAll(async () => server?.close());

for (const theme of ['light', 'dark'] as const) {
  test(`settings: alert sounds, urgent only and quiet times are saved with the form (${theme})`, async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width: 520, height: 900 });
    await stubBridge(page, { relayUrl: 'https://relay.example.com', token: 'tok' });
    await page.goto(`${server.origin}/settings.html`);

    await page.getByLabel('Sound', { exact: true }).selectOption('bell');
    await page.getByLabel('Urgent callers only').check();
    await page.getByRole('button', { name: 'Add quiet time' }).click();
    const q = page.getByRole('group', { name: 'Quiet time 1' });
    await q.getByLabel('Sat').check();
    await q.getByLabel('From').fill('22:00');
    await q.getByLabel('to', { exact: true }).fill('07:00');
    await q.getByLabel('What quiet time 1 holds back').selectOption('no-popups');
    await page.screenshot({ path: path.join(SHOTS, `settings-alerts-${theme}.png`), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('✓ Saved')).toBeVisible();
    const saved = await page.evaluate(() => (window as any).__ringbackCalls.find((c: any) => c.channel === 'settings:save').arg);
    expect(saved.alerts).toEqual({
      sound: 'bell',
      urgentSound: 'bell',
      urgentOnly: true,
      quietTimes: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '22:00', to: '07:00', mode: 'no-popups' }],
    });
    expect(errors).toEqual([]);
  });
}
