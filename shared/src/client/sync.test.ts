import { describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/query-core';
import { aMessage, aThread } from './fixtures.js';
import { keys } from './keys.js';
import type { LiveHandlers } from './live.js';
import type { RelayApi } from './rest.js';
import { createRelaySync } from './sync.js';

function setup(api: Partial<RelayApi>) {
  const qc = new QueryClient();
  let handlers!: LiveHandlers;
  const sync = createRelaySync(qc, api as RelayApi, { relayUrl: 'http://r', token: 't' }, {
    connect: (_s, h) => {
      handlers = h;
      return { state: () => ({ kind: 'live' }), retryNow: () => {}, close: () => {} };
    },
  });
  return { qc, sync, handlers: () => handlers };
}

describe('relay sync', () => {
  it('resyncs from the last seq on reconnect and applies what was missed', async () => {
    const events = vi.fn(async () => ({ seq: 9, threads: [aThread({ seq: 8, claim: { staffId: 'x', staffName: 'Riley', at: '' } })], messages: [aMessage({ seq: 9 })] }));
    const { qc, sync, handlers } = setup({ openThreads: async () => ({ threads: [aThread({ seq: 5 })], seq: 5 }), events });
    qc.setQueryData(keys.open, await sync.fetchOpen());
    qc.setQueryData(keys.thread('t1'), { thread: aThread({ seq: 5 }), calls: [], messages: [], notes: [], seq: 5 });
    handlers().connected!();
    await vi.waitFor(() => expect(events).toHaveBeenCalledWith(5));
    await vi.waitFor(() => expect(sync.lastSeq()).toBe(9));
    expect(qc.getQueryData<any>(keys.open).threads[0].claim.staffName).toBe('Riley');
    expect(qc.getQueryData<any>(keys.thread('t1')).messages).toHaveLength(1);
  });

  it('keeps a push that raced with a slower list fetch', async () => {
    let release!: (v: { threads: any[]; seq: number }) => void;
    const { sync, handlers } = setup({ openThreads: () => new Promise((r) => (release = r)) });
    const pending = sync.fetchOpen();
    handlers().thread!({ seq: 7, thread: aThread({ seq: 7, callerName: 'New' }) });
    release({ threads: [aThread({ seq: 6 })], seq: 6 });
    expect((await pending).threads[0]!.callerName).toBe('New');
  });
});
