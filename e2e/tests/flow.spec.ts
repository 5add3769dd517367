import { test, expect, type Page } from '@playwright/test';
import { startSandboxRelay, type SandboxRelay } from '../support/relay';
import { configure, launchProfile, shot, type Profile } from '../support/extension';

const CALLER = '+15125551077';
const CALLER_SHOWN = '(512) 555-1077';

let relay: SandboxRelay;
let ana: Profile;
let riley: Profile;

test.beforeAll(async () => {
  relay = await startSandboxRelay();
  ana = await launchProfile();
  riley = await launchProfile();
});
test.afterAll(async () => {
  await ana?.close();
  await riley?.close();
  await relay?.dispose();
});

const row = (page: Page, text: string) => page.locator('.rb-row', { hasText: text });
const badge = (p: Profile) =>
  p.context.serviceWorkers()[0]!.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    color: await chrome.action.getBadgeBackgroundColor({}),
  }));

test('missed call → claim → colleague sees it → reply delivered → caller replies', async () => {
  expect(await configure(ana, relay.url, relay.tokens.ana)).toContain('Connected as Ana (manager)');
  expect(await configure(riley, relay.url, relay.tokens.riley)).toContain('Connected as Riley (receptionist)');

  const panel = await ana.page('sidepanel.html');
  const other = await riley.page('sidepanel.html');
  await expect(panel.getByTestId('connection')).toHaveText('● live');
  await expect(other.getByTestId('connection')).toHaveText('● live');
  await expect(panel.getByText('All caught up')).toBeVisible();
  await shot(panel, 'empty-queue');

  // A missed call on the sandbox line appears in both panels without a reload.
  await relay.call(CALLER);
  await expect(row(panel, CALLER_SHOWN)).toBeVisible();
  await expect(row(other, CALLER_SHOWN)).toBeVisible();
  await expect(row(panel, CALLER_SHOWN)).toContainText('Unclaimed');
  await expect(row(panel, CALLER_SHOWN)).toContainText(/Texted|Delivered/);
  await expect.poll(async () => (await badge(ana)).text).toBe('1');

  // Ana claims; Riley (watching All open) sees the claimant at once and cannot claim.
  await other.getByRole('tab', { name: /All/ }).click();
  await row(panel, CALLER_SHOWN).click();
  await panel.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(panel.locator('.rb-thead-top .rb-chip')).toHaveText(/You/);
  await expect(row(other, CALLER_SHOWN)).toContainText('Ana');
  await expect.poll(async () => (await badge(ana)).text).toBe('');
  await row(other, CALLER_SHOWN).click();
  await expect(other.getByRole('button', { name: /Claim/ })).toHaveCount(0);
  await expect(other.getByText('Ana is handling this caller.').first()).toBeVisible();
  await expect(other.getByTestId('composer-blocked')).toContainText('Ana is handling this caller');
  const open = await relay.api(relay.tokens.riley, 'GET', '/api/threads?status=open');
  const id = open.body.threads.find((t: { caller: string }) => t.caller === CALLER).id;
  expect((await relay.api(relay.tokens.riley, 'POST', `/api/threads/${id}/claim`)).status).toBe(409);
  await shot(other, 'thread-claimed-by-colleague');

  // Ana replies; the sandbox line receives the SMS and the message shows delivered.
  const text = 'Hi! This is Ana from Bright Smile. Does 3pm today work for a call?';
  await panel.getByLabel('Text to the caller').fill(text);
  await expect(panel.getByTestId('segments')).toContainText('1 SMS');
  await panel.getByRole('button', { name: 'Send text' }).click();
  await expect.poll(async () => (await relay.sent()).some((m) => m.text.includes('Does 3pm today work') && m.to === CALLER)).toBe(true);
  const bubble = panel.locator('.rb-msg', { hasText: 'Does 3pm today work' });
  await expect(bubble.locator('.rb-status')).toHaveText(/Delivered/);

  // The caller answers: Ana's thread updates live, the row shows the reply, Riley's badge stays unclaimed-free.
  await relay.sms(CALLER, 'Yes 3pm is great, thanks');
  await expect(panel.locator('.rb-msg[data-dir="in"]', { hasText: 'Yes 3pm is great' })).toBeVisible();
  await shot(panel, 'thread-view');
  await panel.getByRole('button', { name: 'Back to the queue' }).click();
  await panel.getByRole('tab', { name: /Mine/ }).click();
  await expect(row(panel, CALLER_SHOWN)).toContainText('Yes 3pm is great');

  // A new caller replies to nobody's thread: the badge counts it and turns red once past the SLA.
  await relay.call('+15125552000');
  await expect.poll(async () => (await badge(riley)).text).toBe('1');
  await relay.sms('+15125552000', 'Are you open Saturday?');
  await other.getByRole('button', { name: 'Back to the queue' }).click();
  await other.getByRole('tab', { name: /Unclaimed/ }).click();
  await expect(row(other, '(512) 555-2000')).toContainText('Are you open Saturday?');
  await expect.poll(async () => (await badge(riley)).text).toBe('1');
});
