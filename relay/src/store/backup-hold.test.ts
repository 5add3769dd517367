import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveResolved } from './archive.js';
import { backupStoreTo, captureLive } from './backup.js';
import { JOURNAL_PREFIX } from './journal.js';
import { restoreBackup } from './restore.js';
import { readDataReadOnly, Store } from './store.js';

let tmp: string;
let dir: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'ringback-hold-'));
  dir = path.join(tmp, 'data');
});
afterEach(async () => rm(tmp, { recursive: true, force: true }));

const journals = async () => (await readdir(dir)).filter((f) => f.startsWith(JOURNAL_PREFIX)).sort();
const tick = () => new Promise((r) => setTimeout(r, 5));

/** One change: a processed key whose value is the seq it was made at. */
function change(store: Store, i: number): void {
  store.put('processed', `k${i}`, String(store.nextSeq()));
}

describe('a live backup holds the data dir still', () => {
  it('no snapshot rotation while held (the journal grows instead); the next commit after release rotates', async () => {
    const store = await Store.open(dir, { snapshotAfterBytes: 300 });
    const release = (await captureLive(store)).release;
    const snapshot = await stat(path.join(dir, 'ringback.json'));
    for (let i = 0; i < 40; i++) {
      change(store, i);
      await store.commit();
    }
    expect(await journals()).toEqual([`${JOURNAL_PREFIX}1`]);
    expect((await stat(path.join(dir, `${JOURNAL_PREFIX}1`))).size).toBeGreaterThan(300 * 5);
    const now = await stat(path.join(dir, 'ringback.json'));
    expect([now.ino, now.mtimeMs]).toEqual([snapshot.ino, snapshot.mtimeMs]);
    release();
    change(store, 40);
    await store.commit();
    for (let i = 0; i < 400 && (await journals()).includes(`${JOURNAL_PREFIX}1`); i++) await tick();
    expect(await journals()).not.toContain(`${JOURNAL_PREFIX}1`);
    await store.close();
  });

  it('a hold waits for a snapshot being written, and archiving waits for the hold (and the other way round)', async () => {
    const store = await Store.open(dir, { snapshotAfterBytes: 100 });
    for (let i = 0; i < 5; i++) change(store, i);
    await store.commit();
    change(store, 5);
    await store.commit(); // past 100 bytes: this one starts a snapshot
    expect(store.snapshotInProgress).not.toBeNull();
    const { release } = await captureLive(store);
    expect(store.snapshotInProgress).toBeNull();

    const order: string[] = [];
    const archiving = archiveResolved(store, new Date()).then(() => order.push('archived'));
    for (let i = 0; i < 10; i++) await tick();
    expect(order).toEqual([]); // held: archiving has not started
    order.push('released');
    release();
    await archiving;
    expect(order).toEqual(['released', 'archived']);

    // Archiving in progress: a capture waits until it has ended.
    let captured = false;
    const second = archiveResolved(store, new Date(), {
      afterWrite: () => {
        void captureLive(store).then(({ release: r }) => {
          captured = true;
          r();
        });
      },
    }).then(() => expect(captured).toBe(false));
    await second;
    while (!captured) await tick();
    await store.close();
  });

  it('backups taken while changes pour in and the snapshot rotates each restore to exactly the state at their seq', async () => {
    const store = await Store.open(dir, { snapshotAfterBytes: 2000 });
    let stop = false;
    let made = 0;
    const writer = (async () => {
      for (let i = 0; !stop && i < 20_000; i++) {
        change(store, i);
        if (i % 3 === 0) await store.commit();
        else await tick();
      }
      await store.commit();
    })();
    const files: string[] = [];
    for (let b = 0; b < 5; b++) {
      for (let t = 0; t < 20; t++) await tick(); // room for rotations between backups
      const file = path.join(tmp, `b${b}.tar.gz`);
      await backupStoreTo(store, file);
      files.push(file);
      made++;
    }
    stop = true;
    await writer;
    expect(made).toBe(5);
    const seqs: number[] = [];
    for (const [b, file] of files.entries()) {
      const target = path.join(tmp, `r${b}`);
      const m = await restoreBackup(file, target);
      seqs.push(m.seq);
      const data = await readDataReadOnly(target);
      expect(data.seq).toBe(m.seq);
      // Every change up to the seq, none after: key i holds seq i + 1.
      const values = Object.values(data.processed).map(Number).sort((x, y) => x - y);
      expect(values).toEqual(Array.from({ length: m.seq }, (_, i) => i + 1));
    }
    // The snapshot did rotate in between (the current journal is not the first), and each backup is later than the one before.
    expect(path.basename(store.durableFiles().journals.at(-1)!.file)).not.toBe(`${JOURNAL_PREFIX}1`);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    await store.close();
  });
});
