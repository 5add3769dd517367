import { test, expect } from '@playwright/test';
import path from 'node:path';
import { withRelayAndProfiles } from '../support/setup';
import { ARTIFACTS, shot } from '../support/extension';

// The monthly review, opened from the side panel the way a manager would: a new browser tab on a single-use link.
const env = withRelayAndProfiles('ana', 'riley');

const monthWords = (d: Date) => d.toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'America/Chicago' });

test('a manager opens this month’s review in a tab; it reads well on screen and in print, and its link works once', async () => {
  await env.relay.call('+15125551077');
  await env.relay.call('+15125550142', { voicemail: 42 });
  const panel = await env.ana.page('sidepanel.html');
  await expect(panel.locator('.rb-row')).toHaveCount(2);
  await shot(panel, 'panel-review-button');

  const [tab] = await Promise.all([env.ana.context.waitForEvent('page'), panel.getByRole('button', { name: 'Monthly review' }).click()]);
  await tab.waitForLoadState('load');
  const month = monthWords(new Date());
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText(`Monthly review · ${month}`);
  // The single-use token is gone from the address once the page is open.
  expect(tab.url()).toMatch(/\/reports\/monthly\?month=\d{4}-\d{2}$/);
  await expect(tab.getByText('no earlier month to compare')).toBeVisible();
  await expect(tab.getByText('$99 plan a month', { exact: false })).toBeVisible();
  await tab.setViewportSize({ width: 1000, height: 900 });
  await shot(tab, 'monthly-review');
  await tab.screenshot({ path: path.join(ARTIFACTS, 'monthly-review-full.png'), fullPage: true });
  await tab.emulateMedia({ media: 'print' });
  await expect(tab.getByRole('navigation', { name: 'Months' })).toBeHidden();
  await tab.screenshot({ path: path.join(ARTIFACTS, 'monthly-review-print.png'), fullPage: true });
  await tab.emulateMedia({ media: 'screen' });

  // The month picker keeps working in the same tab.
  await tab.getByRole('link', { name: /^← / }).click();
  await expect(tab.getByRole('heading', { level: 1 })).toHaveText(/^Monthly review · \w+ \d{4}$/);
  await expect(tab.getByRole('heading', { level: 1 })).not.toHaveText(`Monthly review · ${month}`);
  await expect(tab.getByRole('link', { name: /→$/ })).toBeVisible();
  await tab.close();

  // The link itself was spent: another browser (no cookie) opening it is told so in a page.
  const link = (await env.relay.api(env.relay.tokens.ana, 'POST', '/api/reports/monthly/link', {})).body.path as string;
  const other = await env.riley.context.newPage();
  expect((await other.goto(env.relay.url + link))!.status()).toBe(200);
  const again = await other.goto(env.relay.url + link);
  expect(again!.status()).toBe(410);
  await expect(other.getByText('already opened')).toBeVisible();
  await shot(other, 'monthly-review-link-used');
  await other.close();
  await panel.close();
});

test('a receptionist is offered no review, and a link for them is refused', async () => {
  const panel = await env.riley.page('sidepanel.html');
  await expect(panel.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(panel.locator('.rb-row').first()).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Monthly review' })).toHaveCount(0);
  expect((await env.relay.api(env.relay.tokens.riley, 'POST', '/api/reports/monthly/link', {})).status).toBe(403);
  await panel.close();
});
