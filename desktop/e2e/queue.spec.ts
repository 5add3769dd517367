import path from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousA11yViolations } from '@ringback/e2e/axe';
import { stubBridge } from './support/bridge-stub.js';
import { withRendererAndRelay } from './support/setup.js';

const SHOTS = path.join(import.meta.dirname, 'artifacts');
const env = withRendererAndRelay();

test('missed calls appear in the queue window live; claim and reply work; a notification click opens the thread', async ({ page }) => {
  const relay = env.relay();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 440, height: 760 });
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.ana });
  await page.goto(`${env.origin()}/queue.html`);
  await expect(page.getByTestId('connection')).toHaveText('● live');

  await relay.call('+15125551077');
  await relay.call('+17375550100');
  await relay.sms('+17375550100', 'Is there anything open tomorrow morning?');
  await expect(page.getByText('(512) 555-1077')).toBeVisible();
  await expect(page.getByText('(737) 555-0100')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'queue.png') });

  // A manager's Monthly review asks main to open it (main fetches the single-use link); a refusal is said in words.
  await page.getByRole('button', { name: 'Monthly review' }).click();
  await expect.poll(() => page.evaluate(() => (window as any).__ringbackCalls.filter((c: any) => c.channel === 'review:open').length)).toBe(1);
  await page.evaluate(() => {
    const real = (window as any).ringback.invoke;
    (window as any).ringback.invoke = (c: string, a?: unknown) => (c === 'review:open' ? Promise.resolve({ ok: false, message: 'The relay refused this token. Open Settings.' }) : real(c, a));
  });
  await page.getByRole('button', { name: 'Monthly review' }).click();
  await expect(page.getByRole('alert')).toHaveText("Couldn't open the review: The relay refused this token. Open Settings.");
  await page.screenshot({ path: path.join(SHOTS, 'queue-review-refused.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Main sends queue:open-thread when a notification is clicked.
  const threads = await relay.api<{ threads: { id: string; caller: string }[] }>(relay.tokens.ana, 'GET', '/api/threads?status=open');
  const id = threads.body.threads.find((t) => t.caller === '+17375550100')!.id;
  await page.evaluate((threadId) => (window as any).__ringbackEmit('queue:open-thread', { threadId }), id);
  await expect(page.getByText('Is there anything open tomorrow morning?')).toBeVisible();
  await page.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect.poll(async () => (await relay.api<any>(relay.tokens.ana, 'GET', `/api/threads/${id}`)).body.thread.claim?.staffName).toBe('Ana');
  await page.screenshot({ path: path.join(SHOTS, 'queue-thread.png') });
  expect(errors).toEqual([]);
});
