import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store.js';
import { sleep, startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const stats = async (r: TestRelay) => (await r.api(null, 'GET', '/sandbox/stats')).body as { messagePosts: number };
const message = (r: TestRelay) => Object.values(r.store.data.messages)[0];

describe('outbox', () => {
  it('retries 5xx answers with backoff and sends once', async () => {
    relay = await startTestRelay({ outbox: { retryBaseMs: 50 } });
    await relay.api(null, 'POST', '/sandbox/faults', { messageStatus: [500, 503] });
    await relay.call({ answered: false });
    await waitFor(() => message(relay)?.status === 'delivered', 'delivered after retries');
    expect((await stats(relay)).messagePosts).toBe(3);
    expect(await relay.sent()).toHaveLength(1);
    expect(Object.values(relay.store.data.outbox)[0]).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('a burst of 500s longer than the old six attempts: delivered once, and only the probe met the outage', async () => {
    relay = await startTestRelay({ outbox: { retryBaseMs: 20, retryMaxMs: 80, breakerThreshold: 3 } });
    await relay.api(null, 'POST', '/sandbox/faults', { messageStatus: Array(12).fill(500) });
    await relay.call({ answered: false });
    await waitFor(() => message(relay)?.status === 'delivered', 'delivered after the outage', 10_000);
    // Twelve refused posts and the one that went through: nothing extra, nothing given up.
    expect((await stats(relay)).messagePosts).toBe(13);
    expect(await relay.sent()).toHaveLength(1);
    expect(Object.values(relay.store.data.outbox)[0]).toMatchObject({ state: 'sent', attempts: 13, held: false });
  });

  it('a 4xx is final: the message fails with the reason and is not retried', async () => {
    relay = await startTestRelay({ outbox: { retryBaseMs: 50 } });
    await relay.api(null, 'POST', '/sandbox/faults', { messageStatus: [400] });
    await relay.call({ answered: false });
    const m = await waitFor(() => (message(relay)?.status === 'failed' ? message(relay) : undefined), 'failed');
    expect(m.statusReason).toMatch(/refused/);
    await sleep(300);
    expect((await stats(relay)).messagePosts).toBe(1);
    const t = Object.values(relay.store.data.threads)[0]!;
    expect(t.textBack?.state).toBe('failed');
  });

  it('an answer that never comes is not blindly repeated: Plivo is asked first', async () => {
    relay = await startTestRelay({ outbox: { retryBaseMs: 50, reconcileAfterMs: 200 }, plivoTimeoutMs: 500 });
    // The stand-in takes the message and then never answers; the client gives up after its timeout.
    await relay.api(null, 'POST', '/sandbox/faults', { hang: 1 });
    await relay.call({ answered: false });
    await waitFor(() => ['sent', 'delivered'].includes(message(relay)?.status ?? ''), 'reconciled as sent', 20_000);
    expect((await stats(relay)).messagePosts).toBe(1);
    expect(message(relay)!.plivoUuid).toBe((await relay.sent())[0]!.uuid);
  }, 30_000);

  it('a text-back decided while the relay starts (its hangup was acknowledged just before a crash) goes out at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-outbox-'));
    try {
      relay = await startTestRelay({ dir });
      await relay.call({ answered: false });
      await waitFor(() => message(relay)?.status === 'delivered', 'the first text-back');
      await relay.stop();
      // Back to the moment after the hangup was saved and before its text-back was decided.
      const store = await Store.open(dir);
      for (const m of Object.values(store.data.messages)) store.put('messages', m.id, undefined);
      for (const e of Object.values(store.data.outbox)) store.put('outbox', e.id, undefined);
      for (const c of Object.values(store.data.calls)) {
        c.textBackSettled = false;
        store.touch('calls', c.id);
      }
      await store.commit();
      await store.close();

      relay = await startTestRelay({ dir });
      await waitFor(async () => (await relay.sent()).length === 1, 'the text-back after the restart', 3000);
    } finally {
      await relay.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
