import { test, expect, type Page } from '@playwright/test';
import { withRelayAndProfiles } from '../support/setup';
import { configure, shot } from '../support/extension';

// Every state of the side panel, with a screenshot each under e2e/artifacts/ for a human to look at.
const env = withRelayAndProfiles('ana');

const row = (page: Page, text: string) => page.locator('.rb-row', { hasText: text });

test('loading shows skeleton rows, never a blank panel', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await env.ana.context.route('**/api/threads?status=open*', async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  const panel = await env.ana.page('sidepanel.html');
  await expect(panel.getByLabel('Loading the queue')).toBeVisible();
  await shot(panel, 'loading');
  await env.ana.context.unroute('**/api/threads?status=open*');
  release();
  await expect(panel.getByText('All caught up')).toBeVisible();
  await panel.close();
});

test('a busy queue, a landline, an opted-out caller', async () => {
  await env.relay.call('+15125551077');
  await env.relay.call('+15125550142', { voicemail: 42 });
  await env.relay.call('+17375550100', { landline: true });
  await env.relay.call('+12145550123');
  await env.relay.call('+15125550188');
  await env.relay.call('+15125550177');
  await env.relay.sms('+15125551077', 'our basement is flooding, please call');
  const open = await env.relay.api(env.relay.tokens.riley, 'GET', '/api/threads?status=open');
  const byCaller = (c: string) => open.body.threads.find((t: { caller: string }) => t.caller === c).id;
  await env.relay.api(env.relay.tokens.riley, 'POST', `/api/threads/${byCaller('+12145550123')}/claim`);
  await env.relay.api(env.relay.tokens.ana, 'POST', `/api/threads/${byCaller('+15125550188')}/claim`);

  const panel = await env.ana.page('sidepanel.html');
  await panel.getByRole('tab', { name: /All/ }).click();
  await expect(panel.locator('.rb-row')).toHaveCount(6);
  await expect(row(panel, '(737) 555-0100')).toContainText('Landline · call back');
  await expect(row(panel, '(214) 555-0123')).toContainText('Riley');
  await shot(panel, 'busy-queue');

  // Landline: no texting, call back by phone.
  await row(panel, '(737) 555-0100').click();
  await expect(panel.getByTestId('composer-blocked')).toContainText("can't receive texts");
  await shot(panel, 'landline-caller');
  await panel.getByRole('button', { name: 'Back to the queue' }).click();

  // Opted out: the caller texts STOP; the composer says why it is off.
  await env.relay.sms('+15125550177', 'STOP');
  await row(panel, '(512) 555-0177').click();
  await expect(panel.getByTestId('composer-blocked')).toContainText('opted out');
  await shot(panel, 'opted-out-caller');

  // Keyboard: back to the queue, move with j/k.
  await panel.keyboard.press('Escape');
  await panel.keyboard.press('j');
  await expect(panel.locator('.rb-row[aria-current="true"]')).toHaveCount(1);
  await panel.close();
});

test('at 320 px, at 150 % zoom and in dark mode every tab and the callers\' words stay readable', async () => {
  const panel = await env.ana.page('sidepanel.html');
  await panel.getByRole('tab', { name: /All/ }).click();
  await expect(panel.locator('.rb-row')).toHaveCount(6);
  // 320 px wide, and a 400 px panel at 150 % zoom (267 CSS px).
  for (const width of [320, 267]) {
    await panel.setViewportSize({ width, height: 640 });
    const fit = await panel.evaluate(() => ({
      sideways: document.scrollingElement!.scrollWidth > document.scrollingElement!.clientWidth,
      doneTabInside: document.querySelector('[data-view="done"]')!.getBoundingClientRect().right <= window.innerWidth,
      narrowestSnippet: Math.min(...Array.from(document.querySelectorAll('.rb-snippet'), (e) => e.getBoundingClientRect().width)),
    }));
    expect(fit, `at ${width} px`).toEqual({ sideways: false, doneTabInside: true, narrowestSnippet: expect.any(Number) });
    expect(fit.narrowestSnippet, `snippets at ${width} px`).toBeGreaterThan(width * 0.5);
    await shot(panel, `narrow-${width}`);
  }
  await panel.setViewportSize({ width: 400, height: 720 });
  await panel.emulateMedia({ colorScheme: 'dark' });
  await shot(panel, 'busy-queue-dark');
  await row(panel, '(512) 555-1077').click();
  await shot(panel, 'thread-dark');
  await panel.emulateMedia({ colorScheme: 'light' });
  await panel.close();
});

test('relay unreachable keeps the last queue, marked stale, then resyncs', async () => {
  const panel = await env.ana.page('sidepanel.html');
  await panel.getByRole('tab', { name: /All/ }).click();
  await expect(panel.locator('.rb-row')).toHaveCount(6);
  await env.relay.stop();
  await expect(panel.getByTestId('offline-banner')).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId('offline-banner')).toContainText(/Retrying/);
  await expect(panel.locator('.rb-list')).toHaveAttribute('data-stale', 'true');
  await shot(panel, 'relay-unreachable');
  await env.relay.start();
  // Changes made while we were away arrive through the resync by seq.
  await env.relay.call('+15125550199');
  // The backoff may reconnect on its own first; the button only cuts the wait short.
  await panel.getByRole('button', { name: 'Retry now' }).click({ timeout: 2000 }).catch(() => {});
  await expect(panel.getByTestId('connection')).toHaveText('● live', { timeout: 30_000 });
  await expect(row(panel, '(512) 555-0199')).toBeVisible();
  await panel.close();
});

test('a bad token shows a path to settings', async () => {
  await configure(env.ana, env.relay.url, 'rb_not-a-real-token');
  const panel = await env.ana.page('sidepanel.html');
  await expect(panel.getByTestId('bad-token')).toBeVisible();
  await shot(panel, 'bad-token');
  const [options] = await Promise.all([env.ana.context.waitForEvent('page'), panel.getByRole('button', { name: 'Open settings' }).click()]);
  await expect(options).toHaveURL(/options\.html/);
  await panel.close();
});
