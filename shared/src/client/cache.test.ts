import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/query-core';
import { applyMessage, applyThread, withThread } from './cache.js';
import { aMessage, aThread } from './fixtures.js';
import { keys } from './keys.js';

describe('cache updates from socket events', () => {
  it('moves a thread between the open and resolved lists and ignores older copies', () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.open, { threads: [aThread({ seq: 5 })], seq: 5 });
    qc.setQueryData(keys.resolved, { threads: [], seq: 5 });
    applyThread(qc, aThread({ seq: 4, callerName: 'old' }));
    expect(qc.getQueryData<any>(keys.open).threads[0].callerName).toBeNull();
    applyThread(qc, aThread({ seq: 6, status: 'resolved' }));
    expect(qc.getQueryData<any>(keys.open).threads).toHaveLength(0);
    expect(qc.getQueryData<any>(keys.resolved).threads[0].seq).toBe(6);
  });

  it('adds a new thread to a loaded list but leaves an unloaded list alone', () => {
    expect(withThread(undefined, aThread(), 'open')).toBeUndefined();
    const t = aThread({ seq: 3 });
    expect(withThread({ threads: [], seq: 0 }, t, 'open')).toEqual({ threads: [t], seq: 3 });
  });

  it('adds and updates messages of a cached thread in time order', () => {
    const qc = new QueryClient();
    const t = aThread();
    qc.setQueryData(keys.thread('t1'), { thread: t, calls: [], messages: [], notes: [], seq: 1 });
    applyMessage(qc, aMessage({ id: 'b', seq: 3, at: '2026-01-01T10:01:00Z', status: 'sent', direction: 'out' }));
    applyMessage(qc, aMessage({ id: 'a', seq: 2, at: '2026-01-01T10:00:00Z' }));
    applyMessage(qc, aMessage({ id: 'b', seq: 4, at: '2026-01-01T10:01:00Z', status: 'delivered', direction: 'out' }));
    const d = qc.getQueryData<any>(keys.thread('t1'));
    expect(d.messages.map((m: any) => `${m.id}:${m.status}`)).toEqual(['a:received', 'b:delivered']);
  });
});
