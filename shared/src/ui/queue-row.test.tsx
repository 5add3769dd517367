import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@solidjs/testing-library';
import type { AssistantState } from '../contract/booking.js';
import type { ThreadSummary } from '../contract/model.js';
import { aThread } from '../client/fixtures.js';
import { rowState } from '../client/queue.js';
import { QueueList } from './queue-list.js';
import { QueueRow } from './queue-row.js';

const now = Date.now();
const ago = (min: number) => new Date(now - min * 60_000).toISOString();
const plain = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');

const talking: AssistantState = {
  step: 'time', questionId: null, serviceId: 'cleaning', answers: {}, wish: null, offered: [], textsSinceReply: 1,
  startedAt: ago(2), qualifiedAt: null, bookingId: null, handedOff: null,
};

function row(t: ThreadSummary, timezone = 'America/Chicago') {
  render(() => (
    <ul>
      <QueueRow thread={t} state={rowState(t, 'me', now, 5)} locationName="" timezone={timezone} selected={false} onOpen={vi.fn()} />
    </ul>
  ));
  return screen.getByRole('button');
}

describe('QueueRow and the booking assistant', () => {
  it('says "Assistant" instead of "Unclaimed" while the assistant has the caller, and shows its last text as the assistant’s', () => {
    const el = row(aThread({ lastMissedAt: ago(2), assistant: talking, lastMessage: { direction: 'out', text: 'What day suits you?', at: ago(1), kind: 'assistant' } }));
    expect(el).toHaveTextContent('Assistant');
    expect(el).not.toHaveTextContent('Unclaimed');
    expect(el.querySelector('.rb-chip[data-tone="assistant"]')).toHaveTextContent('◆Assistant');
    expect(el).toHaveTextContent('Assistant: “What day suits you?”');
    expect(el).not.toHaveTextContent('automatic text');
    expect(el).toHaveAttribute('data-assistant', 'true');
  });

  it('never hides a breach behind the assistant chip', () => {
    const el = row(aThread({ lastMissedAt: ago(30), assistant: talking }));
    expect(el).toHaveTextContent('Over SLA');
    expect(el).toHaveTextContent('Assistant');
  });

  it('drops the Assistant chip once it handed over or someone claimed', () => {
    const el = row(aThread({ assistant: { ...talking, step: 'handed-off', handedOff: { reason: 'off-script', at: ago(1) } } }));
    expect(el).not.toHaveTextContent('Assistant');
    expect(el).toHaveTextContent('Unclaimed');
    expect(el).not.toHaveAttribute('data-assistant');
  });

  it('shows a small "Booked <day> <time>" chip in the location’s zone, and "Booked" only once when resolved as booked', () => {
    // Tomorrow at 9:00 in Chicago, whatever the machine's zone.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date(now + 86_400_000));
    // Chicago is 5 or 6 hours behind UTC: whichever puts 9:00 on the clock there.
    const start = ['14', '15'].map((h) => `${day}T${h}:00:00.000Z`).find((iso) => plain(new Date(iso).toLocaleTimeString('en-US', { timeZone: 'America/Chicago' })) === '9:00:00 AM')!;
    const booking = { id: 'b', serviceId: 'cleaning', serviceLabel: 'Cleaning', start, end: start, by: 'assistant' as const };
    const el = row(
      aThread({
        status: 'resolved',
        booking,
        assistant: { ...talking, step: 'booked', bookingId: 'b' },
        resolution: { outcome: 'booked', value: 180, staffId: 'ana', staffName: 'Ana', at: ago(1) },
      }),
    );
    const chip = el.querySelector('.rb-chip[title="Cleaning booked"]')!;
    expect(plain(chip.textContent)).toBe('✓Booked tomorrow 9:00 AM');
    expect(chip).toHaveAttribute('data-tone', 'green');
    expect([...el.querySelectorAll('.rb-chip')].filter((c) => /Booked/.test(c.textContent ?? ''))).toHaveLength(1);
    expect(el).not.toHaveTextContent('Assistant');
  });

  it('reads each row’s booking in its own location’s zone', () => {
    const booking = { id: 'b', serviceId: 'cleaning', serviceLabel: 'Cleaning', start: '2030-01-15T15:00:00Z', end: '2030-01-15T16:00:00Z', by: 'self' as const };
    const rows = [aThread({ id: 'tx', booking }), aThread({ id: 'ny', locationId: 'east', booking })];
    render(() => (
      <QueueList
        view="open" counts={{ unclaimed: 2, mine: 0, open: 2, done: 0, breached: 0 }} onView={vi.fn()} rows={rows}
        rowState={(t) => rowState(t, 'me', now, 5)} locationName={() => ''} timezone="America/Chicago"
        timezoneOf={(id) => (id === 'east' ? 'America/New_York' : 'America/Chicago')}
        selectedId={null} onOpen={vi.fn()} loading={false} stale={false} lastMissedAt={null}
      />
    ));
    const chips = [...document.querySelectorAll('.rb-chip[title="Cleaning booked"]')].map((c) => plain(c.textContent));
    expect(chips).toEqual(['✓Booked Jan 15 9:00 AM', '✓Booked Jan 15 10:00 AM']);
  });
});
