import type { AlertChoices, AlertSound, Snooze } from '@ringback/shared/client';

export type { AlertChoices };

/**
 * Every IPC channel the app uses, in one list that main and preload both import (electron/fiddle style).
 * The preload exposes nothing that is not named here; main registers a handler and a zod schema for each.
 */

export type WallTheme = 'system' | 'dark' | 'light';
export type WindowName = 'queue' | 'wall' | 'settings';

/** What the settings window shows; the token itself never leaves main through this. */
export interface SettingsView {
  relayUrl: string;
  hasToken: boolean;
  startAtLogin: boolean;
  wallTheme: WallTheme;
  /** How the token is protected at rest: the OS keychain, Linux's weak fallback, or not stored at all. */
  tokenStorage: 'os' | 'basic' | 'memory';
  alerts: AlertChoices;
}

export interface SettingsInput {
  relayUrl: string;
  /** Absent: keep the stored token. */
  token?: string;
  startAtLogin: boolean;
  wallTheme: WallTheme;
  /** Absent: keep the stored alert choices. */
  alerts?: AlertChoices;
}

export type SaveResult = { ok: true; settings: SettingsView } | { ok: false; field: 'relayUrl' | 'token'; message: string };
/** Opening the monthly review in the browser; the message is for the person. */
export type ReviewResult = { ok: true } | { ok: false; message: string };
export type TestResult = { ok: true; staffName: string; role: string; business: string } | { ok: false; message: string };

/** Renderer → main, answered (ipcRenderer.invoke / ipcMain.handle). [argument, result] per channel. */
export interface InvokeChannels {
  'settings:get': [void, SettingsView];
  'settings:save': [SettingsInput, SaveResult];
  'settings:test': [{ relayUrl: string; token?: string }, TestResult];
  /** The relay address and token the renderer connects with; null when not configured. */
  'relay:session': [void, { relayUrl: string; token: string } | null];
  'window:open': [{ window: WindowName; threadId?: string }, void];
  /** Main asks the relay for a single-use review link and opens it in the browser (no other address). */
  'review:open': [void, ReviewResult];
  /** Reminders on threads ("Remind me at 2:00 PM"), kept in the settings file and fired by main. */
  'alerts:snoozes': [void, Snooze[]];
  'alerts:snooze': [Snooze, Snooze[]];
  'alerts:unsnooze': [{ threadId: string }, Snooze[]];
}

/** Main → renderer pushes (webContents.send / ipcRenderer.on). */
export interface EventChannels {
  /** A notification was clicked: show this thread. */
  'queue:open-thread': { threadId: string };
  /** Relay URL or token changed: start a new session. */
  'settings:changed': { wallTheme: WallTheme };
  /** The reminders changed (set, cancelled or fired). */
  'alerts:snoozes-changed': { snoozes: Snooze[] };
  /** Play this alert sound (an open window plays it for main, which has no audio). */
  'alerts:play': { sound: Exclude<AlertSound, 'none'> };
}

export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;

export const invokeChannels = ['settings:get', 'settings:save', 'settings:test', 'relay:session', 'window:open', 'review:open', 'alerts:snoozes', 'alerts:snooze', 'alerts:unsnooze'] as const satisfies readonly InvokeChannel[];
export const eventChannels = ['queue:open-thread', 'settings:changed', 'alerts:snoozes-changed', 'alerts:play'] as const satisfies readonly EventChannel[];

// Compile-time check that the arrays above name every channel in the interfaces, no more, no less.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
const _allInvoke: Missing<InvokeChannel, (typeof invokeChannels)[number]> = true;
const _allEvents: Missing<EventChannel, (typeof eventChannels)[number]> = true;
void _allInvoke;
void _allEvents;

export const isInvokeChannel = (c: unknown): c is InvokeChannel => (invokeChannels as readonly unknown[]).includes(c);
export const isEventChannel = (c: unknown): c is EventChannel => (eventChannels as readonly unknown[]).includes(c);

/** The bridge the preload puts on `window.ringback`; renderer code and the Playwright stub both implement it. */
export interface RingbackBridge {
  invoke<C extends InvokeChannel>(channel: C, ...arg: InvokeChannels[C][0] extends void ? [] : [InvokeChannels[C][0]]): Promise<InvokeChannels[C][1]>;
  /** Returns an unsubscribe function. */
  on<C extends EventChannel>(channel: C, listener: (payload: EventChannels[C]) => void): () => void;
}
