import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

type Op = 'call' | 'stop' | 'start' | 'revoke' | 'reply' | 'keyword' | 'help' | 'quick' | 'hello';
const OPS: readonly Op[] = ['call', 'stop', 'start', 'revoke', 'reply', 'keyword', 'help', 'quick', 'hello'];

/** Small seeded generator, so a failing sequence can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('no send path ever texts an opted-out number', () => {
  it('holds over generated sequences of STOP, START, revocations and sends on every path', async () => {
    relay = await startTestRelay({
      // No cooldowns, so every path really tries to send.
      business: testBusiness((c) => {
        c.textBack = { dedupeMinutes: 0 };
      }),
    });
    const boss = await relay.staff('Mo', 'manager');
    await relay.api(boss, 'POST', '/api/quick-replies', { label: 'Book', text: 'Hi {{firstName|there}}, book here: {{bookingUrl}}' });
    const sandboxCount = async () => (await relay.sent()).filter((m) => m.to === CALLER).length;
    const settled = () =>
      waitFor(() => Object.values(relay.store.data.outbox).every((e) => e.state === 'sent' || e.state === 'failed'), 'outbox idle');
    let threadId: string | null = null;
    let clientId = 0;

    for (let seed = 1; seed <= 12; seed++) {
      const next = rng(seed);
      for (let step = 0; step < 9; step++) {
        const op = OPS[Math.floor(next() * OPS.length)]!;
        const optedOutBefore = Boolean(relay.store.data.optOuts[CALLER]);
        const confirmationUsed = relay.store.data.optOuts[CALLER]?.confirmationSent ?? false;
        const before = await sandboxCount();
        switch (op) {
          case 'call':
            await relay.call({ answered: false });
            break;
          case 'stop':
            await relay.sms('STOP');
            break;
          case 'start':
            await relay.sms('START');
            break;
          case 'revoke':
            await relay.sms('please stop texting me');
            break;
          case 'keyword':
            await relay.sms('HOURS');
            break;
          case 'help':
            await relay.sms('HELP');
            break;
          case 'hello':
            await relay.sms('hello, can you call me?');
            break;
          case 'reply':
          case 'quick': {
            if (!threadId) break;
            let text = `Staff reply ${clientId}`;
            if (op === 'quick') {
              const list = (await relay.api(boss, 'GET', `/api/quick-replies?thread=${threadId}`)).body.quickReplies;
              text = list[0].rendered;
            }
            const res = await relay.api(boss, 'POST', `/api/threads/${threadId}/messages`, { text, clientId: `c${clientId++}` });
            if (optedOutBefore) expect(res.status, `seed ${seed} step ${step}: ${op}`).toBe(422);
            break;
          }
        }
        threadId ??= (await relay.api(boss, 'GET', '/api/threads')).body.threads[0]?.id ?? null;
        await settled();
        const sent = (await relay.sent()).filter((m) => m.to === CALLER).slice(before);
        const where = `seed ${seed} step ${step}: ${op} (opted out before: ${optedOutBefore})`;
        if (op === 'start' && optedOutBefore) {
          // Re-subscribed: the welcome-back text is the only thing that may go.
          expect(sent.every((m) => /subscribed again/.test(m.text)), where).toBe(true);
        } else if (optedOutBefore) {
          expect(sent, where).toEqual([]);
        } else if (op === 'stop' || op === 'revoke') {
          // The one confirmation allowed after an opt-out, and only the first time.
          expect(sent.length, where).toBeLessThanOrEqual(confirmationUsed ? 0 : 1);
          expect(sent.every((m) => /unsubscribed/.test(m.text)), where).toBe(true);
        }
        // Whatever happened, once the number is suppressed nothing else is in flight to it.
        if (relay.store.data.optOuts[CALLER]) {
          const pendingTo = Object.values(relay.store.data.outbox).filter((e) => e.to === CALLER && e.state === 'pending');
          expect(pendingTo, where).toEqual([]);
        }
      }
    }
    // Not vacuous: plenty went out while the caller was subscribed.
    expect(await sandboxCount()).toBeGreaterThan(10);
    // The sandbox line enforces Plivo's own opt-out too: nothing it accepted failed with error 200.
    expect((await relay.sent()).filter((m: any) => m.errorCode === '200')).toEqual([]);
  }, 120_000);
});
