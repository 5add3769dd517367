import { Notification } from 'electron';
import type { AlertSound, Snooze } from '@ringback/shared/client';
import { emptyPlanState, forget, plan, reminderDisplay, type AlertContext, type Display, type Trigger } from './notify-plan.js';

/** How long to gather triggers before deciding, so a burst arriving together becomes one notification. */
const SETTLE_MS = 1200;

export interface Notifier {
  push(t: Trigger): void;
  /** A reminder on a thread came due. */
  remind(s: Snooze): void;
  dispose(): void;
}

/**
 * Electron notifications over the pure plan: one per key, replaced in place; a click opens the thread. Our own
 * sound plays in an open app window (`play` answers whether one did); otherwise the system's notification sound.
 */
export function createNotifier(opts: {
  pausedUntil(): number | null;
  alerts(): AlertContext;
  play(sound: Exclude<AlertSound, 'none'>): boolean;
  onOpen(threadId: string | null): void;
}): Notifier {
  let state = emptyPlanState();
  let pending: Trigger[] = [];
  let timer: NodeJS.Timeout | undefined;
  const onScreen = new Map<string, Notification>();

  const close = (key: string) => {
    onScreen.get(key)?.close();
    onScreen.delete(key);
  };

  function display(d: Display) {
    close(d.key);
    const played = d.sound !== 'none' && opts.play(d.sound);
    const n = new Notification({ title: d.title, body: d.body, silent: d.sound === 'none' || played, urgency: d.title.startsWith('URGENT') ? 'critical' : 'normal' });
    n.on('click', () => {
      state = forget(state, d.key);
      onScreen.delete(d.key);
      opts.onOpen(d.threadId);
    });
    n.on('close', () => {
      if (onScreen.get(d.key) === n) {
        onScreen.delete(d.key);
        state = forget(state, d.key);
      }
    });
    onScreen.set(d.key, n);
    n.show();
  }

  function flush() {
    timer = undefined;
    const r = plan(state, pending, Date.now(), opts.pausedUntil(), opts.alerts());
    pending = [];
    state = r.state;
    for (const key of r.close) close(key);
    if (!Notification.isSupported()) return;
    for (const d of r.show) display(d);
  }

  return {
    push(t) {
      pending.push(t);
      timer ??= setTimeout(flush, SETTLE_MS);
    },
    remind(s) {
      if (Notification.isSupported()) display(reminderDisplay(s, Date.now(), opts.pausedUntil(), opts.alerts()));
    },
    dispose() {
      clearTimeout(timer);
      for (const k of [...onScreen.keys()]) close(k);
    },
  };
}
