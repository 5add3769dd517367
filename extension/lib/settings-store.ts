import { browser } from 'wxt/browser';
import { readAlertSettings, setSnooze, type AlertChoices, type AlertSettings, type RelaySettings, type Snooze } from '@ringback/shared/client';

/** chrome.storage.local keys: `relayUrl` and `token` are the contract (DESIGN "Client settings"). */
export interface StoredSettings {
  relayUrl?: string;
  token?: string;
  /** Desktop notifications on (default) or off. */
  notifications?: boolean;
  /** Sounds, urgent only, quiet times and thread reminders (shared alert rules); checked on every read. */
  alerts?: unknown;
}

export async function loadSettings(): Promise<RelaySettings | null> {
  const s = (await browser.storage.local.get(['relayUrl', 'token'])) as StoredSettings;
  return s.relayUrl && s.token ? { relayUrl: s.relayUrl, token: s.token } : null;
}

export async function saveSettings(s: RelaySettings, notifications: boolean): Promise<void> {
  await browser.storage.local.set({ relayUrl: s.relayUrl, token: s.token, notifications } satisfies StoredSettings);
}

export async function notificationsEnabled(): Promise<boolean> {
  const s = (await browser.storage.local.get('notifications')) as StoredSettings;
  return s.notifications !== false;
}

/** Calls back when the relay URL or token changes. */
export function onSettingsChanged(fn: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && ('relayUrl' in changes || 'token' in changes)) fn();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

export async function loadAlerts(): Promise<AlertSettings> {
  const s = (await browser.storage.local.get('alerts')) as StoredSettings;
  return readAlertSettings(s.alerts);
}

/** The options page's choices; the reminders set from threads are kept. */
export async function saveAlertChoices(c: AlertChoices): Promise<void> {
  const { snoozes } = await loadAlerts();
  await browser.storage.local.set({ alerts: { ...c, snoozes } satisfies AlertSettings });
}

export async function updateSnoozes(fn: (list: Snooze[]) => Snooze[]): Promise<Snooze[]> {
  const a = await loadAlerts();
  const snoozes = fn(a.snoozes);
  await browser.storage.local.set({ alerts: { ...a, snoozes } satisfies AlertSettings });
  return snoozes;
}

export const addSnooze = (s: Snooze) => updateSnoozes((list) => setSnooze(list, s));

/** Calls back when the alert settings or reminders change. */
export function onAlertsChanged(fn: (a: AlertSettings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && changes['alerts']) fn(readAlertSettings(changes['alerts'].newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
