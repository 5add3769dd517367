import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import type { BookingLabels, ThreadDetailReply } from '../contract/api.js';
import type { AssistantState } from '../contract/booking.js';
import type { ThreadSummary } from '../contract/model.js';
import { aMessage, aThread } from '../client/fixtures.js';
import type { RowState } from '../client/queue.js';
import { ThreadView, type ThreadViewProps } from './thread-view.js';

const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
/** Intl puts narrow no-break spaces in times ("9:00 AM"); compare with plain ones. */
const plain = (s: string | null | undefined) => (s ?? '').replace(/\s/g, ' ');

const labels: BookingLabels = {
  services: [
    { id: 'cleaning', label: 'Cleaning' },
    { id: 'pain', label: 'Pain or emergency' },
  ],
  questions: [{ id: 'patient', ask: 'New or existing patient?', options: [{ id: 'new', label: 'New' }, { id: 'existing', label: 'Existing' }] }],
};

function assistant(over: Partial<AssistantState> = {}): AssistantState {
  return {
    step: 'offer',
    questionId: null,
    serviceId: 'cleaning',
    answers: { patient: 'new' },
    wish: { text: 'tomorrow morning', from: '2026-12-08T14:00:00Z', to: '2026-12-08T18:00:00Z' },
    // 9:00 and 9:30 in Chicago (CST, UTC-6).
    offered: [
      { start: '2026-12-08T15:00:00Z', end: '2026-12-08T16:00:00Z' },
      { start: '2026-12-08T15:30:00Z', end: '2026-12-08T16:30:00Z' },
    ],
    textsSinceReply: 1,
    startedAt: at(6),
    qualifiedAt: at(3),
    bookingId: null,
    handedOff: null,
    ...over,
  };
}

function detail(thread: Partial<ThreadSummary>): ThreadDetailReply {
  return {
    thread: aThread({ lastMessage: { direction: 'out', text: 'Which time suits you?', at: at(2), kind: 'assistant' }, ...thread }),
    calls: [],
    messages: [
      aMessage({ id: 'tb', direction: 'out', kind: 'text-back', text: 'Sorry we missed your call', at: at(9), status: 'delivered' }),
      aMessage({ id: 'in1', direction: 'in', text: 'can I come in tomorrow morning for a cleaning?', at: at(7) }),
      aMessage({ id: 'as1', direction: 'out', kind: 'assistant', text: 'New or existing patient? 1) New 2) Existing', at: at(6), status: 'delivered' }),
      aMessage({ id: 'in2', direction: 'in', text: 'new', at: at(5) }),
      aMessage({ id: 'as2', direction: 'out', kind: 'assistant', text: 'I can offer 1) Tue 9:00 AM 2) Tue 9:30 AM', at: at(4), status: 'delivered' }),
      aMessage({ id: 'staff', direction: 'out', kind: 'reply', text: 'Hi, this is Riley', at: at(1), status: 'delivered', staffName: 'Riley' }),
    ],
    notes: [],
    seq: 9,
  };
}

function props(state: RowState, thread: Partial<ThreadSummary>, over: Partial<ThreadViewProps> = {}): ThreadViewProps {
  return {
    detail: detail(thread),
    state,
    locationName: 'Main St',
    timezone: 'America/Chicago',
    bookingLabels: labels,
    onBack: vi.fn(),
    onClaim: vi.fn(async () => {}),
    onRelease: vi.fn(async () => {}),
    onResolve: vi.fn(async () => {}),
    onReply: vi.fn(async () => {}),
    onNote: vi.fn(async () => {}),
    ...over,
  };
}

const card = () => screen.getByRole('region', { name: 'Booking assistant' });

describe('ThreadView with the booking assistant', () => {
  it('marks the assistant’s texts apart from staff replies and the text-back', () => {
    const { container } = render(() => <ThreadView {...props('unclaimed', { assistant: assistant() })} />);
    const mine = container.querySelector('[data-message-id="as2"]')!;
    expect(mine).toHaveAttribute('data-kind', 'assistant');
    expect(mine.querySelector('.rb-meta')).toHaveTextContent('Assistant');
    expect(container.querySelector('[data-message-id="staff"]')).toHaveAttribute('data-kind', 'reply');
    expect(container.querySelector('[data-message-id="staff"] .rb-meta')).toHaveTextContent('Riley');
    expect(container.querySelector('[data-message-id="tb"] .rb-meta')).toHaveTextContent('Auto text-back');
    // The tint is the theme's: every assistant text carries the kind the stylesheet keys on, no other does.
    expect([...container.querySelectorAll('[data-kind="assistant"]')].map((e) => e.getAttribute('data-message-id'))).toEqual(['as1', 'as2']);
  });

  it('says where the conversation stands, with the answers as labels and the wish (the offered times are the newest text)', () => {
    render(() => <ThreadView {...props('unclaimed', { assistant: assistant() })} />);
    expect(card()).toHaveTextContent('Assistant is handling this — offering times');
    const terms = within(card()).getAllByRole('term').map((e) => e.textContent);
    const values = within(card()).getAllByRole('definition').map((e) => plain(e.textContent));
    expect(terms).toEqual(['Service', 'New or existing patient?', 'Wants']);
    expect(values).toEqual(['Cleaning', 'New', '“tomorrow morning”']);
  });

  it('names the question being asked', () => {
    render(() => <ThreadView {...props('unclaimed', { assistant: assistant({ step: 'question', questionId: 'patient', answers: {}, wish: null, offered: [] }) })} />);
    expect(card()).toHaveTextContent('Assistant is handling this — asking “New or existing patient?”');
    expect(within(card()).getAllByRole('term').map((e) => e.textContent)).toEqual(['Service']);
  });

  it('offers Take over instead of Claim while the assistant has the caller; it claims', async () => {
    const p = props('unclaimed', { assistant: assistant() });
    render(() => <ThreadView {...p} />);
    expect(screen.queryByRole('button', { name: 'Claim' })).toBeNull();
    // The header says who has the caller: the assistant, not "Unclaimed".
    expect(document.querySelector('.rb-thead-top .rb-chip')).toHaveTextContent('Assistant');
    expect(screen.getByText('Sending a text takes over from the assistant and claims this caller for you.')).toBeInTheDocument();
    const take = within(card()).getByRole('button', { name: 'Take over' });
    expect(take).toHaveAttribute('aria-keyshortcuts', 'c');
    fireEvent.click(take);
    await waitFor(() => expect(p.onClaim).toHaveBeenCalledTimes(1));
  });

  it('shows a claim conflict on Take over in words', async () => {
    render(() => <ThreadView {...props('unclaimed', { assistant: assistant() }, { onClaim: async () => Promise.reject(new Error('Riley already claimed this caller.')) })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Take over' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Riley already claimed this caller.');
  });

  it('says why it handed over, naming the colleague who claimed the caller', () => {
    const claim = { staffId: 'riley', staffName: 'Riley', at: at(1) };
    const { unmount } = render(() => (
      <ThreadView {...props('theirs', { claim, assistant: assistant({ step: 'handed-off', handedOff: { reason: 'claimed', at: at(1) } }) })} />
    ));
    expect(card()).toHaveTextContent('Assistant handed this to staff — Claimed by Riley');
    expect(card()).toHaveAttribute('data-tone', 'grey');
    expect(screen.queryByRole('button', { name: 'Take over' })).toBeNull();
    unmount();
    const cases: [AssistantState['handedOff'] & {}, string][] = [
      [{ reason: 'off-script', at: at(1) }, 'Caller went off script'],
      [{ reason: 'urgent', at: at(1) }, 'Urgent words'],
      [{ reason: 'text-cap', at: at(1) }, 'Text limit reached'],
      [{ reason: 'calendar-down', at: at(1) }, 'Calendar unreachable'],
    ];
    for (const [handedOff, words] of cases) {
      const r = render(() => <ThreadView {...props('unclaimed', { assistant: assistant({ step: 'handed-off', handedOff }) })} />);
      expect(card()).toHaveTextContent(`Assistant handed this to staff — ${words}`);
      // Nobody has this caller now: it waits on the desk (amber), and Claim is back.
      expect(card()).toHaveAttribute('data-tone', 'amber');
      expect(screen.getByRole('button', { name: 'Claim' })).toBeInTheDocument();
      r.unmount();
    }
  });

  it('shows the booking in the location’s zone and who made it, with the answers', () => {
    const booking = { id: 'b1', serviceId: 'cleaning', serviceLabel: 'Cleaning', start: '2026-12-08T15:00:00Z', end: '2026-12-08T16:00:00Z', by: 'assistant' as const };
    const { unmount } = render(() => (
      <ThreadView {...props('resolved', { status: 'resolved', booking, assistant: assistant({ step: 'booked', bookingId: 'b1' }) })} />
    ));
    expect(card()).toHaveAttribute('data-tone', 'green');
    // "(tomorrow)" is added on the day before; the date and the zone are always there.
    expect(plain(card().textContent)).toMatch(/Booked: Cleaning · Tue, Dec 8( \(\w+\))? · 9:00 – 10:00 AM CST/);
    expect(card()).toHaveTextContent('Booked by the assistant');
    expect(card()).not.toHaveTextContent('Assistant is handling this');
    expect(within(card()).getAllByRole('term').map((e) => e.textContent)).toEqual(['Service', 'New or existing patient?', 'Wants']);
    unmount();
    // The same instant read in another location's zone.
    const r = render(() => <ThreadView {...props('mine', { booking: { ...booking, by: 'staff', staffName: 'Riley' } }, { timezone: 'America/New_York' })} />);
    expect(plain(card().textContent)).toMatch(/Tue, Dec 8( \(\w+\))? · 10:00 – 11:00 AM EST/);
    expect(card()).toHaveTextContent('Booked by Riley');
    r.unmount();
    render(() => <ThreadView {...props('mine', { booking: { ...booking, by: 'self' } })} />);
    expect(card()).toHaveTextContent('Booked by the caller online');
  });

  it('has no assistant card on an ordinary thread', () => {
    render(() => <ThreadView {...props('unclaimed', {})} />);
    expect(screen.queryByRole('region', { name: 'Booking assistant' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Claim' })).toBeInTheDocument();
  });
});
