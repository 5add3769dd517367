import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { BulkBar } from './bulk-bar.js';
import { aThread } from '../client/fixtures.js';
import { lateness, noFilter, queueRows, rowState, type QueueFilter, type QueueView } from '../client/queue.js';
import { QueueFilters } from './queue-filters.js';
import { QueueList, type QueueListProps } from './queue-list.js';

const now = Date.now();
const ago = (min: number) => new Date(now - min * 60_000).toISOString();

function props(over: Partial<QueueListProps> = {}): QueueListProps {
  const rows = [
    aThread({ id: 'a', lastMissedAt: ago(9), lastMessage: { direction: 'in', text: 'our basement is flooding', at: ago(1) } }),
    aThread({ id: 'b', caller: '+15125550111', callerName: 'Ana Ruiz', lastMissedAt: ago(3), claim: { staffId: 'riley', staffName: 'Riley', at: ago(1) } }),
    aThread({ id: 'c', caller: '+17375550100', lastMissedAt: ago(2), lineType: 'landline', textBack: { state: 'skipped', reason: 'landline', messageId: null, at: null } }),
  ];
  return {
    view: 'open' as QueueView,
    counts: { unclaimed: 2, mine: 0, open: 3, done: 4, breached: 1 },
    onView: vi.fn(),
    rows,
    rowState: (t) => rowState(t, 'me', now, 5),
    locationName: () => 'Main St',
    timezone: 'America/Chicago',
    selectedId: null,
    onOpen: vi.fn(),
    loading: false,
    stale: false,
    lastMissedAt: null,
    ...over,
  };
}

describe('QueueList', () => {
  it('shows tabs with counts and each row with caller, wait, text-back state and claimant', () => {
    render(() => <QueueList {...props()} />);
    expect(screen.getByRole('tab', { name: /Unclaimed/ })).toHaveTextContent('2');
    expect(screen.getByRole('tab', { name: /Done/ })).toHaveTextContent('4');
    const rows = screen.getAllByRole('button', { name: /missed/ });
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('(512) 555-1077');
    expect(rows[0]).toHaveTextContent('missed 9 min');
    expect(rows[0]).toHaveTextContent('our basement is flooding');
    expect(rows[0]).toHaveTextContent('Over SLA');
    expect(rows[0]).toHaveAttribute('data-state', 'breached');
    expect(rows[1]).toHaveTextContent('Ana Ruiz');
    expect(rows[1]).toHaveTextContent('Riley');
    expect(rows[1]).toHaveAttribute('data-state', 'theirs');
    expect(rows[2]).toHaveTextContent('(737) 555-0100');
    expect(rows[2]).toHaveTextContent('Landline · call back');
  });

  it('marks an urgent thread with a badge naming the words, and only while it is open', () => {
    const urgent = aThread({ id: 'u', urgent: true, urgentWords: ['bleeding', 'swelling'] });
    render(() => <QueueList {...props({ rows: [urgent, aThread({ id: 'calm' })] })} />);
    const [first, second] = screen.getAllByRole('button', { name: /missed/ });
    expect(first).toHaveTextContent('URGENT');
    expect(first!.querySelector('[title="bleeding, swelling"]')).not.toBeNull();
    expect(second).not.toHaveTextContent('URGENT');
  });

  it('gives every time an absolute twin for hover and focus', () => {
    render(() => <QueueList {...props()} />);
    const time = screen.getAllByText(/missed/)[0]!.closest('time')!;
    expect(time.getAttribute('title')).toMatch(/CST|CDT/);
    expect(time).toHaveAttribute('tabindex', '0');
  });

  it('opens a row and switches views', () => {
    const p = props();
    render(() => <QueueList {...p} />);
    fireEvent.click(screen.getByText('Ana Ruiz'));
    expect(p.onOpen).toHaveBeenCalledWith('b');
    fireEvent.click(screen.getByRole('tab', { name: /Mine/ }));
    expect(p.onView).toHaveBeenCalledWith('mine');
  });

  it('shows skeleton rows while loading, never a blank panel', () => {
    render(() => <QueueList {...props({ loading: true })} />);
    expect(screen.getByLabelText('Loading the queue')).toBeInTheDocument();
    expect(screen.queryAllByRole('button', { name: /missed/ })).toHaveLength(0);
  });

  it('says all caught up, with the last missed call, when empty', () => {
    render(() => <QueueList {...props({ view: 'unclaimed', rows: [], lastMissedAt: ago(42) })} />);
    expect(screen.getByRole('status')).toHaveTextContent('All caught up');
    expect(screen.getByRole('status')).toHaveTextContent('Last missed call 42 min ago');
  });

  it('marks the list stale while the relay is unreachable', () => {
    render(() => <QueueList {...props({ stale: true })} />);
    expect(screen.getByRole('list')).toHaveAttribute('data-stale', 'true');
  });

  it('escapes message text', () => {
    const rows = [aThread({ lastMessage: { direction: 'in', text: '<img src=x onerror=alert(1)>', at: ago(1) } })];
    const { container } = render(() => <QueueList {...props({ rows })} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText(/<img src=x/)).toBeInTheDocument();
  });
});

describe('QueueList rows, round two', () => {
  it('puts the caller first: their words, a voicemail or repeat calls, never our automatic text', () => {
    const rows = [
      aThread({ id: 'auto', lastMessage: { direction: 'out', kind: 'text-back', text: 'Hi there, sorry we missed…', at: ago(1) } }),
      aThread({ id: 'vm', voicemail: { url: 'x', durationSec: 54 }, missedCount: 2, lastMessage: { direction: 'out', kind: 'text-back', text: 'Hi', at: ago(1) } }),
      aThread({ id: 'again', missedCount: 2, lastMessage: { direction: 'out', kind: 'text-back', text: 'Hi', at: ago(1) } }),
      aThread({ id: 'staff', lastMessage: { direction: 'out', kind: 'reply', text: 'Calling you now', at: ago(1) } }),
    ];
    render(() => <QueueList {...props({ rows })} />);
    const [auto, vm, again, staff] = screen.getAllByRole('button', { name: /missed/ });
    expect(auto).toHaveTextContent('Missed call · automatic text: “Hi there, sorry we missed…”');
    expect(auto).not.toHaveTextContent('You:');
    expect(vm).toHaveTextContent('Voicemail 0:54 · 2 calls');
    expect(again).toHaveTextContent('2 calls');
    expect(staff).toHaveTextContent('You: “Calling you now”');
    expect(auto).toHaveTextContent(/missed (just now|\d+ min ago)/);
  });

  it('shows carrier names the way people write them and hides the location when it says nothing', () => {
    render(() => <QueueList {...props({ rows: [aThread({ callerName: 'SMITH ROBERT' })], locationName: () => '' })} />);
    const row = screen.getByRole('button', { name: /missed/ });
    expect(row).toHaveTextContent('Robert Smith');
    expect(row.querySelector('.rb-loc')).toBeNull();
  });

  it('shades late rows by how late they are instead of turning every late row red', () => {
    const rows = [aThread({ id: 'six', lastMissedAt: ago(6) }), aThread({ id: 'hour', lastMissedAt: ago(60) })];
    render(() => <QueueList {...props({ rows, lateness: (t) => lateness(t, now, 5) })} />);
    const [six, hour] = screen.getAllByRole('button', { name: /missed/ });
    expect(six).toHaveAttribute('data-late', '1');
    expect(six).toHaveTextContent('Late');
    expect(six).not.toHaveTextContent('Over SLA');
    expect(hour).toHaveAttribute('data-late', '3');
    expect(hour).toHaveTextContent('Over SLA');
  });
});

describe('queue order among late callers', () => {
  it('urgent first, then late callers who wrote, voicemails, repeat callers, the rest', () => {
    const late = ago(30);
    const open = [
      aThread({ id: 'plain', lastMissedAt: ago(40) }),
      aThread({ id: 'repeat', lastMissedAt: late, missedCount: 3 }),
      aThread({ id: 'voicemail', lastMissedAt: late, voicemail: { url: 'x', durationSec: 5 } }),
      aThread({ id: 'wrote', lastMissedAt: late, lastMessage: { direction: 'in', text: 'hi', at: late } }),
      aThread({ id: 'urgent', lastMissedAt: ago(1), urgent: true, urgentWords: ['bleeding'] }),
      aThread({ id: 'fresh', lastMissedAt: ago(1) }),
    ];
    const ids = queueRows('unclaimed', open, [], { meId: 'me', now, claimMinutes: 5, timezone: 'America/Chicago' }).map((t) => t.id);
    expect(ids).toEqual(['urgent', 'wrote', 'voicemail', 'repeat', 'plain', 'fresh']);
  });

  it('lateness counts from the relay’s open-hours breach when it has one', () => {
    const overnight = aThread({ lastMissedAt: ago(600), escalation: { reason: 'unclaimed', at: ago(2), since: ago(600) } });
    expect(lateness(overnight, now, 5)).toBe(1);
    expect(lateness(aThread({ lastMissedAt: ago(600) }), now, 5)).toBe(3);
    expect(lateness(aThread({ lastMissedAt: ago(1) }), now, 5)).toBe(0);
  });
});

describe('QueueFilters', () => {
  it('a search box and toggles that report the filter; the empty list says nothing matches', () => {
    const seen: QueueFilter[] = [];
    const locations = [{ id: 'main', name: 'Main St' }, { id: 'north', name: 'North' }];
    render(() => (
      <QueueList
        {...props({ rows: [], filtered: true })}
        filters={<QueueFilters filter={{ ...noFilter, voicemail: true }} onChange={(f) => seen.push(f)} locations={locations} />}
      />
    ));
    expect(screen.getByRole('searchbox', { name: 'Search callers by name or number' })).toBeInTheDocument();
    fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'ruiz' } });
    expect(seen.at(-1)).toMatchObject({ q: 'ruiz', voicemail: true });
    expect(screen.getByRole('button', { name: 'Voicemail' })).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(screen.getByRole('button', { name: 'Urgent' }));
    expect(seen.at(-1)).toMatchObject({ urgent: true, voicemail: true });
    fireEvent.change(screen.getByRole('combobox', { name: 'Location' }), { target: { value: 'north' } });
    expect(seen.at(-1)!.location).toBe('north');
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(seen.at(-1)).toEqual(noFilter);
    expect(screen.getByRole('status')).toHaveTextContent('No callers match');
  });
});

describe('QueueTabs keyboard', () => {
  it('arrow keys, Home and End move between tabs; only the selected tab is a tab stop', async () => {
    const onView = vi.fn();
    render(() => <QueueList {...props({ view: 'mine', onView })} />);
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.getAttribute('tabindex'))).toEqual(['-1', '0', '-1', '-1']);
    fireEvent.keyDown(tabs[1]!, { key: 'ArrowRight' });
    fireEvent.keyDown(tabs[1]!, { key: 'ArrowLeft' });
    fireEvent.keyDown(tabs[1]!, { key: 'End' });
    fireEvent.keyDown(tabs[1]!, { key: 'Home' });
    fireEvent.keyDown(tabs[1]!, { key: 'x' });
    expect(onView.mock.calls.map((c) => c[0])).toEqual(['open', 'unclaimed', 'done', 'unclaimed']);
  });

  it('a row is named by its caller, time and chips, and described by the caller’s words', () => {
    render(() => <QueueList {...props({ rows: [aThread({ callerName: 'Ana Ruiz', urgent: true, lastMessage: { direction: 'in', text: 'tooth pain', at: ago(1) } })] })} />);
    const row = screen.getByRole('button', { name: /^Ana Ruiz,\s*Main St,\s*missed 1 min ago\s*,\s*Delivered,\s*Unclaimed\s*,\s*URGENT$/ });
    expect(row).not.toHaveAccessibleName(/tooth pain/);
    expect(row).toHaveAccessibleDescription('↩ “tooth pain”');
  });
});

describe('bulk actions', () => {
  it('rows get a checkbox while picking, and the bar resolves or assigns the picked callers', async () => {
    const onPick = vi.fn();
    const onResolve = vi.fn(async () => {});
    const onAssign = vi.fn(async () => {});
    const rows = [aThread({ id: 'a', callerName: 'Ana Ruiz' }), aThread({ id: 'b', caller: '+15125550111' })];
    render(() => (
      <QueueList
        {...props({ rows, picked: new Set(['b']), onPick })}
        filters={<BulkBar count={1} staff={[{ id: 'mo', name: 'Mo' }]} onResolve={onResolve} onAssign={onAssign} onCancel={vi.fn()} />}
      />
    ));
    expect(screen.getByRole('checkbox', { name: 'Select Ana Ruiz' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select (512) 555-0111' })).toBeChecked();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Ana Ruiz' }));
    expect(onPick).toHaveBeenCalledWith('a');
    expect(screen.getByRole('region', { name: 'Bulk actions' })).toHaveTextContent('1 selected');
    expect(screen.getByRole('button', { name: 'Resolve' })).toBeDisabled();
    fireEvent.change(screen.getByRole('combobox', { name: 'Outcome for the selected callers' }), { target: { value: 'spam' } });
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(onResolve).toHaveBeenCalledWith('spam'));
    fireEvent.change(screen.getByRole('combobox', { name: 'Hand the selected callers to' }), { target: { value: 'mo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Assign' }));
    await waitFor(() => expect(onAssign).toHaveBeenCalledWith('mo'));
  });

  it('without picking there are no checkboxes', () => {
    render(() => <QueueList {...props()} />);
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
  });
});
