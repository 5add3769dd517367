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

describe('ThreadView urgency', () => {
  it('shows a banner with the caller’s words and the urgent ones marked', () => {
    const p = props('unclaimed', {}, { urgent: true, urgentWords: ['bleeding', 'swollen'] });
    p.detail!.messages.push(aMessage({ id: 'pain', direction: 'in', text: 'my gum is bleeding and swollen', at: at(1) }));
    const { container } = render(() => <ThreadView {...p} />);
    const banner = screen.getByRole('alert');
    expect(banner).toHaveTextContent('Urgent — “my gum is bleeding and swollen”');
    expect([...banner.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['bleeding', 'swollen']);
    expect([...container.querySelectorAll('[data-message-id="pain"] mark')].map((m) => m.textContent)).toEqual(['bleeding', 'swollen']);
  });

  it('has no banner once the thread is resolved or when it is not urgent', () => {
    render(() => <ThreadView {...props('resolved', {}, { status: 'resolved', urgent: true, urgentWords: ['bleeding'] })} />);
    expect(screen.queryByText(/Urgent —/)).toBeNull();
  });
});

describe('ThreadView triage in one step', () => {
  it('resolves or marks spam without claiming first, and says a reply claims the caller', async () => {
    const p = props('unclaimed', { averageValue: 350 });
    render(() => <ThreadView {...p} />);
    expect(screen.getByText('Sending a text claims this caller for you.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Spam' }));
    await waitFor(() => expect(p.onResolve).toHaveBeenCalledWith('spam'));
    expect(p.onClaim).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    fireEvent.click(screen.getByLabelText('Booked'));
    expect(screen.getByTestId('default-value')).toHaveTextContent('Counts $350 (your average booking) unless you enter a value.');
    fireEvent.input(screen.getByRole('spinbutton'), { target: { value: '120' } });
    expect(screen.queryByTestId('default-value')).toBeNull();
  });

  it('claims and calls back in one click, in that order', async () => {
    const order: string[] = [];
    const p = props('breached', { onClaim: vi.fn(async () => order.push('claim')), onCallBack: vi.fn(async () => order.push('call')) });
    render(() => <ThreadView {...p} />);
    expect(screen.getByRole('button', { name: 'Claim' })).toHaveAttribute('aria-keyshortcuts', 'c');
    fireEvent.click(screen.getByRole('button', { name: 'Claim & call back' }));
    await waitFor(() => expect(order).toEqual(['claim', 'call']));
  });

  it('lets a manager release and reassign a colleague’s thread; a receptionist only sees who has it', async () => {
    const staff = [{ id: 'ana', name: 'Ana' }, { id: 'mo', name: 'Mo' }];
    const claim = { staffId: 'ana', staffName: 'Ana', at: at(1) };
    const p = props('theirs', { role: 'manager', staff, onAssign: vi.fn(async () => {}) }, { claim });
    const { unmount } = render(() => <ThreadView {...p} />);
    fireEvent.click(screen.getByRole('button', { name: 'Release' }));
    await waitFor(() => expect(p.onRelease).toHaveBeenCalled());
    const select = screen.getByLabelText('Hand this caller to') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Assign to…', 'Mo']);
    fireEvent.change(select, { target: { value: 'mo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Assign' }));
    await waitFor(() => expect(p.onAssign).toHaveBeenCalledWith('mo'));
    unmount();
    render(() => <ThreadView {...props('theirs', { role: 'receptionist', staff }, { claim })} />);
    expect(screen.queryByRole('button', { name: 'Release' })).toBeNull();
    expect(screen.queryByLabelText('Hand this caller to')).toBeNull();
  });

  it('confirms or dismisses a flagged opt-out on screen, and reopens a resolved thread', async () => {
    const onReviewOptOut = vi.fn(async () => {});
    const p = props('unclaimed', { onReviewOptOut }, { optOutReview: { messageId: 'm', text: 'please stop texting me', at: at(1) } });
    const { unmount } = render(() => <ThreadView {...p} />);
    expect(screen.getByRole('group', { name: 'Opt-out to review' })).toHaveTextContent('“please stop texting me”');
    fireEvent.click(screen.getByRole('button', { name: 'Not an opt-out' }));
    await waitFor(() => expect(onReviewOptOut).toHaveBeenCalledWith('dismiss'));
    unmount();
    const onReopen = vi.fn(async () => {});
    render(() => <ThreadView {...props('resolved', { onReopen }, { status: 'resolved', resolution: { outcome: 'booked', value: 1, staffId: 'x', staffName: 'Ana', at: at(1) } })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Reopen' }));
    await waitFor(() => expect(onReopen).toHaveBeenCalled());
  });
});

describe('ThreadView focus', () => {
  it('starts at the caller heading, leaves the composer on Esc, and focuses the first outcome when resolving', async () => {
    let controls: Parameters<NonNullable<ThreadViewProps['controls']>>[0] | undefined;
    render(() => <ThreadView {...props('mine', { controls: (c) => (controls = c) })} />);
    const heading = screen.getByRole('heading', { level: 2 });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    controls!.reply();
    const box = screen.getByRole('textbox', { name: 'Text to the caller' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(document.activeElement).toBe(heading);
    controls!.resolve();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Booked')));
  });
});

describe('ThreadView offline', () => {
  it('shows the caller and the number to call instead of loading forever', () => {
    render(() => <ThreadView {...props('unclaimed', { detail: undefined, summary: aThread({ callerName: 'Ana Ruiz' }), offline: true })} />);
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('Ana Ruiz');
    expect(screen.getByRole('status')).toHaveTextContent('To reach the caller now, call (512) 555-1077.');
    expect(screen.queryByText('Loading…')).toBeNull();
  });
});
