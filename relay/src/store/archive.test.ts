import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import { readArchive } from './archive.js';

let relay: TestRelay | null = null;
let dir = '';
afterEach(async () => {
  await relay?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('archive', () => {
  it('moves threads resolved over 30 days ago to a month file; the caller gets a new thread', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-archive-'));
    let clock = new Date('2026-09-10T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady;
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    const thread = await waitFor(async () => (await relay!.api(token, 'GET', '/api/threads')).body.threads[0], 'thread');
    await waitFor(async () => (await relay!.sent()).length === 1, 'text-back');
    await relay.api(token, 'POST', `/api/threads/${thread.id}/resolve`, { outcome: 'booked', value: 420 });
    await relay.stop();

    clock = new Date('2026-10-20T15:00:00Z');
    relay = await startTestRelay({ dir, now: () => clock });
    await relay.figuresReady;
    expect(relay.store.data.threads[thread.id]).toBeUndefined();
    expect(Object.keys(relay.store.data.messages)).toHaveLength(0);
    const month = await readArchive(dir, '2026-09');
    expect(month.threads[thread.id]).toMatchObject({ status: 'resolved', resolution: { value: 420 } });
    expect(Object.values(month.messages).map((m) => m.kind)).toEqual(['text-back']);
    expect(Object.values(month.calls)).toHaveLength(1);
    // Patients' numbers and texts: for the relay's user only.
    expect((await stat(path.join(dir, 'archive'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'archive', '2026-09.json'))).mode & 0o777).toBe(0o600);

    const token2 = await relay.staff('Sam', 'manager');
    // Archived months still count in the figures.
    const september = (await relay.api(token2, 'GET', '/api/metrics?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z')).body;
    expect(september).toMatchObject({ missed: 1, texted: 1, booked: 1, revenue: 420 });
    const review = String((await relay.api(token2, 'GET', '/api/reports/monthly?month=2026-09')).body);
    expect(review).toContain('$420');
    await relay.call({ answered: false });
    const fresh = await waitFor(async () => (await relay!.api(token2, 'GET', '/api/threads')).body.threads[0], 'new thread');
    expect(fresh.id).not.toBe(thread.id);
  });
});
