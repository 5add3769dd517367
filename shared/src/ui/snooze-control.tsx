import { createSignal, Show } from 'solid-js';
import { snoozeUntil } from '../client/alerts.js';

/** Reminders kept by the app (desktop settings file, chrome.storage); the thread view only asks and sets. */
export interface SnoozeApi {
  /** When this thread's reminder fires (epoch ms), or null; read reactively. */
  at(threadId: string): number | null;
  set(threadId: string, at: number, caller: string): unknown;
  clear(threadId: string): unknown;
}

/** "Remind me in 30 min / in 1 hour / at 2:00 PM" on a thread, or the reminder already set and a way to cancel it. */
export function SnoozeControl(props: { api: SnoozeApi; threadId: string; caller: string; timezone: string; now?: () => number }) {
  const [open, setOpen] = createSignal(false);
  const [time, setTime] = createSignal('14:00');
  const now = () => props.now?.() ?? Date.now();
  const current = () => props.api.at(props.threadId);
  const fmt = (ms: number) => {
    const day = (t: number) => new Intl.DateTimeFormat('en-US', { timeZone: props.timezone, dateStyle: 'short' }).format(new Date(t));
    const clock = new Intl.DateTimeFormat('en-US', { timeZone: props.timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(ms));
    return day(ms) === day(now()) ? clock : `tomorrow ${clock}`;
  };
  const pick = (at: number) => {
    props.api.set(props.threadId, at, props.caller);
    setOpen(false);
  };
  return (
    <div class="rb-snooze">
      <Show
        when={current()}
        fallback={
          <button type="button" class="rb-btn" aria-expanded={open()} onClick={() => setOpen(!open())}>
            Remind me…
          </button>
        }
      >
        {(at) => (
          <span class="rb-snooze-set" role="status">
            Reminder at {fmt(at())}{' '}
            <button type="button" class="rb-btn" onClick={() => props.api.clear(props.threadId)}>
              Cancel reminder
            </button>
          </span>
        )}
      </Show>
      <Show when={open() && !current()}>
        <div class="rb-snooze-menu" role="group" aria-label="Remind me about this caller">
          <button type="button" class="rb-btn" onClick={() => pick(snoozeUntil({ inMinutes: 30 }, now(), props.timezone))}>
            In 30 min
          </button>
          <button type="button" class="rb-btn" onClick={() => pick(snoozeUntil({ inMinutes: 60 }, now(), props.timezone))}>
            In 1 hour
          </button>
          <form
            class="rb-snooze-at"
            onSubmit={(e) => {
              e.preventDefault();
              if (/^\d\d:\d\d$/.test(time())) pick(snoozeUntil({ at: time() }, now(), props.timezone));
            }}
          >
            <label>
              At <input type="time" required value={time()} onInput={(e) => setTime(e.currentTarget.value)} />
            </label>
            <button type="submit" class="rb-btn">
              Set reminder
            </button>
          </form>
        </div>
      </Show>
    </div>
  );
}
