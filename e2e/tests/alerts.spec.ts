import { test, expect, type Page } from '@playwright/test';
import { withRelayAndProfiles } from '../support/setup';
import { shot } from '../support/extension';

// Alert settings on the options page, and a reminder set from a thread that becomes an alarm and fires.
const env = withRelayAndProfiles('ana');

const worker = () => env.ana.context.serviceWorkers()[0]!;
const stored = () => worker().evaluate(async () => (await chrome.storage.local.get('alerts'))['alerts']);
const row = (page: Page, text: string) => page.locator('.rb-row', { hasText: text });

for (const theme of ['light', 'dark'] as const) {
  test(`options: sounds, urgent only and quiet times are saved, keeping the env.relay settings (${theme})`, async () => {
    const page = await env.ana.page('options.html');
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width: 560, height: 1100 });
    await page.getByLabel('Urgent sound', { exact: true }).selectOption('chime');
    await page.getByLabel('Urgent callers only').setChecked(theme === 'light');
    if (theme === 'light') {
      await page.getByRole('button', { name: 'Add quiet time' }).click();
      const q = page.getByRole('group', { name: 'Quiet time 1' });
      await q.getByLabel('From').fill('22:00');
      await q.getByLabel('to', { exact: true }).fill('07:00');
      await q.getByLabel('What quiet time 1 holds back').selectOption('mute-all');
    }
    await shot(page, `options-alerts-${theme}`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('options-result')).toContainText('Saved');
    expect(await stored()).toMatchObject({
      sound: 'chime',
      urgentSound: 'chime',
      urgentOnly: theme === 'light',
      quietTimes: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '22:00', to: '07:00', mode: 'mute-all' }],
      snoozes: [],
    });
    await page.close();
  });
}

test('a reminder set from a thread is an alarm, survives in storage, and fires a notification for that thread', async () => {
  await env.relay.call('+15125551077');
  const panel = await env.ana.page('sidepanel.html');
  await row(panel, '(512) 555-1077').click();
  await panel.getByRole('button', { name: /Remind me/ }).click();
  await panel.getByRole('button', { name: 'In 30 min' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Reminder at' })).toBeVisible();
  await shot(panel, 'thread-reminder');

  const snoozes = (await stored()).snoozes as { threadId: string; at: number }[];
  expect(snoozes).toHaveLength(1);
  const soon = Date.now() + 30 * 60_000;
  expect(Math.abs(snoozes[0]!.at - soon)).toBeLessThan(60_000);
  await expect.poll(() => worker().evaluate(async () => (await chrome.alarms.getAll()).map((a: { name: string }) => a.name).filter((n: string) => n.startsWith('remind:')))).toEqual([`remind:${snoozes[0]!.threadId}`]);

  // Cancelling clears the alarm.
  await panel.getByRole('button', { name: 'Cancel reminder' }).click();
  await expect.poll(() => worker().evaluate(async () => (await chrome.alarms.getAll()).filter((a: { name: string }) => a.name.startsWith('remind:')).length)).toBe(0);

  // A reminder that is due fires: its notification carries the thread's id (a click opens it) and it leaves the list.
  const threadId = snoozes[0]!.threadId;
  await worker().evaluate(async (id) => {
    const a = (await chrome.storage.local.get('alerts'))['alerts'];
    await chrome.storage.local.set({ alerts: { ...a, snoozes: [{ threadId: id, at: Date.now(), caller: '(512) 555-1077' }] } });
  }, threadId);
  await expect.poll(() => worker().evaluate(async () => Object.keys(await chrome.notifications.getAll())), { timeout: 20_000 }).toContain(threadId);
  await expect.poll(async () => ((await stored()).snoozes as unknown[]).length).toBe(0);
  await panel.close();
});
