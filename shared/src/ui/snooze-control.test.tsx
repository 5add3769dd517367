import { describe, expect, it } from 'vitest';
import { createSignal } from 'solid-js';
import { fireEvent, render, screen } from '@solidjs/testing-library';
import { aThread } from '../client/fixtures.js';
import { SnoozeControl, type SnoozeApi } from './snooze-control.js';
import { ThreadView } from './thread-view.js';

const TZ = 'America/Chicago';
const NOW = Date.parse('2026-01-15T16:00:00Z'); // 10:00 in Chicago

/** A reminder store like the apps' own: reactive, one reminder per thread. */
function memoryApi() {
  const [map, setMap] = createSignal(new Map<string, { at: number; caller: string }>());
  const api: SnoozeApi = {
    at: (id) => map().get(id)?.at ?? null,
    set: (id, at, caller) => setMap(new Map(map()).set(id, { at, caller })),
    clear: (id) => {
      const m = new Map(map());
      m.delete(id);
      setMap(m);
    },
  };
  return { api, map };
}

describe('SnoozeControl', () => {
  it('"In 30 min" sets a reminder for this thread and shows when it fires', async () => {
    const { api, map } = memoryApi();
    render(() => <SnoozeControl api={api} threadId="t1" caller="Ana Ruiz" timezone={TZ} now={() => NOW} />);
    fireEvent.click(screen.getByRole('button', { name: /Remind me/ }));
    fireEvent.click(screen.getByRole('button', { name: 'In 30 min' }));
    expect(map().get('t1')).toEqual({ at: NOW + 30 * 60_000, caller: 'Ana Ruiz' });
    expect(screen.getByRole('status').textContent).toContain('Reminder at 10:30 AM');
  });

  it('"At 2:00 PM" is today in the location\'s zone; a past time is tomorrow; cancel clears it', async () => {
    const { api, map } = memoryApi();
    render(() => <SnoozeControl api={api} threadId="t1" caller="Ana" timezone={TZ} now={() => NOW} />);
    fireEvent.click(screen.getByRole('button', { name: /Remind me/ }));
    fireEvent.input(screen.getByLabelText('At'), { target: { value: '14:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set reminder' }));
    expect(map().get('t1')?.at).toBe(Date.parse('2026-01-15T20:00:00Z'));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel reminder' }));
    expect(map().has('t1')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: /Remind me/ }));
    fireEvent.input(screen.getByLabelText('At'), { target: { value: '08:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set reminder' }));
    expect(map().get('t1')?.at).toBe(Date.parse('2026-01-16T14:00:00Z'));
    expect(screen.getByRole('status').textContent).toContain('tomorrow 8:00 AM');
  });

  it('the thread view offers it only when the app keeps reminders, and only on open threads', () => {
    const base = {
      state: 'unclaimed' as const, locationName: 'Main', timezone: TZ, onBack: () => {},
      onClaim: async () => {}, onRelease: async () => {}, onResolve: async () => {}, onReply: async () => {}, onNote: async () => {},
    };
    const detail = (status: 'open' | 'resolved') => ({ thread: aThread({ status }), calls: [], messages: [], notes: [], seq: 1 });
    const { unmount } = render(() => <ThreadView {...base} detail={detail('open')} />);
    expect(screen.queryByRole('button', { name: /Remind me/ })).toBeNull();
    unmount();
    const { api } = memoryApi();
    const r = render(() => <ThreadView {...base} detail={detail('open')} snooze={api} />);
    expect(screen.getByRole('button', { name: /Remind me/ })).toBeInTheDocument();
    r.unmount();
    render(() => <ThreadView {...base} state="resolved" detail={detail('resolved')} snooze={api} />);
    expect(screen.queryByRole('button', { name: /Remind me/ })).toBeNull();
  });

  it('stays open while the thread updates underneath (the detail arriving after the summary)', () => {
    const { api } = memoryApi();
    const [seq, setSeq] = createSignal(1);
    const base = {
      state: 'unclaimed' as const, locationName: 'Main', timezone: TZ, onBack: () => {},
      onClaim: async () => {}, onRelease: async () => {}, onResolve: async () => {}, onReply: async () => {}, onNote: async () => {},
    };
    render(() => <ThreadView {...base} detail={{ thread: aThread({ seq: seq() }), calls: [], messages: [], notes: [], seq: seq() }} snooze={api} />);
    fireEvent.click(screen.getByRole('button', { name: /Remind me/ }));
    setSeq(2);
    expect(screen.getByRole('button', { name: 'In 30 min' })).toBeInTheDocument();
  });
});
