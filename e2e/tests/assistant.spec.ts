import { test, expect, type Page } from '@playwright/test';
import { seedAssistantConversation, writeSeedConfig } from '@ringback/relay/testing/assistant-seed';
import { startSandboxRelay, type SandboxRelay } from '../support/relay';
import { configure, launchProfile, shot, type Profile } from '../support/extension';

// The side panel with a booking assistant's conversation: the relay takes two real missed calls and replies on the
// sandbox line, then (stopped) gets the assistant's part of each written into its data, and starts again.
const TALKING = '+15125551077';
const BOOKED = '+15125550142';

let relay: SandboxRelay;
let ana: Profile;

test.beforeAll(async () => {
  relay = await startSandboxRelay({ config: writeSeedConfig });
  for (const caller of [TALKING, BOOKED]) {
    await relay.call(caller);
    await relay.sms(caller, 'can I come in tomorrow morning for a cleaning?');
  }
  await expect.poll(async () => (await relay.api(relay.tokens.ana, 'GET', '/api/threads?status=open')).body.threads?.length).toBe(2);
  // Both text-backs went out before the relay stops.
  await expect.poll(async () => (await relay.sent()).filter((m) => m.to === TALKING || m.to === BOOKED).length).toBeGreaterThanOrEqual(2);
  await relay.stop();
  await seedAssistantConversation(relay.dir, { caller: TALKING, stage: 'offer' });
  await seedAssistantConversation(relay.dir, { caller: BOOKED, stage: 'booked' });
  await relay.start();
  ana = await launchProfile();
  expect(await configure(ana, relay.url, relay.tokens.ana)).toContain('Connected as Ana (manager)');
});
test.afterAll(async () => {
  await ana?.close();
  await relay?.dispose();
});

const row = (page: Page, text: string) => page.locator('.rb-row', { hasText: text });

test('the side panel shows the assistant at work, its answers and times, and Take over hands the caller to staff', async () => {
  const panel = await ana.page('sidepanel.html');
  await expect(panel.getByTestId('connection')).toHaveText('● live');
  const talking = row(panel, '(512) 555-1077');
  await expect(talking).toContainText('Assistant');
  await expect(talking).not.toContainText('Unclaimed');
  await expect(talking).toContainText('Assistant: “I can offer tomorrow');
  await shot(panel, 'assistant-queue');

  await talking.click();
  const card = panel.getByRole('region', { name: 'Booking assistant' });
  await expect(card).toContainText('Assistant is handling this — offering times');
  await expect(card.getByRole('term')).toHaveText(['Service', 'Are you a new or existing patient?', 'Wants']);
  await expect(card.getByRole('definition')).toHaveText(['Cleaning', 'New patient', '“tomorrow morning”']);
  // The times offered are the newest text, in view below the card.
  await expect(panel.locator('.rb-msg[data-kind="assistant"]', { hasText: 'I can offer tomorrow' })).toBeInViewport();
  // The whole conversation: the caller's words, the text-back, the assistant's texts marked as its own.
  await expect(panel.locator('.rb-msg[data-kind="assistant"]')).toHaveCount(2);
  await expect(panel.locator('.rb-msg[data-kind="assistant"] .rb-meta').first()).toContainText('Assistant');
  await expect(panel.locator('.rb-msg[data-kind="text-back"] .rb-meta')).toContainText('Auto text-back');
  await expect(panel.locator('.rb-msg[data-dir="in"]', { hasText: 'tomorrow morning for a cleaning' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Claim', exact: true })).toHaveCount(0);
  await expect(panel.locator('.rb-thead-top .rb-chip')).toHaveText(/Assistant/);
  await shot(panel, 'assistant-thread');
  // Dark, and a 320 px panel (and a 400 px one at 150 % zoom): the card fits, the conversation keeps room below it.
  await panel.emulateMedia({ colorScheme: 'dark' });
  await shot(panel, 'assistant-thread-dark');
  await panel.emulateMedia({ colorScheme: 'light' });
  for (const width of [320, 267]) {
    await panel.setViewportSize({ width, height: 640 });
    const fit = await panel.evaluate(() => ({
      sideways: document.scrollingElement!.scrollWidth > document.scrollingElement!.clientWidth,
      takeOverInside: document.querySelector('.rb-assist .rb-btn')!.getBoundingClientRect().right <= window.innerWidth,
      timeline: document.querySelector('.rb-timeline')!.getBoundingClientRect().height,
    }));
    expect(fit, `at ${width} px`).toEqual({ sideways: false, takeOverInside: true, timeline: expect.any(Number) });
    expect(fit.timeline, `conversation height at ${width} px`).toBeGreaterThan(80);
    await shot(panel, `assistant-thread-${width}`);
  }
  await panel.setViewportSize({ width: 400, height: 720 });

  await card.getByRole('button', { name: 'Take over' }).click();
  await expect(card).toContainText('Assistant handed this to staff — Claimed by Ana');
  await expect(card.getByRole('button', { name: 'Take over' })).toHaveCount(0);
  await expect(panel.locator('.rb-thead-top .rb-chip')).toHaveText(/You/);
  // The answers stay for whoever took over.
  await expect(card.getByRole('definition').first()).toHaveText('Cleaning');
  const open = await relay.api(relay.tokens.ana, 'GET', '/api/threads?status=open');
  expect(open.body.threads.find((t: { caller: string }) => t.caller === TALKING).claim.staffName).toBe('Ana');
  await shot(panel, 'assistant-taken-over');
  await panel.close();
});

test('a thread the assistant booked shows the booking in the location’s zone and who made it', async () => {
  const panel = await ana.page('sidepanel.html');
  await panel.getByRole('tab', { name: /Done/ }).click();
  const booked = row(panel, '(512) 555-0142');
  await expect(booked).toContainText(/Booked tomorrow 9:30\WAM/);
  await shot(panel, 'assistant-booked-queue');
  await booked.click();
  const card = panel.getByRole('region', { name: 'Booking assistant' });
  await expect(card).toContainText(/Booked: Cleaning · \w{3}, \w{3} \d{1,2} \(tomorrow\) · 9:30\W+–\W+10:30\WAM C[SD]T/);
  await expect(card).toContainText('Booked by the assistant');
  await expect(card).not.toContainText('handling this');
  await expect(panel.locator('.rb-msg[data-kind="assistant"]', { hasText: "You're booked" })).toBeVisible();
  await shot(panel, 'assistant-booked-thread');
  await panel.close();
});
