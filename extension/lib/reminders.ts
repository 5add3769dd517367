import { browser } from 'wxt/browser';
import type { Snooze } from '@ringback/shared/client';
import { REMIND_PREFIX } from './notify-rules';

/**
 * One chrome.alarms alarm per thread reminder (`remind:<threadId>`), kept in step with the list in storage: alarms
 * survive the service worker stopping, and a browser restart fires the ones that came due meanwhile.
 */
export async function syncReminderAlarms(list: readonly Snooze[]): Promise<void> {
  const want = new Map(list.map((s) => [REMIND_PREFIX + s.threadId, s.at]));
  for (const a of await browser.alarms.getAll()) {
    if (!a.name.startsWith(REMIND_PREFIX)) continue;
    if (want.get(a.name) !== a.scheduledTime) await browser.alarms.clear(a.name);
    else want.delete(a.name);
  }
  for (const [name, when] of want) await browser.alarms.create(name, { when: Math.max(when, Date.now() + 1000) });
}
