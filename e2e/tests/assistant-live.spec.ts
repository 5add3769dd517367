import { test, expect, type Page } from '@playwright/test';
import { withRelayAndProfiles } from '../support/setup';
import { shot } from '../support/extension';

// The demo business as `npm start` opens it, its assistant answering every reply: whole conversations driven through
// the sandbox line, watched live in the side panel.
const env = withRelayAndProfiles('ana');

const row = (page: Page, text: string) => page.locator('.rb-row', { hasText: text });
const textsTo = async (caller: string) => (await env.relay.sent()).filter((m) => m.to === caller).map((m) => m.text);
/** A reply within 5 s of the text-back reads as another machine's auto-reply, which nothing answers: a person is slower. */
const afterTextBack = async (caller: string) => {
  await expect.poll(() => textsTo(caller)).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 5500));
};

test('a caller books with the assistant by text while the panel follows: questions, answers, the booking', async () => {
  const caller = '+15125553001';
  const panel = await env.ana.page('sidepanel.html');
  await expect(panel.getByTestId('connection')).toHaveText('● live');
  await env.relay.call(caller);
  await afterTextBack(caller);
  // A weekday the demo schedule books whatever day the test runs.
  await env.relay.sms(caller, 'can I come in next tuesday morning for a cleaning?');
  await expect.poll(async () => (await textsTo(caller)).at(-1)).toMatch(/new or an existing patient/);

  const r = row(panel, '(512) 555-3001');
  await expect(r).toContainText('Assistant');
  await expect(r).not.toContainText('Unclaimed');
  await r.click();
  const card = panel.getByRole('region', { name: 'Booking assistant' });
  await expect(card).toContainText('Assistant is handling this — asking “Are you a new or an existing patient?”');
  await expect(card.getByRole('definition').first()).toHaveText('Cleaning');

  await env.relay.sms(caller, "I'm new");
  await expect(card).toContainText('Assistant is handling this — offering times');
  await expect(card.getByRole('term')).toHaveText(['Service', 'Are you a new or an existing patient?', 'Wants']);
  await expect(card.getByRole('definition')).toHaveText(['Cleaning', 'New patient', /tuesday morning/i]);
  await expect(panel.locator('.rb-msg[data-kind="assistant"]', { hasText: /^Cleaning: 1\)/ })).toBeVisible();
  await shot(panel, 'assistant-live-offer');

  await env.relay.sms(caller, '2');
  await expect(card).toContainText(/Booked: Cleaning · Tue, \w{3} \d{1,2}( \(tomorrow\))? · \d{1,2}:\d{2}\s–\s\d{1,2}:\d{2}\sAM C[SD]T/);
  await expect(card).toContainText('Booked by the assistant');
  await expect(panel.locator('.rb-thead-top .rb-chip')).toHaveText(/Booked/);
  await expect(panel.locator('.rb-msg[data-kind="assistant"]', { hasText: "You're booked" })).toBeVisible();
  await shot(panel, 'assistant-live-booked');
  await panel.getByRole('button', { name: 'Back to the queue' }).click();
  await panel.getByRole('tab', { name: /Done/ }).click();
  await expect(row(panel, '(512) 555-3001')).toContainText(/Booked \S+( \d+)? \d{1,2}:\d{2}\sAM/);
  await panel.close();
});

test('Take over mid-conversation: the relay hands the caller to staff and the assistant goes quiet', async () => {
  const caller = '+15125553002';
  const panel = await env.ana.page('sidepanel.html');
  await env.relay.call(caller);
  await afterTextBack(caller);
  await env.relay.sms(caller, 'hi, do you have anything next week?');
  await expect.poll(async () => (await textsTo(caller)).at(-1)).toMatch(/What can we help you with/);
  await row(panel, '(512) 555-3002').click();
  const card = panel.getByRole('region', { name: 'Booking assistant' });
  await expect(card).toContainText('Assistant is handling this — asking which service');
  await card.getByRole('button', { name: 'Take over' }).click();
  await expect(card).toContainText('Assistant handed this to staff — Claimed by Ana');
  await expect(panel.locator('.rb-thead-top .rb-chip')).toHaveText(/You/);
  const open = await env.relay.api(env.relay.tokens.ana, 'GET', '/api/threads?status=open');
  expect(open.body.threads.find((t: { caller: string }) => t.caller === caller).assistant.handedOff.reason).toBe('claimed');
  // The caller answers the question anyway: the assistant does not text again.
  const before = (await textsTo(caller)).length;
  await env.relay.sms(caller, 'a cleaning');
  await expect(panel.locator('.rb-msg[data-dir="in"]', { hasText: 'a cleaning' })).toBeVisible();
  await new Promise((r) => setTimeout(r, 1500));
  expect(await textsTo(caller)).toHaveLength(before);
  await shot(panel, 'assistant-live-taken-over');
  await panel.close();
});
