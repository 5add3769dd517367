import { describe, expect, it, vi } from 'vitest';
import type { MeReply, ThreadSummary } from '@ringback/shared';
import type { LiveHandlers, RelayApi } from '@ringback/shared/client';
import { watchRelay } from './relay-watch.js';

const T0 = Date.parse('2026-03-02T20:00:00Z');
const me: MeReply = { staff: { id: 'me', name: 'Ana', role: 'manager' }, business: { name: 'Bright Smile', bookingUrl: '' }, locations: [{ id: 'main', name: 'Main St', timezone: 'America/Chicago', numbers: [] }], sla: { claimMinutes: 5 }, seq: 1 };
const thread = (id: string, seq: number, over: Partial<ThreadSummary> = {}): ThreadSummary => ({
  id, seq, locationId: 'main', trackingNumber: '+15125550100', caller: '+15125550101', callerDisplay: '(512) 555-0101', callerName: null, status: 'open',
  openedAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), lastMissedAt: new Date(T0).toISOString(), missedCount: 1,
  lineType: null, optedOut: false, textBack: null, voicemail: null, claim: null, resolution: null, lastMessage: null, ...over,
});

function setup(open: ThreadSummary[]) {
  let h!: LiveHandlers;
  const api = { me: vi.fn(async () => me), openThreads: vi.fn(async () => ({ threads: open, seq: 5 })) } as unknown as RelayApi;
  const onTrigger = vi.fn();
  const onChange = vi.fn();
  const w = watchRelay({
    api,
    settings: { relayUrl: 'http://r', token: 't' },
    connect: (_s, handlers) => ((h = handlers), { state: () => ({ kind: 'live' }), retryNow() {}, close() {} }),
    onChange,
    onTrigger,
  });
  return { w, h: () => h, onTrigger, api };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('relay watch', () => {
  it('counts unclaimed and breached from the snapshot, without notifying for it', async () => {
    const { w, h, onTrigger } = setup([thread('a', 2), thread('b', 3, { claim: { staffId: 'x', staffName: 'Riley', at: '' } })]);
    h().state!({ kind: 'live' });
    h().connected!();
    await tick();
    expect(w.snapshot(T0 + 60_000)).toMatchObject({ connection: 'live', unclaimed: 1, breached: 0, timezone: 'America/Chicago' });
    expect(w.snapshot(T0 + 6 * 60_000).breached).toBe(1);
    expect(onTrigger).not.toHaveBeenCalled();
  });

  it('does not count a caller the booking assistant is serving as waiting', async () => {
    const talking = { step: 'time' as const, questionId: null, serviceId: 'cleaning', answers: {}, wish: null, offered: [], textsSinceReply: 1, startedAt: new Date(T0).toISOString(), qualifiedAt: null, bookingId: null, handedOff: null };
    const { w, h } = setup([thread('a', 2, { assistant: talking }), thread('b', 3)]);
    h().state!({ kind: 'live' });
    h().connected!();
    await tick();
    expect(w.snapshot(T0 + 60_000).unclaimed).toBe(1);
  });

  it('notifies for pushes after the snapshot, and drops resolved threads', async () => {
    const { w, h, onTrigger } = setup([thread('a', 2)]);
    h().state!({ kind: 'live' });
    h().connected!();
    await tick();
    h().thread!({ seq: 6, thread: thread('c', 6) });
    expect(onTrigger).toHaveBeenCalledWith(expect.objectContaining({ kind: 'missed' }));
    h().thread!({ seq: 7, thread: thread('a', 7, { status: 'resolved' }) });
    expect(w.snapshot(T0).unclaimed).toBe(1);
  });

  it('reports a refused token', async () => {
    const { w, h, api } = setup([]);
    (api.me as ReturnType<typeof vi.fn>).mockRejectedValueOnce(Object.assign(new (await import('@ringback/shared/client')).RelayError('unauthorized', 401, 'unauthorized', 'no')));
    h().connected!();
    await tick();
    expect(w.snapshot(T0).connection).toBe('unauthorized');
  });
});
