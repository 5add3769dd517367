import path from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousA11yViolations } from '@ringback/e2e/axe';
import { stubBridge } from './support/bridge-stub.js';
import { withRendererAndRelay } from './support/setup.js';

const SHOTS = path.join(import.meta.dirname, 'artifacts');
const env = withRendererAndRelay();

test('queue window: "Remind me" asks main to keep a reminder for this thread; a reminder fired elsewhere clears it', async ({ page }) => {
  const relay = env.relay();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 440, height: 760 });
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.ana });
  await page.goto(`${env.origin()}/queue.html`);
  await relay.call('+15125551077');
  const threads = await relay.api<{ threads: { id: string; caller: string }[] }>(relay.tokens.ana, 'GET', '/api/threads?status=open');
  const id = threads.body.threads.find((t) => t.caller === '+15125551077')!.id;
  await page.evaluate((threadId) => (window as any).__ringbackEmit('queue:open-thread', { threadId }), id);

  await page.getByRole('button', { name: /Remind me/ }).click();
  await page.getByLabel('At', { exact: true }).fill('14:00');
  await page.getByRole('button', { name: 'Set reminder' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Reminder at (tomorrow )?2:00 PM/ })).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'queue-thread-reminder.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);
  const call = await page.evaluate(() => (window as any).__ringbackCalls.find((c: any) => c.channel === 'alerts:snooze').arg);
  expect(call).toMatchObject({ threadId: id, caller: '(512) 555-1077' });
  expect(call.at).toBeGreaterThan(Date.now());

  // Main fired it (or another window cancelled it): the thread offers a new reminder.
  await page.evaluate(() => (window as any).__ringbackEmit('alerts:snoozes-changed', { snoozes: [] }));
  await expect(page.getByRole('button', { name: /Remind me/ })).toBeVisible();
  expect(errors).toEqual([]);
});
