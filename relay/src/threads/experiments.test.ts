import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assignVariant, experimentSchema } from '@ringback/shared';
import { startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const experiment = {
  id: 'hook-cta',
  template: 'missed' as const,
  minSamplePerVariant: 10,
  variants: [
    { id: 'A', text: 'Sorry we missed your call at {{business}}. Book online: {{bookingUrl}}' },
    { id: 'B', text: 'Hi from {{business}}! Want us to call you back? Just reply YES.' },
  ],
};

describe('A/B test of text-back copy', () => {
  it('sends each caller the copy of their variant and reports results per variant', async () => {
    relay = await startTestRelay({ business: testBusiness((c) => (c.experiments = [experiment])) });
    const token = await relay.staff('Ana', 'manager');
    const callers = Array.from({ length: 24 }, (_, i) => `+1512555${String(3000 + i)}`);
    for (const from of callers) await relay.call({ from, answered: false });
    await waitFor(async () => (await relay.sent()).length === 24, '24 text-backs', 15_000);

    const parsed = experimentSchema.parse(experiment);
    const calls = Object.values(relay.store.data.calls);
    const sent = await relay.sent();
    for (const call of calls) {
      const variant = assignVariant(parsed, call.id);
      const text = sent.find((m) => m.to === call.from)!.text;
      expect(text.startsWith(variant.id === 'A' ? 'Sorry we missed your call at Bright Smile Dental' : 'Hi from Bright Smile Dental!')).toBe(true);
    }
    // Three callers of each variant reply.
    const byVariant = (v: string) => calls.filter((c) => assignVariant(parsed, c.id).id === v).map((c) => c.from);
    for (const from of [...byVariant('A').slice(0, 3), ...byVariant('B').slice(0, 3)]) await relay.sms('yes please', from);
    await waitFor(() => Object.values(relay.store.data.messages).filter((m) => m.kind === 'text-back' && m.sentAt).length === 24, 'all sent');

    const { experiments } = (await relay.api(token, 'GET', '/api/experiments')).body;
    expect(experiments).toHaveLength(1);
    const [a, b] = experiments[0].variants;
    expect(a.sent + b.sent).toBe(24);
    expect(a.sent).toBe(byVariant('A').length);
    expect([a.replied, b.replied]).toEqual([3, 3]);
    expect(experiments[0].winner).toBeNull();
    const review = String((await relay.api(token, 'GET', '/api/reports/monthly?month=2026-11')).body);
    expect(review).toContain('hook-cta');
  });

  it('keeps counting threads that moved to the archive: results stay the same once they are a month old', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-experiment-archive-'));
    const business = testBusiness((c) => (c.experiments = [experiment]));
    try {
      relay = await startTestRelay({ business, dir });
      const token = await relay.staff('Ana', 'manager');
      const callers = Array.from({ length: 12 }, (_, i) => `+1512555${String(4000 + i)}`);
      for (const from of callers) await relay.call({ from, answered: false });
      await waitFor(() => Object.values(relay.store.data.messages).filter((m) => m.kind === 'text-back' && m.sentAt).length === 12, 'all sent', 15_000);
      for (const from of callers.slice(0, 5)) await relay.sms('yes please', from);
      await waitFor(() => Object.values(relay.store.data.messages).filter((m) => m.direction === 'in').length === 5, 'five replies');
      for (const t of Object.values(relay.store.data.threads)) {
        expect((await relay.api(token, 'POST', `/api/threads/${t.id}/resolve`, { outcome: t.caller === callers[0] ? 'booked' : 'no-answer', value: 100 })).status).toBe(200);
      }
      const before = (await relay.api(token, 'GET', '/api/experiments')).body.experiments[0].variants;
      expect(before.reduce((n: number, v: { sent: number }) => n + v.sent, 0)).toBe(12);
      await relay.stop();

      // Forty days on, every thread and its texts have left the hot data for the month file.
      const later = new Date(Date.now() + 40 * 86_400_000);
      relay = await startTestRelay({ business, dir, now: () => later, env: { RINGBACK_FORCE_SANDBOX: '1' } });
      await relay.figuresReady;
      expect(Object.keys(relay.store.data.threads)).toHaveLength(0);
      const token2 = await relay.staff('Ana2', 'manager');
      const after = (await relay.api(token2, 'GET', '/api/experiments')).body.experiments[0].variants;
      expect(after).toEqual(before);
      expect(after.reduce((n: number, v: { replied: number }) => n + v.replied, 0)).toBe(5);
      expect(after.reduce((n: number, v: { booked: number }) => n + v.booked, 0)).toBe(1);
    } finally {
      await relay?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses two experiments on the same text at the same location', async () => {
    const { businessConfigSchema } = await import('@ringback/shared');
    const bad = testBusiness((c) => (c.experiments = [experiment, { ...experiment, id: 'other' }]));
    const r = businessConfigSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/both test the missed text/);
  });
});
