import { dueSnoozes, nextSnoozeAt, type Snooze } from '@ringback/shared/client';

/** Re-check at least this often, so a sleeping laptop or a changed clock never leaves a reminder waiting long. */
export const MAX_WAIT_MS = 60_000;

export interface ReminderDeps {
  list(): Snooze[];
  /** Persist what is still waiting (the settings file), so reminders survive a restart. */
  save(list: Snooze[]): void;
  fire(s: Snooze): void;
  now?: () => number;
}

/** One timer for the soonest reminder; due ones (also those that came due while the app was closed) fire once. */
export function createReminders(deps: ReminderDeps): { reschedule(): void; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  const now = deps.now ?? Date.now;
  function reschedule() {
    clearTimeout(timer);
    timer = undefined;
    const { due, waiting } = dueSnoozes(deps.list(), now());
    if (due.length) {
      // Saved before firing: a crash mid-way loses a reminder's popup rather than repeating it forever.
      deps.save(waiting);
      for (const s of due) deps.fire(s);
    }
    const next = nextSnoozeAt(waiting);
    if (next !== null) timer = setTimeout(reschedule, Math.min(Math.max(0, next - now()), MAX_WAIT_MS));
  }
  return {
    reschedule,
    dispose: () => clearTimeout(timer),
  };
}
