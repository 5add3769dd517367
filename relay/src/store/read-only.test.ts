import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStaff, revokeStaff } from '../staff/tokens.js';
import { JOURNAL_PREFIX, listJournals } from './journal.js';
import { readDataReadOnly, Store } from './store.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-ro-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('readDataReadOnly', () => {
  it('sees what the running store committed (snapshot + journal) without taking its lock', async () => {
    const store = await Store.open(dir);
    try {
      addStaff(store, 'Ana', 'manager');
      addStaff(store, 'Bo', 'receptionist');
      await store.commit();
      revokeStaff(store, 'Bo');
      await store.commit();
      const data = await readDataReadOnly(dir);
      expect(data.staff.map((s) => [s.name, s.revokedAt === null])).toEqual([
        ['Ana', true],
        ['Bo', false],
      ]);
      // Still the store's: nothing was locked or rewritten.
      addStaff(store, 'Cy', 'receptionist');
      await store.commit();
      expect((await readDataReadOnly(dir)).staff).toHaveLength(3);
    } finally {
      await store.close();
    }
  });

  it('starts over when journal batches skip (a snapshot replaced them meanwhile), and gives up if that never settles', async () => {
    const store = await Store.open(dir);
    addStaff(store, 'Ana', 'manager');
    await store.commit();
    const [journal] = await listJournals(dir);
    await store.close();
    // A batch far ahead of the snapshot: the batches between were folded into a snapshot this reader never saw.
    await appendFile(journal?.file ?? path.join(dir, `${JOURNAL_PREFIX}9`), `${JSON.stringify({ b: 99, seq: 0, p: [], a: {} })}\n`);
    await expect(readDataReadOnly(dir, 2)).rejects.toThrow(/kept changing/);
  });

  it('says ENOENT for a data dir that does not exist', async () => {
    await expect(readDataReadOnly(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
