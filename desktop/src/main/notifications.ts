import { Notification } from 'electron';
import { emptyPlanState, forget, plan, type Trigger } from './notify-plan.js';

/** How long to gather triggers before deciding, so a burst arriving together becomes one notification. */
const SETTLE_MS = 1200;

export interface Notifier {
  push(t: Trigger): void;
  dispose(): void;
}

/** Electron notifications over the pure plan: one per key, replaced in place; a click opens the thread. */
export function createNotifier(opts: { pausedUntil(): number | null; onOpen(threadId: string | null): void }): Notifier {
  let state = emptyPlanState();
  let pending: Trigger[] = [];
  let timer: NodeJS.Timeout | undefined;
  const onScreen = new Map<string, Notification>();

  const close = (key: string) => {
    onScreen.get(key)?.close();
    onScreen.delete(key);
  };

  function flush() {
    timer = undefined;
    const r = plan(state, pending, Date.now(), opts.pausedUntil());
    pending = [];
    state = r.state;
    for (const key of r.close) close(key);
    if (!Notification.isSupported()) return;
    for (const d of r.show) {
      close(d.key);
      const n = new Notification({ title: d.title, body: d.body, silent: false });
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
  }

  return {
    push(t) {
      pending.push(t);
      timer ??= setTimeout(flush, SETTLE_MS);
    },
    dispose() {
      clearTimeout(timer);
      for (const k of [...onScreen.keys()]) close(k);
    },
  };
}
