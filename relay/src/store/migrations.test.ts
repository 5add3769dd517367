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
      const sept = (await r.api(token, 'GET', '/api/metrics?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z')).body;
      expect(sept).toMatchObject({ inbound: 3, missed: 2 });
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
