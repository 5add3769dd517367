import path from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousA11yViolations } from '@ringback/e2e/axe';
import { stubBridge } from './support/bridge-stub.js';
import { withRendererAndRelay } from './support/setup.js';

const SHOTS = path.join(import.meta.dirname, 'artifacts');
const env = withRendererAndRelay();

test('a wide queue window is a split inbox: list, conversation and caller details; search narrows the list', async ({ page }) => {
  const relay = env.relay();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 1240, height: 780 });
  const contact = await relay.api(relay.tokens.ana, 'POST', '/api/contacts', {
    name: 'Robert Smith',
    phone: '+15125551077',
    tags: ['insurance-delta'],
    notes: 'Prefers mornings. Nervous patient.',
    customerSince: '2021-04-12',
  });
  expect(contact.status).toBe(201);
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.ana });
  await page.goto(`${env.origin()}/queue.html`);
  await expect(page.getByTestId('connection')).toHaveText('● live');

  await relay.call('+15125551077');
  await relay.call('+17375550100');
  await relay.call('+15125550142');
  await relay.sms('+15125551077', 'my gum is bleeding and swollen, can someone call me');
  const urgentRow = page.locator('.rb-row[data-urgent="true"]');
  await expect(urgentRow).toHaveCount(1);
  await expect(page.locator('.rb-row').first()).toHaveAttribute('data-urgent', 'true');
  await expect(page.getByText('Pick a caller')).toBeVisible();

  await urgentRow.click();
  const banner = page.getByRole('alert');
  await expect(banner).toContainText('Urgent');
  await expect(banner.locator('mark')).toHaveText(['bleeding', 'swollen']);
  const sidebar = page.getByRole('complementary', { name: 'Caller details' });
  await expect(sidebar).toContainText('Robert Smith');
  await expect(sidebar).toContainText('Customer since');
  await expect(sidebar).toContainText('Prefers mornings. Nervous patient.');
  await expect(page.getByRole('region', { name: 'Thread' }).getByRole('heading', { level: 2, name: 'Robert Smith' })).toBeFocused();
  // The newest text is in view without scrolling.
  await expect(page.getByText('my gum is bleeding and swollen, can someone call me').last()).toBeInViewport();
  await page.screenshot({ path: path.join(SHOTS, 'inbox-split.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole('searchbox', { name: 'Search callers by name or number' }).fill('737');
  await expect(page.locator('.rb-row')).toHaveCount(1);
  await expect(page.locator('.rb-row')).toContainText('(737) 555-0100');
  await page.getByRole('searchbox').fill('zzz');
  await expect(page.getByText('No callers match')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'inbox-search.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Bulk: pick two callers and resolve them in one go.
  await page.getByRole('searchbox').fill('');
  await page.getByRole('button', { name: 'Select', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Select (737) 555-0100' }).check();
  await page.getByRole('checkbox', { name: 'Select (512) 555-0142' }).check();
  const bulk = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bulk).toContainText('2 selected');
  await page.screenshot({ path: path.join(SHOTS, 'inbox-bulk.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);
  await bulk.getByRole('combobox', { name: 'Outcome for the selected callers' }).selectOption('no-answer');
  await bulk.getByRole('button', { name: 'Resolve' }).click();
  await expect(bulk).toHaveCount(0);
  await expect(page.locator('.rb-row')).toHaveCount(1);
  await expect(page.locator('.rb-row')).toContainText('Robert Smith');
  expect(errors).toEqual([]);
});
