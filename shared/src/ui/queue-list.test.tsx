import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@solidjs/testing-library';
import { aThread } from '../client/fixtures.js';
import { rowState, type QueueView } from '../client/queue.js';
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
