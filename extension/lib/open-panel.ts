import { browser } from 'wxt/browser';

/**
 * Open the side panel (Chrome/Edge) or sidebar (Firefox). Must run inside a user gesture;
 * when the browser refuses, fall back to the panel page in a tab so the click is never lost.
 */
export async function openPanel(windowId?: number, threadId?: string): Promise<void> {
  const b = browser as unknown as {
    sidePanel?: { open(o: { windowId: number }): Promise<void> };
    sidebarAction?: { open(): Promise<void> };
  };
  try {
    if (b.sidebarAction) return await b.sidebarAction.open();
    if (b.sidePanel) {
      const id = windowId ?? (await browser.windows.getLastFocused()).id;
      if (id !== undefined) return await b.sidePanel.open({ windowId: id });
    }
  } catch {
    // Not a user gesture any more, or no side panel support: use a tab.
  }
  const url = browser.runtime.getURL('/sidepanel.html') + (threadId ? `?thread=${encodeURIComponent(threadId)}` : '');
  await browser.tabs.create({ url });
}
