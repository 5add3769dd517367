import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Metrics } from '@ringback/shared';
import { readArchives } from '../store/archive.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import type { Ctx } from './context.js';
import { writeMonths } from './fixtures/write-months.js';
import { History } from './history.js';
import { Queries } from './queries.js';

const DAY = 86_400_000;
const MIN = 60_000;
const force = { RINGBACK_FORCE_SANDBOX: '1' };

let relay: TestRelay | null = null;
let dir = '';
afterEach(async () => {
  await relay?.stop();
  relay = null;
  await rm(dir, { recursive: true, force: true });
});

/** Figures counted from every raw record (archived and hot) in memory, as before anything was kept. */
async function reference(r: TestRelay, now: Date): Promise<Queries> {
  const ctx = { store: r.store, config: r.config, now: () => now } as unknown as Ctx;
  return new Queries(ctx, new History(r.store, await readArchives(r.dir), false));
}

describe('the last 365 days', () => {
  it('read as the cached span of days plus its two ends: equal to the raw count, and a change today is seen by the next request', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-m365-'));
    const clock = { now: new Date('2026-06-15T15:00:00Z') };
    await writeMonths(dir, clock.now, 400);
    relay = await startTestRelay({ dir, now: () => clock.now, env: force });
    await relay.figuresReady;
    const manager = await relay.staff('Morgan', 'manager');
    const year = async (): Promise<Metrics> => {
      const now = clock.now.getTime();
      const res = await relay!.api<Metrics>(manager, 'GET', `/api/metrics?from=${new Date(now - 365 * DAY + 12_345).toISOString()}&to=${clock.now.toISOString()}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    const raw = async (m: Metrics) => JSON.parse(JSON.stringify((await reference(relay!, clock.now)).metrics(new Date(m.from), new Date(m.to)))) as Metrics;

    await relay.queries.prepare(new Date(clock.now.getTime() - 365 * DAY), clock.now, undefined);
    const first = await year();
    expect(first.from).toBe('2025-06-15T15:00:00.000Z'); // in a kept day: snapped to the hour
    expect(first.inbound).toBeGreaterThan(1000);
    expect(first.booked).toBeGreaterThan(50);
    expect(first.funnel.qualified).toBeGreaterThan(50);
    expect(first).toEqual(await raw(first));
    expect(await year()).toEqual(first); // the span's digest reused

    // Today: a missed call with its text-back, a reply and a booked resolution. The next answer counts them.
    clock.now = new Date(clock.now.getTime() + 5 * MIN);
    await relay.call({ from: '+15125550777', answered: false });
    await relay.sms('Can I come Friday?', '+15125550777');
    const threads = (await relay.api(manager, 'GET', '/api/threads')).body.threads as { id: string; caller: string }[];
    const id = threads.find((t) => t.caller === '+15125550777')!.id;
    expect((await relay.api(manager, 'POST', `/api/threads/${id}/messages`, { text: 'Friday 10:00 works', clientId: 'y1' })).status).toBe(201);
    expect((await relay.api(manager, 'POST', `/api/threads/${id}/resolve`, { outcome: 'booked', value: 175 })).status).toBe(200);
    // The sandbox carrier reports the text-back delivered a moment later; what happened at `now` is not before `to`.
    await waitFor(() => Object.values(relay!.store.data.messages).some((m) => m.threadId === id && m.kind === 'text-back' && m.status === 'delivered') || undefined, 'delivered');
    clock.now = new Date(clock.now.getTime() + MIN);
    const today = await year();
    expect(today.inbound).toBe(first.inbound + 1);
    expect(today.missed).toBe(first.missed + 1);
    expect(today.replied).toBe(first.replied + 1);
    expect(today.qualified).toBe(first.qualified + 1);
    expect(today.booked).toBe(first.booked + 1);
    expect(today.revenue).toBe(first.revenue + 175);
    expect(today.funnel.booked).toBe(first.funnel.booked + 1);
    expect(today).toEqual(await raw(today));

    // A thread open since long ago resolved as booked now: its resolution counts today, and its old resolution
    // (if any, inside the span) is replaced by the latest, as the raw count does.
    const open = Object.values(relay.store.data.threads).find((t) => t.status === 'open' && Date.parse(t.openedAt) < clock.now.getTime() - 30 * DAY);
    expect(open).toBeDefined();
    expect((await relay.api(manager, 'POST', `/api/threads/${open!.id}/resolve`, { outcome: 'booked', value: 90 })).status).toBe(200);
    clock.now = new Date(clock.now.getTime() + MIN);
    const later = await year();
    expect(later.booked).toBe(today.booked + 1);
    expect(later).toEqual(await raw(later));
  }, 60_000);

  it('just after UTC midnight the new day\'s spans are warmed by themselves, before anyone asks', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-midnight-'));
    const clock = { now: new Date('2026-06-15T23:59:59.000Z') };
    await writeMonths(dir, clock.now, 40);
    relay = await startTestRelay({ dir, now: () => clock.now, env: force });
    await relay.figuresReady;
    const lastDays = () => [...relay!.queries.spans.entries()].map(([, s]) => s.last);
    const today = Date.parse('2026-06-15T00:00:00Z');
    expect(Math.max(...lastDays())).toBe(today);
    clock.now = new Date('2026-06-16T00:00:00.500Z');
    await waitFor(() => lastDays().includes(today + DAY), 'the spans ending at the new day', 8000);
  });
});
