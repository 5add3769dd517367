import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyFacts, mergeFacts, type AuditEntry, type Facts } from '@ringback/shared';
import { readArchives } from '../store/archive.js';
import type { Data } from '../store/data.js';
import { startTestRelay, type TestRelay } from '../testing/harness.js';
import { ColdFacts } from './cold-facts.js';
import type { Ctx } from './context.js';
import { countHours } from './facts-hours.js';
import { FACTS_VERSION, factsDir } from './facts-file.js';
import { writeMonths } from './fixtures/write-months.js';
import { History } from './history.js';
import { Queries } from './queries.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = new Date('2026-06-15T12:00:00Z');
const force = { RINGBACK_FORCE_SANDBOX: '1' };

let relay: TestRelay | null = null;
let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  await relay?.stop();
  relay = null;
  await rm(dir, { recursive: true, force: true });
});

/**
 * writeMonths' front desk plus bookings made by the assistant and the booking page, some in the hour after
 * the miss and a second booking of the same thread two hours later (the first one counts).
 */
async function writeDesk(days: number): Promise<Data> {
  const data = await writeMonths(dir, NOW, days);
  const file = path.join(dir, 'ringback.json');
  const raw = JSON.parse(await readFile(file, 'utf8')) as Data;
  const extra: Omit<AuditEntry, 'seq'>[] = [];
  Object.values(raw.threads).forEach((t, i) => {
    if (i % 5 !== 0) return;
    const at = Date.parse(t.openedAt) + 50 * 60_000;
    if (at + 2 * HOUR >= NOW.getTime()) return;
    const by = i % 2 ? 'assistant' : 'self';
    extra.push({ at: new Date(at).toISOString(), actor: null, action: 'booked', threadId: t.id, detail: { bookingId: `bk_${i}`, by, value: 200 } });
    extra.push({ at: new Date(at + 2 * HOUR).toISOString(), actor: null, action: 'booked', threadId: t.id, detail: { bookingId: `bk_${i}b`, by, value: 300 } });
  });
  const audit = [...raw.audit.map(({ seq: _, ...e }) => e), ...extra].sort((a, b) => a.at.localeCompare(b.at));
  raw.audit = audit.map((e, i) => ({ seq: i + 1, ...e }));
  await writeFile(file, JSON.stringify(raw));
  return data;
}

/** Facts with their samples in order: merging changes the order samples arrive in, never the figures. */
const norm = (f: Facts) => ({
  ...f,
  timesToText: [...f.timesToText].sort((a, b) => a - b),
  timesToClaim: [...f.timesToClaim].sort((a, b) => a - b),
  timesToHumanReply: [...f.timesToHumanReply].sort((a, b) => a - b),
  timesToBooking: [...f.timesToBooking].sort((a, b) => a - b),
});

/** Figures counted from every raw record (archived and hot) in memory, as before anything was kept. */
async function reference(r: TestRelay): Promise<Queries> {
  const ctx = { store: r.store, config: r.config, now: () => NOW } as unknown as Ctx;
  return new Queries(ctx, new History(r.store, await readArchives(r.dir), false));
}

/** Count every read of a raw archive month from now on. */
function rawReads(r: TestRelay): { month: number; sources: number } {
  const archive = r.queries.archive!;
  const calls = { month: 0, sources: 0 };
  const month = archive.month.bind(archive);
  const sources = archive.sources.bind(archive);
  vi.spyOn(archive, 'month').mockImplementation((m) => (calls.month++, month(m)));
  vi.spyOn(archive, 'sources').mockImplementation((a, b) => (calls.sources++, sources(a, b)));
  return calls;
}

describe('closed days kept by the hour', () => {
  it("a day's facts are the merge of its 24 hours: claims, replies and bookings crossing the hour count once, where they happened", async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-hours-'));
    await writeDesk(60);
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    const old = await reference(relay);
    const history = (old as unknown as { history: History }).history;
    const keys = old.factKeys();
    const first = Math.floor(NOW.getTime() / DAY) * DAY - 60 * DAY;
    const sum = emptyFacts();
    const crossing = { claims: 0, twice: 0 };
    for (let day = first; day < NOW.getTime() - DAY; day += DAY) {
      const hours = countHours(old, history, day, keys);
      for (const k of keys) {
        const whole = old.count(history, day, day + DAY, k.locationId, k.timezone);
        const merged = mergeFacts(hours.map((h) => h.get(k.key)!));
        expect(norm(merged), `${new Date(day).toISOString()} ${k.key}`).toEqual(norm(whole));
        if (k.locationId === undefined) {
          for (const key of ['claimed', 'lateClaims', 'staffReplies'] as const) sum[key] += whole[key];
          for (const [id, b] of whole.bookings) sum.bookings.set(id, b);
          // Booked twice two hours apart: the day keeps the first.
          for (const b of whole.bookings.values()) if (b.bookingId.endsWith('b') === false && Math.floor(Date.parse(b.at) / DAY) === Math.floor((Date.parse(b.at) + 2 * HOUR) / DAY)) crossing.twice++;
          for (const t of whole.timesToClaim) if (t > 10 * 60) crossing.claims++;
        }
      }
    }
    // The data has what makes hours differ from days.
    expect(sum.lateClaims).toBeGreaterThan(10);
    expect(sum.staffReplies).toBeGreaterThan(10);
    expect(sum.bookings.size).toBeGreaterThan(10);
    expect(crossing.claims).toBeGreaterThan(10);
    expect(crossing.twice).toBeGreaterThan(10);
  });

  it('a range from mid-day 40 days back reads no raw month and equals the raw figures of the range snapped to the hour', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-hours-'));
    await writeDesk(120);
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    const old = await reference(relay);
    const reads = rawReads(relay);
    const token = await relay.staff('Morgan', 'manager');

    const asked = new Date(NOW.getTime() - 45 * DAY + 7 * HOUR + 37 * 60_000 + 11_500); // 2026-05-01T19:37:11.500Z
    const snapped = new Date('2026-05-01T20:00:00.000Z');
    const res = await relay.api(token, 'GET', `/api/metrics?from=${asked.toISOString()}&to=${NOW.toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(snapped.toISOString());
    expect(res.body.to).toBe(NOW.toISOString()); // an end in the hot days stays as asked
    expect(res.body).toEqual(JSON.parse(JSON.stringify(old.metrics(snapped, NOW))));
    expect(res.body.inbound).toBeGreaterThan(100);

    // Both ends inside archived days, one of them rounding down; and a range of minutes in one archived hour.
    const ends: [Date, Date, string, string][] = [
      [new Date('2026-04-02T03:29:59Z'), new Date('2026-04-20T16:45:00Z'), '2026-04-02T03:00:00.000Z', '2026-04-20T17:00:00.000Z'],
      [new Date('2026-04-02T03:10:00Z'), new Date('2026-04-02T03:20:00Z'), '2026-04-02T03:00:00.000Z', '2026-04-02T04:00:00.000Z'],
    ];
    for (const [from, to, a, b] of ends) {
      await relay.queries.prepare(from, to, undefined);
      const m = relay.queries.metrics(from, to);
      expect([m.from, m.to]).toEqual([a, b]);
      expect(m).toEqual(old.metrics(new Date(a), new Date(b)));
    }
    expect(reads).toEqual({ month: 0, sources: 0 });
  });

  it('a local-midnight range in Chicago equals the raw count exactly; a half-hour zone snaps to the hour', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-hours-'));
    await writeDesk(120);
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    expect(relay.config.business.locations[0]!.timezone).toBe('America/Chicago');
    const old = await reference(relay);
    const reads = rawReads(relay);
    // Local midnights (CDT, 05:00 UTC): one day 40 days back (with its four weeks before) and a closed month.
    for (const [from, to] of [
      ['2026-05-06T05:00:00Z', '2026-05-07T05:00:00Z'],
      ['2026-04-01T05:00:00Z', '2026-05-01T05:00:00Z'],
      ['2026-03-15T05:00:00Z', '2026-06-15T05:00:00Z'],
    ]) {
      await relay.queries.prepare(new Date(from!), new Date(to!), undefined);
      const m = relay.queries.metrics(new Date(from!), new Date(to!));
      expect(m.from).toBe(new Date(from!).toISOString());
      expect(m, from).toEqual(old.metrics(new Date(from!), new Date(to!)));
    }
    // Kolkata's midnight is 18:30 UTC: an archived day's ends move to 19:00 UTC.
    const kolkata = [new Date('2026-04-09T18:30:00Z'), new Date('2026-04-10T18:30:00Z')] as const;
    await relay.queries.prepare(...kolkata, undefined);
    const k = relay.queries.metrics(...kolkata);
    expect([k.from, k.to]).toEqual(['2026-04-09T19:00:00.000Z', '2026-04-10T19:00:00.000Z']);
    expect(k).toEqual(old.metrics(new Date('2026-04-09T19:00:00Z'), new Date('2026-04-10T19:00:00Z')));
    expect(reads).toEqual({ month: 0, sources: 0 });
  });

  it('facts kept by an earlier release (days only) are counted again once, with their hours', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-hours-'));
    await writeDesk(90);
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    await relay.stop();
    // What the release before kept: day files and meta of revision 1, no hours files.
    const facts = factsDir(dir);
    const older = FACTS_VERSION.replace(/^\d+:/, '1:');
    for (const f of await readdir(facts)) {
      if (f.endsWith('.hours.json')) await rm(path.join(facts, f));
      else await writeFile(path.join(facts, f), (await readFile(path.join(facts, f), 'utf8')).replace(JSON.stringify(FACTS_VERSION), JSON.stringify(older)));
    }
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    const files = (await readdir(facts)).sort();
    expect(files).toEqual(expect.arrayContaining(['2026-03.json', '2026-03.hours.json', '2026-05.hours.json', 'meta.json']));
    const written = new Map<string, number>();
    for (const f of files) {
      expect(JSON.parse(await readFile(path.join(facts, f), 'utf8')).version, f).toBe(FACTS_VERSION);
      written.set(f, (await stat(path.join(facts, f))).mtimeMs);
    }
    const from = new Date('2026-04-10T05:00:00Z');
    const to = new Date('2026-04-11T05:00:00Z');
    expect(relay.queries.metrics(from, to)).toEqual((await reference(relay)).metrics(from, to));
    await relay.stop();

    // The next start reads them: nothing is counted or written again.
    relay = await startTestRelay({ dir, now: () => NOW, env: force });
    await relay.figuresReady;
    for (const [f, at] of written) expect((await stat(path.join(facts, f))).mtimeMs, f).toBe(at);
  });

  it('a crash after the hours file, before meta, leaves the old coverage', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-hours-'));
    const keys = ['*|America/Chicago'];
    const d1 = Date.parse('2026-04-10T00:00:00Z');
    const d2 = d1 + DAY;
    const hours = (n: number) =>
      Array.from({ length: 24 }, (_, h) => {
        const f = emptyFacts();
        f.inbound = h === 9 ? n : 0;
        return new Map([[keys[0]!, f]]);
      });
    const cold = new ColdFacts(dir);
    await cold.keep(new Map([[d1, hours(3)]]), d1, d2, keys);
    expect(cold.get(d1, keys[0]!)!.inbound).toBe(3);
    expect(cold.hours(d1 + 9 * HOUR, d1 + 10 * HOUR, keys[0]!).inbound).toBe(3);
    expect(cold.hours(d1 + 10 * HOUR, d1 + 24 * HOUR, keys[0]!).inbound).toBe(0);

    // meta.json cannot be written: the hours and day files are, the coverage stays.
    await mkdir(path.join(factsDir(dir), 'meta.json.tmp', 'x'), { recursive: true });
    await expect(cold.keep(new Map([[d2, hours(5)]]), d1, d2 + DAY, keys)).rejects.toThrow();
    const again = new ColdFacts(dir);
    expect(await again.load(keys)).toBe(true);
    expect(again.through).toBe(d2);
    expect(again.get(d2, keys[0]!)).toBeUndefined();
    expect(again.hours(d2 + 9 * HOUR, d2 + 10 * HOUR, keys[0]!).inbound).toBe(0);
    expect(again.hours(d1, d1 + DAY, keys[0]!).inbound).toBe(3);
  });
});
