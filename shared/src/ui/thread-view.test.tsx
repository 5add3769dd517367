import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import type { ThreadDetailReply } from '../contract/api.js';
import { aMessage, aThread } from '../client/fixtures.js';
import type { RowState } from '../client/queue.js';
import type { ThreadSummary } from '../contract/model.js';
import { ThreadView, type ThreadViewProps } from './thread-view.js';

const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

function detail(thread: Partial<ThreadSummary> = {}): ThreadDetailReply {
  return {
    thread: aThread({ voicemail: { url: 'http://relay/vm.wav', durationSec: 42 }, ...thread }),
    calls: [
      {
        id: 'c1', threadId: 't1', locationId: 'main', from: '+15125551077', to: '+15125550100', startedAt: at(10), endedAt: at(9),
        outcome: 'missed', afterHours: false, dialStatus: 'no-answer', missedAt: at(10), voicemail: { url: 'http://relay/vm.wav', durationSec: 42 },
        textBackSettled: true, textBackSkipped: null,
      },
    ],
    messages: [
      aMessage({ id: 'tb', direction: 'out', kind: 'text-back', text: 'Sorry we missed you', at: at(9), status: 'delivered' }),
      aMessage({ id: 'in', direction: 'in', text: 'Can you call me?', at: at(8) }),
      aMessage({ id: 'bad', direction: 'out', kind: 'reply', text: 'Calling now', at: at(7), status: 'failed', statusReason: 'carrier rejected', staffName: 'Ana' }),
    ],
    notes: [{ id: 'n1', threadId: 't1', staffId: 'me', staffName: 'Ana', text: 'Prefers mornings', at: at(6) }],
    seq: 9,
  };
}

function props(state: RowState, over: Partial<ThreadViewProps> = {}, thread: Partial<ThreadSummary> = {}): ThreadViewProps {
  return {
    detail: detail(thread),
    state,
    locationName: 'Main St',
    timezone: 'America/Chicago',
    onBack: vi.fn(),
    onClaim: vi.fn(async () => {}),
    onRelease: vi.fn(async () => {}),
    onResolve: vi.fn(async () => {}),
    onReply: vi.fn(async () => {}),
    onNote: vi.fn(async () => {}),
    ...over,
  };
}

describe('ThreadView', () => {
  it('shows calls with a voicemail player, messages with delivery state, and internal notes', () => {
    const { container } = render(() => <ThreadView {...props('unclaimed')} />);
    expect(screen.getByText(/Missed call/)).toBeInTheDocument();
    expect(container.querySelector('audio')).toHaveAttribute('src', 'http://relay/vm.wav');
    expect(screen.getByText('Voicemail 0:42')).toBeInTheDocument();
    expect(container.querySelector('[data-message-id="tb"] .rb-status')).toHaveTextContent('Delivered');
    expect(container.querySelector('[data-message-id="bad"] .rb-status')).toHaveTextContent('Failed: carrier rejected');
    expect(screen.getByText(/Internal note · Ana/)).toBeInTheDocument();
    expect(screen.getByText('Prefers mornings')).toBeInTheDocument();
  });

  it('shows a text retrying through a Plivo outage in amber, with an icon and the reason', () => {
    const d = detail();
    d.messages.push(aMessage({ id: 'wait', direction: 'out', kind: 'reply', text: 'On our way', at: at(5), status: 'retrying', statusReason: 'Plivo unavailable — retrying, attempt 7', staffName: 'Ana' }));
    const { container } = render(() => <ThreadView {...props('mine')} detail={d} />);
    const status = container.querySelector('[data-message-id="wait"] .rb-status');
    expect(status).toHaveTextContent('↻ Retrying: Plivo unavailable — retrying, attempt 7');
    expect(status).toHaveAttribute('data-tone', 'amber');
    expect(status).toHaveAttribute('data-status', 'retrying');
  });

  it('offers Claim on an unclaimed thread, Resolve and Release on mine', async () => {
    const p = props('unclaimed');
    const { unmount } = render(() => <ThreadView {...p} />);
    fireEvent.click(screen.getByRole('button', { name: /Claim/ }));
    await waitFor(() => expect(p.onClaim).toHaveBeenCalled());
    unmount();
    render(() => <ThreadView {...props('mine', {}, { claim: { staffId: 'me', staffName: 'Ana', at: at(1) } })} />);
    expect(screen.queryByRole('button', { name: /Claim/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Resolve/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Release' })).toBeInTheDocument();
  });

  it('calls back through the desk phone on my thread, and says why when it cannot', async () => {
    const mine = { claim: { staffId: 'me', staffName: 'Ana', at: at(1) } };
    const onCallBack = vi.fn(async () => {});
    const { unmount } = render(() => <ThreadView {...props('mine', { onCallBack }, mine)} />);
    fireEvent.click(screen.getByRole('button', { name: /Call back/ }));
    await waitFor(() => expect(onCallBack).toHaveBeenCalled());
    expect(await screen.findByRole('status')).toHaveTextContent('Ringing your desk phone');
    unmount();
    render(() => <ThreadView {...props('mine', { onCallBack: async () => Promise.reject(new Error('You have no desk phone set.')) }, mine)} />);
    fireEvent.click(screen.getByRole('button', { name: /Call back/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You have no desk phone set.');
  });

  it('shows a claim conflict in words', async () => {
    render(() => <ThreadView {...props('unclaimed', { onClaim: async () => Promise.reject(new Error('Riley already claimed this caller.')) })} />);
    fireEvent.click(screen.getByRole('button', { name: /Claim/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Riley already claimed this caller.');
  });

  it("blocks texting a colleague's caller but keeps notes", () => {
    render(() => <ThreadView {...props('theirs', {}, { claim: { staffId: 'riley', staffName: 'Riley', at: at(1) } })} />);
    expect(screen.queryByRole('button', { name: /Claim/ })).toBeNull();
    expect(screen.getByTestId('composer-blocked')).toHaveTextContent('Riley is handling this caller.');
    fireEvent.click(screen.getByRole('button', { name: /Internal note/ }));
    expect(screen.getByLabelText('Internal note (staff only)')).toBeInTheDocument();
  });

  it('disables the composer with the reason for an opted-out caller and for a landline', () => {
    const { unmount } = render(() => <ThreadView {...props('unclaimed', {}, { optedOut: true })} />);
    expect(screen.getByTestId('composer-blocked')).toHaveTextContent('opted out');
    expect(screen.queryByLabelText('Text to the caller')).toBeNull();
    unmount();
    render(() => <ThreadView {...props('unclaimed', {}, { lineType: 'landline', caller: '+17375550100' })} />);
    expect(screen.getByTestId('composer-blocked')).toHaveTextContent("Landline: this number can't receive texts.");
    expect(screen.getByTestId('composer-blocked')).toHaveTextContent('(737) 555-0100');
  });

  it('counts SMS segments and sends the reply', async () => {
    const p = props('mine');
    render(() => <ThreadView {...p} />);
    const box = screen.getByLabelText('Text to the caller');
    fireEvent.input(box, { target: { value: 'x'.repeat(161) } });
    expect(screen.getByTestId('segments')).toHaveTextContent('161 chars · 2 SMS');
    fireEvent.input(box, { target: { value: 'See you at 3 😊' } });
    expect(screen.getByTestId('segments')).toHaveTextContent('1 SMS (Unicode)');
    fireEvent.click(screen.getByRole('button', { name: 'Send text' }));
    await waitFor(() => expect(p.onReply).toHaveBeenCalledWith('See you at 3 😊'));
  });

  it('resolves with an outcome and a value', async () => {
    const p = props('mine');
    render(() => <ThreadView {...p} />);
    fireEvent.click(screen.getByRole('button', { name: /Resolve/ }));
    fireEvent.click(screen.getByLabelText('Booked'));
    fireEvent.input(screen.getByRole('spinbutton'), { target: { value: '350' } });
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(p.onResolve).toHaveBeenCalledWith('booked', 350));
  });
});
