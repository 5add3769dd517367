import { browser } from 'wxt/browser';
import type { RelaySettings } from '@ringback/shared/client';

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
