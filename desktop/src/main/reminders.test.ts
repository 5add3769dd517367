import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snooze } from '@ringback/shared/client';
import { createReminders } from './reminders.js';

afterEach(() => vi.useRealTimers());

function setup(list: Snooze[]) {
  let stored = list;
  const fired: string[] = [];
  const r = createReminders({ list: () => stored, save: (l) => (stored = l), fire: (s) => fired.push(s.threadId) });
  return { r, fired, stored: () => stored };
}

describe('reminders', () => {
  it('fires each reminder once at its time and drops it from the saved list', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { r, fired, stored } = setup([
      { threadId: 'a', at: 1_000_000 + 90_000, caller: 'Ana' },
      { threadId: 'b', at: 1_000_000 + 30 * 60_000, caller: 'Bo' },
    ]);
    r.reschedule();
    vi.advanceTimersByTime(89_000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['a']);
    expect(stored().map((s) => s.threadId)).toEqual(['b']);
    vi.advanceTimersByTime(30 * 60_000);
    expect(fired).toEqual(['a', 'b']);
    expect(stored()).toEqual([]);
    vi.advanceTimersByTime(60 * 60_000);
    expect(fired).toEqual(['a', 'b']);
    r.dispose();
  });

  it('after a restart, a reminder that came due while the app was closed fires at once', () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const { r, fired, stored } = setup([{ threadId: 'a', at: 4_000_000, caller: 'Ana' }]);
    r.reschedule();
    expect(fired).toEqual(['a']);
    expect(stored()).toEqual([]);
  });

  it('a cancelled reminder never fires; one set later is picked up', () => {
    vi.useFakeTimers({ now: 0 });
    let list: Snooze[] = [{ threadId: 'a', at: 120_000, caller: '' }];
    const fired: string[] = [];
    const r = createReminders({ list: () => list, save: (l) => (list = l), fire: (s) => fired.push(s.threadId) });
    r.reschedule();
    list = []; // "Cancel reminder"
    r.reschedule();
    vi.advanceTimersByTime(200_000);
    expect(fired).toEqual([]);
    list = [{ threadId: 'b', at: 300_000, caller: '' }];
    r.reschedule();
    vi.advanceTimersByTime(100_000);
    expect(fired).toEqual(['b']);
    r.dispose();
  });
});
