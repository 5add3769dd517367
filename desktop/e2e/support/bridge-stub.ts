import type { Page } from '@playwright/test';
import type { WallTheme } from '../../src/ipc/channels.js';

export interface StubOptions {
  relayUrl: string | null;
  token: string | null;
  wallTheme?: WallTheme;
}

/**
 * Stands in for the preload's `window.ringback`: same channels, answered in the page. Calls are recorded on
 * `window.__ringbackCalls` so tests can see what the page asked main to do.
 */
export async function stubBridge(page: Page, o: StubOptions): Promise<void> {
  await page.addInitScript((opts) => {
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    const calls: { channel: string; arg: unknown }[] = [];
    (window as unknown as { __ringbackCalls: typeof calls }).__ringbackCalls = calls;
    (window as unknown as { __ringbackEmit: (c: string, p: unknown) => void }).__ringbackEmit = (c, p) => listeners.get(c)?.forEach((fn) => fn(p));
    const view = { relayUrl: opts.relayUrl ?? '', hasToken: !!opts.token, startAtLogin: false, wallTheme: opts.wallTheme ?? 'system', tokenStorage: 'os', alerts: { sound: 'chime', urgentSound: 'bell', urgentOnly: false, quietTimes: [] } };
    let snoozes: { threadId: string; at: number; caller: string }[] = [];
    (window as unknown as { ringback: unknown }).ringback = {
      async invoke(channel: string, arg?: unknown) {
        calls.push({ channel, arg });
        switch (channel) {
          case 'relay:session':
            return opts.relayUrl && opts.token ? { relayUrl: opts.relayUrl, token: opts.token } : null;
          case 'settings:get':
            return view;
          case 'window:open':
            return undefined;
          case 'review:open':
            return { ok: true };
          case 'settings:save':
            return { ok: true, settings: { ...view, ...(arg as object) } };
          case 'alerts:snoozes':
            return snoozes;
          case 'alerts:snooze':
            snoozes = [...snoozes.filter((s) => s.threadId !== (arg as { threadId: string }).threadId), arg as (typeof snoozes)[number]];
            return snoozes;
          case 'alerts:unsnooze':
            snoozes = snoozes.filter((s) => s.threadId !== (arg as { threadId: string }).threadId);
            return snoozes;
          default:
            throw new Error(`stub: ${channel} not handled`);
        }
      },
      on(channel: string, fn: (p: unknown) => void) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(fn);
        return () => listeners.get(channel)!.delete(fn);
      },
    };
  }, o);
}
