import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay } from '../testing/harness.js';
import { spawnRelay } from '../testing/relay-process.js';
import { LATER_MAPS, MAP_NAMES } from './data.js';
import { DATA_VERSION, migrate } from './migrations.js';
import { restoreBackup, verifyBackup } from './restore.js';
import { CorruptDataError, Store } from './store.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/v1-data');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ringback-migrate-'));
  await cp(FIXTURE, dir, { recursive: true });
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const fixture = async () => JSON.parse(await readFile(path.join(FIXTURE, 'ringback.json'), 'utf8'));
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('upgrading a data dir written by release 0.1.0 (data version 2)', () => {
  const V2 = path.join(import.meta.dirname, 'fixtures/v2-data');

  it('backs it up, migrates, moves month-old answered calls and audit entries out, and serves everything as before', async () => {
    const v2dir = await mkdtemp(path.join(tmpdir(), 'ringback-migrate-v2-'));
    try {
      await cp(V2, v2dir, { recursive: true });
      const before = JSON.parse(await readFile(path.join(V2, 'ringback.json'), 'utf8'));
      expect(before.version).toBe(2);
      const r = await startTestRelay({ dir: v2dir, env: { RINGBACK_FORCE_SANDBOX: '1' } });
      try {
        await r.figuresReady;
        expect(r.store.data.version).toBe(DATA_VERSION);
        expect(plain(r.store.data.bookings)).toEqual({});
        expect(Object.keys(r.store.data.optOuts)).toEqual(['+15125551078']);
        expect(r.store.data.staff.filter((s) => !s.revokedAt).map((s) => s.name)).toEqual(expect.arrayContaining(['Morgan', 'Riley', 'Jordan']));
        // September's answered calls are history now: in the month file, not in the hot data.
        expect(Object.values(r.store.data.calls).filter((c) => c.outcome === 'answered')).toHaveLength(0);
        expect(r.store.data.audit.length).toBeLessThan(before.audit.length);

        const token = await r.staff('Checker', 'manager');
        const open = (await r.api(token, 'GET', '/api/threads')).body.threads as { caller: string; claim: { staffName: string } | null }[];
        expect(open.map((t) => t.caller).sort()).toEqual(['+15125551078', '+15125551080']);
        expect(open.find((t) => t.caller === '+15125551080')!.claim?.staffName).toBe('Jordan');
        // September as 0.1.0 counted it: two missed calls (one in a thread archived then), two answered, one booking.
        const sept = (await r.api(token, 'GET', '/api/metrics?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z')).body;
        expect(sept).toMatchObject({ inbound: 4, answered: 2, missed: 2, booked: 1, revenue: 350 });
        // The thread archived by 0.1.0 still opens, with its texts and note.
        const archivedId = Object.keys(JSON.parse(await readFile(path.join(V2, 'archive/2026-09.json'), 'utf8')).threads)[0]!;
        const detail = (await r.api(token, 'GET', `/api/threads/${archivedId}`)).body;
        expect(detail.thread.caller).toBe('+15125551077');
        expect(detail.messages.map((m: { text: string }) => m.text)).toContain('Yes! Tuesday 10am works.');
        // The dir as 0.1.0 left it is in the backup made before the upgrade.
        const backups = (await readdir(path.join(v2dir, 'backups'))).filter((f) => f.endsWith('.tar.gz'));
        expect(backups.some((f) => f.startsWith(`ringback-v2-before-v${DATA_VERSION}-`))).toBe(true);
      } finally {
        await r.stop();
      }
      // A second start reads what the first one kept and migrates nothing more.
      const again = await startTestRelay({ dir: v2dir, env: { RINGBACK_FORCE_SANDBOX: '1' } });
      try {
        const token = await again.staff('Checker2', 'manager');
        const sept = (await again.api(token, 'GET', '/api/metrics?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z')).body;
        expect(sept).toMatchObject({ inbound: 4, answered: 2, missed: 2, booked: 1 });
        expect((await readdir(path.join(v2dir, 'backups'))).filter((f) => f.includes('-before-') && f.endsWith('.tar.gz'))).toHaveLength(1);
      } finally {
        await again.stop();
      }
    } finally {
      await rm(v2dir, { recursive: true, force: true });
    }
  });
});

describe('upgrading a data dir written by the first release (data version 1)', () => {
  it('migrates at start after a backup of the dir as it was, and keeps every record', async () => {
    const before = await fixture();
    const store = await Store.open(dir);
    expect(store.data.version).toBe(DATA_VERSION);
    // Collections the first release had keep every record; the later ones start empty.
    for (const map of MAP_NAMES) expect(plain(store.data[map]), map).toEqual(before[map] ?? {});
    expect(store.data.seq).toBe(before.seq);
    expect(store.data.staff).toEqual(before.staff);
    expect(store.data.consent).toEqual(before.consent);
    expect(store.data.audit).toEqual(before.audit);
    expect(Object.keys(store.data.optOuts)).toEqual(['+15125551078']);
    await store.close();
    // On disk, at the new version; the archive month is untouched.
    expect(JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8')).version).toBe(DATA_VERSION);
    expect(await readFile(path.join(dir, 'archive/2026-09.json'), 'utf8')).toBe(await readFile(path.join(FIXTURE, 'archive/2026-09.json'), 'utf8'));

    const backups = (await readdir(path.join(dir, 'backups'))).filter((f) => f.endsWith('.tar.gz'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(new RegExp(`^ringback-v1-before-v${DATA_VERSION}-.*\\.tar\\.gz$`));
    const { manifest, files } = await verifyBackup(await readFile(path.join(dir, 'backups', backups[0]!)));
    expect(manifest).toMatchObject({ dataVersion: 1, seq: before.seq });
    expect(files.map((f) => f.name)).toEqual(['ringback.json', 'archive/2026-09.json']);
    expect(files[0]!.body.toString('utf8')).toBe(await readFile(path.join(FIXTURE, 'ringback.json'), 'utf8'));

    // A second start has nothing to migrate and makes no second backup.
    await (await Store.open(dir)).close();
    expect((await readdir(path.join(dir, 'backups'))).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1);

    // The backup restores the old dir, which upgrades again.
    const back = path.join(dir, 'restored');
    await restoreBackup(path.join(dir, 'backups', backups[0]!), back);
    expect(JSON.parse(await readFile(path.join(back, 'ringback.json'), 'utf8')).version).toBe(1);
  });

  it('a relay starts on the upgraded dir and serves the old threads, archive included', async () => {
    // The fixture holds real (non-demo) staff: sandbox mode starts on it only when forced.
    const r = await startTestRelay({ dir, env: { RINGBACK_FORCE_SANDBOX: '1' } });
    try {
      const token = await r.staff('Checker', 'manager');
      const open = (await r.api(token, 'GET', '/api/threads')).body.threads as { caller: string }[];
      expect(open.map((t) => t.caller).sort()).toEqual(['+15125551078', '+15125551080']);
      // September's figures count the archived missed call (1077) beside the two calls still in the hot data.
      // While the closed days are counted again after the upgrade they are refused, never answered short.
      const september = '/api/metrics?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z';
      const early = await r.api(token, 'GET', september);
      if (early.status === 503) expect(early.body.error.code).toBe('counting');
      else expect(early.body).toMatchObject({ inbound: 3, missed: 2 });
      await r.figuresReady;
      expect((await r.api(token, 'GET', september)).body).toMatchObject({ inbound: 3, missed: 2 });
      const settings = (await r.api(token, 'GET', '/api/settings')).body;
      expect(JSON.stringify(settings)).toContain('Free parking behind the building.');
    } finally {
      await r.stop();
    }
  });

  it('a version 1 file from before contacts, quick replies, call-backs and settings gets them empty', async () => {
    const old = await fixture();
    for (const k of LATER_MAPS) delete old[k];
    await writeFile(path.join(dir, 'ringback.json'), JSON.stringify(old));
    const store = await Store.open(dir);
    for (const k of LATER_MAPS) expect(plain(store.data[k]), k).toEqual({});
    expect(Object.keys(store.data.threads)).toEqual(Object.keys(old.threads));
    await store.close();
  });

  it('data from a newer release is refused with a clear message, and nothing is changed or backed up', async () => {
    const newer = { ...(await fixture()), version: 99 };
    await writeFile(path.join(dir, 'ringback.json'), JSON.stringify(newer));
    const err = await Store.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toBe(
      `this data dir was written by a newer Ringback (data version 99; this release reads up to ${DATA_VERSION}). Upgrade Ringback or restore a backup.`,
    );
    expect(JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8')).version).toBe(99);
    expect(await readdir(path.join(dir, 'backups'))).toEqual([]);
    expect(await readdir(dir)).not.toContain('relay.lock');
  });

  it('the relay process stops on newer data with that one line', async () => {
    await writeFile(path.join(dir, 'ringback.json'), JSON.stringify({ ...(await fixture()), version: 99 }));
    const err = await spawnRelay({ dir, env: { RINGBACK_FORCE_SANDBOX: '1' } }).catch((e: unknown) => e as Error);
    expect(String(err)).toContain(
      `ringback: this data dir was written by a newer Ringback (data version 99; this release reads up to ${DATA_VERSION}). Upgrade Ringback or restore a backup.`,
    );
  }, 60_000);

  it('when the backup before an upgrade cannot be written, the upgrade does not happen', async () => {
    const blocked = path.join(dir, 'not-a-dir');
    await writeFile(blocked, 'x');
    const err = await Store.open(dir, { backupDir: blocked }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(/refusing to upgrade .* the backup before it failed/);
    expect(await readFile(path.join(dir, 'ringback.json'), 'utf8')).toBe(await readFile(path.join(FIXTURE, 'ringback.json'), 'utf8'));
  });

  it('migrate() runs each step once, in order, and refuses versions it cannot read', () => {
    const d: Record<string, unknown> = { version: 1 };
    expect(migrate(d)).toBe(1);
    expect(d.version).toBe(DATA_VERSION);
    expect(migrate(d)).toBe(DATA_VERSION);
    expect(() => migrate({ version: 'one' })).toThrow(/no valid data version/);
    expect(() => migrate({ version: 0 })).toThrow(/no valid data version/);
    expect(() => migrate({ version: DATA_VERSION + 1 })).toThrow(/newer Ringback/);
  });
});
