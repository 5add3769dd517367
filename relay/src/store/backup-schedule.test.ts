import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/harness.js';
import { backupIfDue, HOUR, keepBackups, scheduledName, startBackupSchedule } from './backup-schedule.js';
import { restoreBackup, verifyBackup } from './restore.js';
import { Store } from './store.js';

const NOW = new Date('2026-12-02T10:30:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('keepBackups', () => {
  it('keeps the newest of each hour for a day and of each day for 30 days', () => {
    // Every 10 minutes for 40 days.
    const names: string[] = [];
    for (let t = 0; t <= 40 * 24 * HOUR; t += 10 * 60_000) names.push(scheduledName(ago(t)));
    const keep = keepBackups(names, NOW);
    const kept = [...keep].map((n) => Date.parse(n.slice(9, 19) + 'T' + n.slice(20, 22) + ':' + n.slice(23, 25) + ':00Z'));
    // 24 hourly (the current hour included) plus one per day for the days before: about 24 + 29.
    expect(keep.size).toBeGreaterThanOrEqual(24 + 28);
    expect(keep.size).toBeLessThanOrEqual(24 + 31);
    expect(keep.has(names[0]!)).toBe(true); // the newest
    expect(Math.min(...kept)).toBeGreaterThan(ago(30 * 24 * HOUR).getTime() - 60_000);
    // Two backups in one hour: only the newer stays (seven "hourly" backups in a minute cannot happen).
    const sameHour = [scheduledName(ago(60_000)), scheduledName(ago(120_000))];
    expect([...keepBackups(sameHour, NOW)]).toEqual([sameHour[0]]);
  });

  it('ages out: a day-old backup is kept only as its day\'s newest, a 31-day-old one not at all', () => {
    const dayOld = [scheduledName(ago(26 * HOUR)), scheduledName(ago(27 * HOUR))];
    expect([...keepBackups(dayOld, NOW)]).toEqual([dayOld[0]]);
    expect(keepBackups([scheduledName(ago(31 * 24 * HOUR))], NOW).size).toBe(0);
  });

  it('covers the plain copies older releases made, and leaves other names alone', () => {
    const old = 'ringback-2026-10-01T09-00-00-000Z.json';
    const recent = 'ringback-2026-12-02T09-00-00-000Z.json';
    const keep = keepBackups([old, recent, 'ringback-v1-before-v2-2026-01-01T00-00-00-000Z.tar.gz', 'mine.tar.gz'], NOW);
    expect([...keep]).toEqual([recent]);
  });

  it('keeps backups dated after now (a clock set back) rather than deleting them', () => {
    const future = scheduledName(new Date(NOW.getTime() + 5 * HOUR));
    expect(keepBackups([future], NOW).has(future)).toBe(true);
  });
});

describe('scheduled backups', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-sched-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('writes one when the newest is an hour old, not before, and prunes by the retention rule', async () => {
    const store = await Store.open(dir);
    const backups = path.join(dir, 'backups');
    expect(await readdir(backups)).toEqual([]); // opening makes none
    const stale = 'ringback-2026-09-01T00-00-00-000Z.json';
    await writeFile(path.join(backups, stale), '{}');
    await writeFile(path.join(backups, 'ringback-v1-before-v2-2026-09-01T00-00-00-000Z.tar.gz'), 'kept');
    store.put('processed', 'a', 'x');
    await store.commit();

    const first = await backupIfDue(store, backups, NOW);
    expect(first).toBe(path.join(backups, scheduledName(NOW)));
    expect(await backupIfDue(store, backups, new Date(NOW.getTime() + 59 * 60_000))).toBeNull();
    const second = await backupIfDue(store, backups, new Date(NOW.getTime() + HOUR));
    expect(second).not.toBeNull();
    // A backup dated in the future (the clock was set back) neither blocks the next one nor causes one per check.
    await writeFile(path.join(backups, scheduledName(new Date(NOW.getTime() + 30 * HOUR))), 'future');
    expect(await backupIfDue(store, backups, new Date(NOW.getTime() + HOUR + 60_000))).toBeNull();
    expect(await backupIfDue(store, backups, new Date(NOW.getTime() + 2 * HOUR))).not.toBeNull();
    const names = (await readdir(backups)).sort();
    expect(names).not.toContain(stale);
    expect(names).toContain('ringback-v1-before-v2-2026-09-01T00-00-00-000Z.tar.gz');
    expect(names.filter((n) => n.endsWith('.tar.gz.sha256'))).toHaveLength(3);
    expect(names).toContain(scheduledName(new Date(NOW.getTime() + 30 * HOUR)));
    const { manifest } = await verifyBackup(await readFile(second!));
    expect(manifest.seq).toBe(store.data.seq);
    // The change is in the journal the backup copied; the restored dir replays it at its first start.
    await restoreBackup(second!, path.join(dir, 'restored'));
    const restored = await Store.open(path.join(dir, 'restored'));
    expect(restored.data.processed.a).toBe('x');
    await restored.close();
    await store.close();
  });

  it('the schedule makes none at start, then one per interval', async () => {
    const store = await Store.open(dir);
    const backups = path.join(dir, 'backups');
    let clock = NOW.getTime();
    const stop = startBackupSchedule(store, backups, pino({ level: 'silent' }), () => new Date((clock += HOUR)), { checkMs: 100 });
    try {
      expect(await readdir(backups)).toEqual([]);
      await waitFor(async () => (await readdir(backups)).filter((n) => n.endsWith('.tar.gz')).length >= 2, 'two scheduled backups');
    } finally {
      stop();
      await store.close();
    }
  });
});
