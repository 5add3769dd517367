import { browser } from 'wxt/browser';

/** Key under which "show this thread" is handed to the side panel (it may not be open yet). */
export const OPEN_THREAD_KEY = 'openThread';
const FRESH_MS = 60_000;

export async function requestOpenThread(threadId: string): Promise<void> {
  await browser.storage.local.set({ [OPEN_THREAD_KEY]: { id: threadId, at: Date.now() } });
}

/** The thread asked for recently (page load), then every new ask. */
export function watchOpenThread(fn: (id: string) => void): () => void {
  const take = (v: unknown) => {
    const r = v as { id?: unknown; at?: unknown } | undefined;
    if (r && typeof r.id === 'string' && typeof r.at === 'number' && Date.now() - r.at < FRESH_MS) fn(r.id);
  };
  const fromUrl = new URLSearchParams(location.search).get('thread');
  if (fromUrl) fn(fromUrl);
  else void browser.storage.local.get(OPEN_THREAD_KEY).then((s) => take(s[OPEN_THREAD_KEY]));
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && changes[OPEN_THREAD_KEY]) take(changes[OPEN_THREAD_KEY].newValue);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
