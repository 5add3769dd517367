import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../testing/harness.js';
import { Store } from './store.js';

// What only history needs leaves the hot data, so a year of use does not slow every start and every event.
let relay: TestRelay | undefined;
afterEach(async () => relay?.stop());

describe('outbox growth', () => {
  it('drops finished entries two days after they were queued, keeps unfinished and recent ones and their messages', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-outbox-prune-'));
    try {
      const store = await Store.open(dir);
      const day = 86_400_000;
      const entry = (id: string, state: 'sent' | 'failed' | 'unknown', ageDays: number) => {
        const at = new Date(Date.now() - ageDays * day).toISOString();
        store.put('outbox', id, { id, messageId: `m_${id}`, from: '+15125550100', to: '+15125551077', text: 'x', state, attempts: 1, nextAttemptAt: at, createdAt: at, lastError: null });
      };
      entry('old_sent', 'sent', 3);
      entry('old_failed', 'failed', 5);
      entry('old_unknown', 'unknown', 5);
      entry('new_sent', 'sent', 1);
      await store.close();
      relay = await startTestRelay({ dir, env: { RINGBACK_FORCE_SANDBOX: '1' } });
      expect(Object.keys(relay.store.data.outbox).sort()).toEqual(['new_sent', 'old_unknown']);
    } finally {
      await relay?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('delivery-report bookkeeping growth', () => {
  it("a report's last Sequence is forgotten with its message: two days after it, or once it is archived", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-dlrseq-'));
    try {
      const store = await Store.open(dir);
      const at = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
      const msg = (id: string, uuid: string, when: string) =>
        store.put('messages', id, { id, threadId: 'th_x', seq: 1, direction: 'out', kind: 'reply', text: 'x', at: when, sentAt: when, status: 'delivered', statusReason: null, plivoUuid: uuid, staffId: null, staffName: null, clientId: null });
      msg('m_old', 'U_OLD', at(3));
      msg('m_new', 'U_NEW', at(0.5));
      for (const [k, v] of [['dlrseq:U_OLD', '3'], ['dlrseq:U_NEW', '2'], ['dlrseq:U_GONE', '1'], ['dlr:U_OLD:delivered:3', at(3)], ['dlr:U_NEW:delivered:2', at(0.5)]]) store.put('processed', k!, v!);
      await store.close();
      relay = await startTestRelay({ dir, env: { RINGBACK_FORCE_SANDBOX: '1' } });
      expect(Object.keys(relay.store.data.processed).sort()).toEqual(['dlr:U_NEW:delivered:2', 'dlrseq:U_NEW']);
    } finally {
      await relay?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
