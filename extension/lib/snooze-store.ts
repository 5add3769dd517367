import { browser } from 'wxt/browser';
import { setSnooze, storedSnoozes, type Snooze } from '@ringback/shared/client';

// Thread reminders in chrome.storage.local (`alerts.snoozes`), for the side panel: no zod here, so the panel's
// bundle stays small; the background reads the whole `alerts` object with the full checks.

export async function loadSnoozes(): Promise<Snooze[]> {
  return storedSnoozes((await browser.storage.local.get('alerts'))['alerts']);
}

/** Changes the reminder list and keeps the rest of the alert settings as they are. */
export async function updateSnoozes(fn: (list: Snooze[]) => Snooze[]): Promise<Snooze[]> {
  const raw = (await browser.storage.local.get('alerts'))['alerts'];
  const snoozes = fn(storedSnoozes(raw));
  const rest = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  await browser.storage.local.set({ alerts: { ...rest, snoozes } });
  return snoozes;
}

export const addSnooze = (s: Snooze) => updateSnoozes((list) => setSnooze(list, s));

export function onSnoozesChanged(fn: (list: Snooze[]) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && changes['alerts']) fn(storedSnoozes(changes['alerts'].newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
