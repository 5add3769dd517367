import { browser } from 'wxt/browser';
import { readAlertSettings, type AlertChoices, type AlertSettings } from '@ringback/shared/client';

// The whole alert settings in chrome.storage.local (`alerts`), with the full checks: for the background and the
// options page. The side panel only touches the reminders (snooze-store.ts).

export async function loadAlerts(): Promise<AlertSettings> {
  return readAlertSettings((await browser.storage.local.get('alerts'))['alerts']);
}

/** The options page's choices; the reminders set from threads are kept. */
export async function saveAlertChoices(c: AlertChoices): Promise<void> {
  const { snoozes } = await loadAlerts();
  await browser.storage.local.set({ alerts: { ...c, snoozes } satisfies AlertSettings });
}

/** Calls back when the alert settings or reminders change. */
export function onAlertsChanged(fn: (a: AlertSettings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && changes['alerts']) fn(readAlertSettings(changes['alerts'].newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
