import path from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousA11yViolations } from '@ringback/e2e/axe';
import { seedAssistantConversation, writeSeedConfig } from '@ringback/relay/testing/assistant-seed';
import { stubBridge } from './support/bridge-stub.js';
import { withRendererAndRelay } from './support/setup.js';

const SHOTS = path.join(import.meta.dirname, 'artifacts');
const TALKING = '+15125551077';
const BOOKED = '+17375550100';

// Two real missed calls and replies on the sandbox line; then, with the relay stopped, the booking assistant's part
// of each conversation written into its data: one still offering times, one booked.
const env = withRendererAndRelay({
  config: writeSeedConfig,
  async prepare(relay) {
    await relay.call(TALKING, false, 'NGUYEN LINH');
    await relay.call(BOOKED);
    await relay.sms(TALKING, 'can I come in tomorrow morning for a cleaning?');
    await relay.sms(BOOKED, 'do you have anything tomorrow morning? need a cleaning');
    await expect.poll(async () => (await relay.api(relay.tokens.ana, 'GET', '/api/threads?status=open')).body.threads?.length).toBe(2);
    await relay.stop();
    await seedAssistantConversation(relay.dir, { caller: TALKING, stage: 'offer' });
    await seedAssistantConversation(relay.dir, { caller: BOOKED, stage: 'booked' });
    await relay.start();
  },
});

test('the split inbox shows the assistant’s conversation, its state and answers, and a booking made by it', async ({ page }) => {
  const relay = env.relay();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 1240, height: 780 });
  await stubBridge(page, { relayUrl: relay.url, token: relay.tokens.riley });
  await page.goto(`${env.origin()}/queue.html`);
  await expect(page.getByTestId('connection')).toHaveText('● live');

  const talking = page.locator('.rb-row', { hasText: 'Linh Nguyen' });
  await expect(talking).toContainText('Assistant');
  await expect(talking).not.toContainText('Unclaimed');
  await talking.click();
  const thread = page.getByRole('region', { name: 'Thread' });
  const card = thread.getByRole('region', { name: 'Booking assistant' });
  await expect(card).toContainText('Assistant is handling this — offering times');
  await expect(card.getByRole('definition')).toHaveText(['Cleaning', 'New patient', '“tomorrow morning”']);
  await expect(thread.locator('.rb-msg[data-kind="assistant"]')).toHaveCount(2);
  await expect(thread.getByText('can I come in tomorrow morning for a cleaning?')).toBeVisible();
  // The newest text, the assistant's offer, is in view without scrolling.
  await expect(thread.locator('.rb-msg[data-kind="assistant"]').last()).toBeInViewport();
  await page.screenshot({ path: path.join(SHOTS, 'inbox-assistant.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole('tab', { name: /Done/ }).click();
  const booked = page.locator('.rb-row', { hasText: '(737) 555-0100' });
  await expect(booked).toContainText(/Booked tomorrow 9:30\sAM/);
  await booked.click();
  await expect(card).toContainText(/Booked: Cleaning · \w{3}, \w{3} \d{1,2} \(tomorrow\) · 9:30\s–\s10:30\sAM C[SD]T/);
  await expect(card).toContainText('Booked by the assistant');
  await expect(card.getByRole('definition')).toHaveText(['Cleaning', 'New patient', '“tomorrow morning”']);
  await expect(thread.locator('.rb-msg[data-kind="assistant"]', { hasText: "You're booked" })).toBeInViewport();
  await page.screenshot({ path: path.join(SHOTS, 'inbox-assistant-booked.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
