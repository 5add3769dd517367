import { readFile, readdir, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordedMode } from '../config/data-mode.js';
import { archiveMonths, archiveResolved, readArchive, readArchives } from '../store/archive.js';
import { Store } from '../store/store.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import type { Ctx } from './context.js';
import { FACTS_VERSION } from './facts-file.js';
import { writeMonths } from './fixtures/write-months.js';
import { History } from './history.js';
import { Queries } from './queries.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T12:00:00Z');
const force = { RINGBACK_FORCE_SANDBOX: '1' };

let relay: TestRelay | null = null;
let dir = '';
afterEach(async () => {
  await relay?.stop();
  relay = null;
  await rm(dir, { recursive: true, force: true });
});

/** The figures as they were counted before days were kept: every archived and hot record in memory. */
async function reference(r: TestRelay): Promise<Queries> {
  const ctx = { store: r.store, config: r.config, now: () => NOW } as unknown as Ctx;
  return new Queries(ctx, new History(r.store, await readArchives(r.dir), false));
}

const ranges: [string, Date, Date][] = [
  ['90 days of whole UTC days', new Date(NOW.getTime() - 90 * DAY - 12 * 3600_000), new Date(NOW.getTime() - 12 * 3600_000)],
  ['a closed month in local time (partial days at both ends)', new Date('2026-04-01T05:00:00Z'), new Date('2026-05-01T05:00:00Z')],
  ['one local day long closed', new Date('2026-04-10T05:00:00Z'), new Date('2026-04-11T05:00:00Z')],
  ['across the edge of the hot window', new Date('2026-05-01T05:00:00Z'), NOW],
];

async function expectSameFigures(r: TestRelay): Promise<void> {
  const old = await reference(r);
  for (const [what, from, to] of ranges) {
    await r.queries.prepare(from, to, undefined);
    expect(r.queries.metrics(from, to), what).toEqual(old.metrics(from, to));
  }
}

const ids = (m: Record<string, unknown>) => Object.keys(m);

/** A fresh data dir with 120 days of records and a relay on it (its first start archives), figures ready. */
async function relayOnMonths(): Promise<{ relay: TestRelay; all: Awaited<ReturnType<typeof writeMonths>> }> {
  dir = await mkdtemp(path.join(tmpdir(), 'ringback-close-'));
  const all = await writeMonths(dir, NOW, 120);
  relay = await startTestRelay({ dir, now: () => NOW, env: force });
  await relay.figuresReady;
  return { relay, all };
}

describe('closed days and archived months', () => {
  it('starts with only hot records in memory; figures over archived months equal those counted from every raw record', async () => {
    const { relay, all } = await relayOnMonths();
    const store = relay.store.data;
    const cutoff = Math.floor((NOW.getTime() - 30 * DAY) / DAY) * DAY;

    // Old answered calls, resolved threads and the audit log's head left the hot data.
    expect(ids(store.threads).length).toBeLessThan(ids(all.threads).length / 3);
    expect(Object.values(store.calls).filter((c) => Date.parse(c.startedAt) < cutoff && c.threadId === null)).toEqual([]);
    expect(Date.parse(store.audit[0]!.at)).toBeGreaterThanOrEqual(cutoff);
    // The data's mode was in the archived head: it is carried forward.
    expect(recordedMode(store)).toBe('sandbox');
    // History indexes hot records only.
    const history = (relay.queries as unknown as { history: History }).history;
    const slice = history.slice(0, NOW.getTime() + DAY, undefined);
    expect(slice.threads.every((t) => t.id in store.threads)).toBe(true);
    expect(slice.calls.every((c) => c.id in store.calls)).toBe(true);
    expect(slice.calls.length).toBe(ids(store.calls).length);

    // Nothing lost, nothing twice: hot + archive = what was written.
    const archives = await readArchives(dir);
    for (const kind of ['threads', 'calls', 'messages'] as const) {
      const held = [...ids(store[kind]), ...archives.flatMap((a) => ids(a[kind]))];
      expect(new Set(held).size, kind).toBe(held.length);
      expect(held.sort(), kind).toEqual(ids(all[kind]).sort());
    }
    const seqs = [...archives.flatMap((a) => a.audit), ...store.audit].map((e) => e.seq);
    expect(seqs.slice(0, all.audit.length)).toEqual(all.audit.map((e) => e.seq));

    await expectSameFigures(relay);
    // Facts were kept for every closed day.
    const facts = await readdir(path.join(dir, 'archive', 'facts'));
    expect(facts).toEqual(expect.arrayContaining(['2026-02.json', '2026-05.json', 'meta.json']));
  });

  it('the staffing grid over archived days is read from the kept facts and equals the one counted from every raw call', async () => {
    relay = (await relayOnMonths()).relay;
    const old = await reference(relay);
    for (const [what, from, to] of ranges) {
      const kept = await relay.queries.staffing(from, to, undefined);
      expect(kept.cells.reduce((n, c) => n + c.missed + c.answered, 0), what).toBeGreaterThan(0);
      expect(kept, what).toEqual(await old.staffing(from, to, undefined));
    }
  });

  it('a kept month cut short (a full disk, a careless copy) is counted again from the raw months when it is read', async () => {
    relay = (await relayOnMonths()).relay;
    await relay.stop();
    for (const name of ['2026-04.json', '2026-04.hours.json']) {
      const file = path.join(dir, 'archive', 'facts', name);
      await writeFile(file, (await readFile(file, 'utf8')).slice(0, 2000)); // its head (version) still reads
    }
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    const old = await reference(relay);
    const april: [Date, Date] = [new Date('2026-04-01T05:00:00Z'), new Date('2026-05-01T05:00:00Z')];
    await waitFor(async () => {
      await relay!.queries.prepare(...april, undefined);
      return JSON.stringify(relay!.queries.metrics(...april)) === JSON.stringify(old.metrics(...april));
    }, 'April counted again', 10_000);
    expect(old.metrics(...april).inbound).toBeGreaterThan(0);
    for (const name of ['2026-04.json', '2026-04.hours.json']) JSON.parse(await readFile(path.join(dir, 'archive', 'facts', name), 'utf8'));
  });

  it('reads kept facts at start instead of the raw months; a kept file of another version is counted again', async () => {
    relay = (await relayOnMonths()).relay;
    await relay.stop();

    // A day's kept facts are what the figures say about that day: nothing recounts them from the raw months.
    const file = path.join(dir, 'archive', 'facts', '2026-04.json');
    const kept = JSON.parse(await readFile(file, 'utf8'));
    const day = String(Date.parse('2026-04-10T00:00:00Z'));
    const key = Object.keys(kept.days[day])[0]!;
    kept.days[day][key].inbound += 1000;
    await writeFile(file, JSON.stringify(kept));
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    const from = new Date('2026-04-10T00:00:00Z');
    const to = new Date('2026-04-11T00:00:00Z');
    const old = await reference(relay);
    expect(relay.queries.metrics(from, to).inbound).toBe(old.metrics(from, to).inbound + 1000);
    await relay.stop();

    // The same file under an older shape of facts: every day is counted again from the raw months, once.
    kept.version = 'older';
    await writeFile(file, JSON.stringify(kept));
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(FACTS_VERSION);
    await expectSameFigures(relay);
  });

  it('a crash between writing the month files and leaving the hot data loses and duplicates nothing', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-close-'));
    const all = await writeMonths(dir, NOW, 120);
    const store = await Store.open(dir);
    await expect(
      archiveResolved(store, NOW, {
        afterWrite: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    await store.close();
    // Written, not yet removed: both copies exist.
    const written = await readArchive(dir, '2026-03');
    expect(ids(written.threads).some((id) => id in all.threads)).toBe(true);
    expect(written.audit.length).toBeGreaterThan(0);

    relay = await startTestRelay({ dir, now: () => NOW, env: force });

    await relay.figuresReady;
    const archives = await readArchives(dir);
    for (const kind of ['threads', 'calls', 'messages'] as const) {
      const held = [...ids(relay.store.data[kind]), ...archives.flatMap((a) => ids(a[kind]))];
      expect(new Set(held).size, kind).toBe(held.length);
      expect(held.sort(), kind).toEqual(ids(all[kind]).sort());
    }
    const seqs = [...archives.flatMap((a) => a.audit), ...relay.store.data.audit].map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.slice(0, all.audit.length)).toEqual(all.audit.map((e) => e.seq));
    await expectSameFigures(relay);
  });

  it('an archived thread, the audit log and the exports still reach the archived months', async () => {
    const { relay, all } = await relayOnMonths();
    const token = await relay.staff('Morgan', 'manager');
    const archived = Object.values(all.threads).find((t) => t.resolution && t.openedAt < '2026-03-01' && t.resolution.at > '2026-02-20')!;
    expect(relay.store.data.threads[archived.id]).toBeUndefined();
    const detail = (await relay.api(token, 'GET', `/api/threads/${archived.id}`)).body;
    expect(detail.thread).toMatchObject({ id: archived.id, status: 'resolved' });
    expect(detail.calls.map((c: { id: string }) => c.id)).toEqual([`c_${archived.id}`]);
    expect(detail.messages.length).toBe(Object.values(all.messages).filter((m) => m.threadId === archived.id).length);
    expect(detail.history.map((e: { action: string }) => e.action)).toEqual(['claim', 'resolve']);
    expect((await relay.api(token, 'GET', '/api/threads/th_nope')).status).toBe(404);

    const feb = (await relay.api(token, 'GET', '/api/audit?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z&limit=500')).body.entries;
    const febAll = all.audit.filter((e) => e.at >= '2026-02-01' && e.at < '2026-03-01');
    expect(feb.map((e: { seq: number }) => e.seq).sort((a: number, b: number) => a - b)).toEqual(febAll.map((e) => e.seq));
    const latest = (await relay.api(token, 'GET', '/api/audit?limit=500')).body.entries;
    expect(latest).toHaveLength(500);
    expect(latest.at(-1).at < relay.store.data.audit[0]!.at).toBe(true); // the page went on into the archive

    for (const [name, kind] of [['threads.csv', 'threads'], ['calls.csv', 'calls'], ['messages.csv', 'messages']] as const) {
      const csv = String((await relay.api(token, 'GET', `/api/export/${name}`)).body);
      const rows = csv.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
      expect(rows.sort(), name).toEqual(ids(all[kind]).sort());
    }
  });

  it('a change to a long-open thread touches its closed day: that day is counted again from the raw months', async () => {
    const { relay, all } = await relayOnMonths();
    const token = await relay.staff('Riley');
    const open = Object.values(all.threads).filter((t) => t.status === 'open' && Date.parse(t.openedAt) < NOW.getTime() - 60 * DAY);
    expect(open).toHaveLength(2);
    const missDay = new Date(Math.floor(Date.parse(all.calls[`c_${open[0]!.id}`]!.startedAt) / DAY) * DAY);
    const dayAfter = new Date(missDay.getTime() + DAY);
    const samples = () => relay!.queries.cold!.get(missDay.getTime(), '*|America/Chicago')!.timesToHumanReply.length;
    const before = samples();
    expect((await relay.api(token, 'POST', `/api/threads/${open[0]!.id}/messages`, { text: 'Still need a time?', clientId: 'c1' })).status).toBe(201);
    expect([...relay.queries.touched]).toEqual([missDay.getTime()]);
    await relay.queries.recountTouched();
    // The reply is the first human text after that miss: the closed day gains its time to a human reply.
    expect(samples()).toBe(before + 1);
    expect(relay.queries.metrics(missDay, dayAfter)).toEqual((await reference(relay)).metrics(missDay, dayAfter));
    expect(await archiveMonths(dir)).toContain('2026-03');
  });
});
