import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { own } from '../store/own.js';
import { Store } from '../store/store.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay | null = null;
let dir = '';
afterEach(async () => {
  await relay?.stop();
  relay = null;
  await rm(dir, { recursive: true, force: true });
});

describe('Lookup answers', () => {
  it('older than their month leave the hot data at start; a caller whose answer left is looked up again', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-linetypes-'));
    const now = new Date('2026-11-20T15:00:00Z');
    const store = await Store.open(dir);
    store.put('lineTypes', '+15125550177', { type: 'landline', at: '2026-10-01T10:00:00.000Z' });
    store.put('lineTypes', '+15125550178', { type: 'landline', at: '2026-11-15T10:00:00.000Z' });
    await store.commit();
    await store.close();

    relay = await startTestRelay({ dir, now: () => now });
    const { lineTypes } = relay.store.data;
    expect(Object.keys(lineTypes)).toEqual(['+15125550178']);
    // The sandbox line says every number is a mobile: the landline answer that left is not used again.
    await relay.call({ answered: false, from: '+15125550177' });
    await waitFor(() => own(lineTypes, '+15125550177')?.type === 'mobile', 'a fresh Lookup');
  });
});
