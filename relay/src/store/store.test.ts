import { appendFile, chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptDataError, readDataReadOnly, Store } from './store.js';
import { unjournaled } from '../testing/disk-state.js';
import { DataDirLockedError } from './lock.js';
import { emptyData, type RecordOf } from './data.js';
import { encodeLine } from './journal.js';
import { backupIfDue } from './backup-schedule.js';
import { backupStore } from './backup.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-store-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const snapshot = async () => JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8'));
const journals = async () => (await readdir(dir)).filter((f) => f.startsWith('ringback.journal.'));
const audit = (n: number) => ({ seq: n, at: 'x', actor: null, action: 'test', threadId: null, detail: {} });

/** A second process's view: what is on disk right now, with this one still holding the data. */
async function reopenCopy(): Promise<Store> {
  const copy = await mkdtemp(path.join(tmpdir(), 'ringback-copy-'));
  for (const f of await readdir(dir)) if (f !== 'relay.sock' && f !== 'backups') await writeFile(path.join(copy, f), await readFile(path.join(dir, f)));
  return Store.open(copy);
}

describe('store', () => {
  it('a commit is on disk (journal) before it resolves, and survives without a clean close', async () => {
    const a = await Store.open(dir);
    a.put('processed', 'k', 'v');
    a.append('audit', audit(1));
    a.nextSeq();
    await a.commit();
    const b = await reopenCopy();
    expect(b.data.processed.k).toBe('v');
    expect(b.data.audit).toHaveLength(1);
    expect(b.data.seq).toBe(1);
    expect(b.durableSeq).toBe(1);
    await b.close();
    await a.close();
    // A clean close folds everything into the lowdb snapshot.
    expect((await snapshot()).processed.k).toBe('v');
    expect(await journals()).toEqual([]);
  });

  it('group-commits a burst of changes into a single journal line', async () => {
    const s = await Store.open(dir);
    const commits = Array.from({ length: 200 }, (_, i) => {
      s.put('processed', `k${i}`, 'x');
      return s.commit();
    });
    await Promise.all(commits);
    const [file] = await journals();
    const lines = (await readFile(path.join(dir, file!), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!.slice(9)).p).toHaveLength(200); // after the checksum
    await s.close();
  });

  it('replays journals idempotently, including list appends already in the snapshot', async () => {
    const s = await Store.open(dir);
    s.append('audit', audit(1));
    await s.commit();
    s.append('audit', audit(2));
    s.put('processed', 'gone', 'x');
    await s.commit();
    s.put('processed', 'gone', undefined);
    await s.commit();
    const copy = await reopenCopy();
    expect(copy.data.audit.map((e) => e.seq)).toEqual([1, 2]);
    expect(copy.data.processed.gone).toBeUndefined();
    await copy.close();
    await s.close();
  });

  it('drops a torn last journal line (never acknowledged) but refuses a damaged one in the middle', async () => {
    const s = await Store.open(dir);
    s.put('processed', 'a', '1');
    await s.commit();
    const [file] = await journals();
    await appendFile(path.join(dir, file!), '{"b":99,"seq":9,"p":[["proc');
    const copy = await reopenCopy();
    expect(copy.data.processed.a).toBe('1');
    await copy.close();
    await appendFile(path.join(dir, file!), '\n{"b":100,"seq":10,"p":[],"a":{}}\n');
    await expect(reopenCopy()).rejects.toBeInstanceOf(CorruptDataError);
    await s.close();
  });

  it('refuses a second relay on the same data dir', async () => {
    const a = await Store.open(dir);
    await expect(Store.open(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    await a.close();
    const b = await Store.open(dir);
    await b.close();
  });

  it('refuses to start over a corrupt file instead of starting empty, and names the newest backup', async () => {
    const a = await Store.open(dir);
    a.put('optOuts', '+15125551077', { at: 'x', source: 'STOP', confirmationSent: true });
    await a.commit();
    const backup = await backupIfDue(a, path.join(dir, 'backups'), new Date());
    await a.close();
    await writeFile(path.join(dir, 'ringback.json'), '{"version":1,"seq":3,"threads":{'); // truncated
    const err = await Store.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toContain(`ringback restore ${backup}`);
    await writeFile(path.join(dir, 'ringback.json'), Buffer.alloc(64)); // NUL-filled
    await expect(Store.open(dir)).rejects.toBeInstanceOf(CorruptDataError);
    await writeFile(path.join(dir, 'ringback.json'), '{"hello":"world"}'); // valid JSON, wrong shape
    await expect(Store.open(dir)).rejects.toBeInstanceOf(CorruptDataError);
    expect(await readdir(dir)).not.toContain('relay.sock');
  });

  it('removes a temp file left by a snapshot that was cut short', async () => {
    await writeFile(path.join(dir, '.ringback.json.tmp'), '{"half');
    const s = await Store.open(dir);
    expect(await readdir(dir)).not.toContain('.ringback.json.tmp');
    await s.close();
  });

  it('a record created in memory is not on disk until its commit resolves (the outbox waits for that)', async () => {
    const s = await Store.open(dir);
    s.put('processed', 'old', 'v');
    await s.commit();
    s.put('processed', 'new', 'v');
    s.put('processed', 'old', 'changed');
    expect(s.onDisk('processed', 'new')).toBe(false);
    expect(s.onDisk('processed', 'old')).toBe(true); // written before; only its new value is pending
    const committing = s.commit();
    expect(s.onDisk('processed', 'new')).toBe(false); // in the batch being written
    await committing;
    expect(s.onDisk('processed', 'new')).toBe(true);
    await s.close();
  });

  it('a record edited in place inside a transaction is journaled at its end, even when nobody touched it', async () => {
    const s = await Store.open(dir);
    const booking = { id: 'bk_1', start: '2026-12-03T14:00:00.000Z', status: 'booked' } as unknown as RecordOf<'bookings'>;
    s.put('bookings', 'bk_1', booking);
    await s.commit();
    s.transaction(() => {
      const b = s.edit('bookings', 'bk_1')!;
      b.start = '2026-12-04T15:00:00.000Z';
    });
    await s.commit();
    expect(await unjournaled(dir, s.data)).toEqual([]);
    expect((await readDataReadOnly(dir)).bookings.bk_1?.start).toBe('2026-12-04T15:00:00.000Z');
    await s.close();
  });

  it('data dir, backups 0700; snapshot, journal, backups 0600; a wider existing dir is tightened with a word', async () => {
    await chmod(dir, 0o755);
    await mkdir(path.join(dir, 'backups'), { mode: 0o755 });
    await writeFile(path.join(dir, 'backups', 'ringback-old.json'), '{}', { mode: 0o644 });
    const warnings: string[] = [];
    const s = await Store.open(dir, { warn: (m) => warnings.push(m) });
    s.put('processed', 'k', 'v');
    await s.commit();
    const mode = async (...p: string[]) => (await stat(path.join(dir, ...p))).mode & 0o777;
    expect(await mode()).toBe(0o700);
    expect(await mode('backups')).toBe(0o700);
    expect(warnings.join('\n')).toMatch(/readable by other users \(mode 0755\); it is now 0700/);
    expect(await mode('ringback.json')).toBe(0o600);
    const [journal] = await journals();
    expect(await mode(journal!)).toBe(0o600);
    for (const b of await readdir(path.join(dir, 'backups'))) expect(await mode('backups', b)).toBe(0o600);
    await s.close(); // the closing snapshot is private too
    expect(await mode('ringback.json')).toBe(0o600);
  });
});

describe('journal integrity', () => {
  /** A data dir written by hand: a snapshot at `batch`, and journals of the given lines. */
  async function layout(batch: number, files: Record<string, string[]>): Promise<void> {
    await writeFile(path.join(dir, 'ringback.json'), JSON.stringify({ ...emptyData(), batch }));
    for (const [n, lines] of Object.entries(files)) await writeFile(path.join(dir, `ringback.journal.${n}`), lines.map((l) => `${l}\n`).join(''));
  }
  const line = (b: number, key = `k${b}`) => encodeLine(JSON.stringify({ b, seq: b, p: [['processed', key, 'v']], a: {} }));
  const optOut = (b: number) => encodeLine(JSON.stringify({ b, seq: b, p: [['optOuts', '+15125551077', { at: 'x', source: 'STOP', confirmationSent: true }]], a: {} }));

  it('refuses a damaged line in the middle (bad checksum), naming the file, the line and the missing batch', async () => {
    const damaged = line(2).replace('"k2"', '"k9"'); // same length, wrong checksum
    await layout(0, { 1: [line(1), damaged, optOut(3)] });
    const err = await Store.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    const msg = (err as Error).message;
    expect(msg).toContain('missing batch 2 (damaged: ringback.journal.1 line 2; the journal resumes at ringback.journal.1 line 3)');
    expect(msg).toContain(`ringback recover --data-dir ${dir}`);
    expect(await readdir(dir)).toContain('ringback.journal.1'); // nothing touched
  });

  it('refuses a journal cut off in the middle of a file, with later files going on', async () => {
    const cut = line(3).slice(0, 30);
    await layout(0, { 1: [line(1), line(2), cut], 2: [line(5), line(6)] });
    await expect(Store.open(dir)).rejects.toThrow(/missing batches 3–4 \(damaged: ringback.journal.1 line 3; the journal resumes at ringback.journal.2 line 1\)/);
  });

  it('refuses a snapshot older than the journals (the batches between are gone)', async () => {
    await layout(408, { 7: [line(1003), line(1004)] });
    await expect(Store.open(dir)).rejects.toThrow(/missing batches 409–1002[^]*ringback.json holds batches up to 408: is it older than the journals/);
  });

  it('still loads journal lines from before checksums, skips a failed append between two batches and a torn tail', async () => {
    const bare = JSON.stringify({ b: 1, seq: 1, p: [['processed', 'old', 'v']], a: {} });
    await layout(0, { 1: [bare, line(2), '{"b":3,"seq"', line(3), '7a0c'] });
    const s = await Store.open(dir);
    expect(Object.keys(s.data.processed).sort()).toEqual(['k2', 'k3', 'old']);
    expect(s.data.batch).toBe(3);
    await s.close();
  });

  it('recover keeps every intact line (the opt-out after the damage too), moves the journals aside and says what was lost', async () => {
    await layout(0, { 1: [line(1), 'garbage', optOut(3)], 2: [line(4)] });
    const s = await Store.open(dir, { recover: true });
    expect(s.data.optOuts['+15125551077']).toBeDefined();
    expect(Object.keys(s.data.processed).sort()).toEqual(['k1', 'k4']);
    expect(s.recovery.join('\n')).toMatch(/lost batch 2 \(damaged: ringback.journal.1 line 2/);
    expect(s.recovery.join('\n')).toMatch(/replayed 3 intact journal lines/);
    s.put('processed', 'after', 'v');
    await s.commit();
    await s.close();
    const aside = (await readdir(dir)).find((f) => f.startsWith('damaged-'))!;
    expect((await readdir(path.join(dir, aside))).sort()).toEqual(['ringback.journal.1', 'ringback.journal.2']);
    const again = await Store.open(dir); // a normal start now
    expect(again.data.processed.after).toBe('v');
    expect(again.data.optOuts['+15125551077']).toBeDefined();
    await again.close();
  });

  it('recover over a corrupt snapshot starts from the newest good backup and replays the journals on it', async () => {
    const a = await Store.open(dir);
    await writeFile(path.join(dir, 'backups', 'ringback-2026-12-01T00-00-00-000Z.tar.gz'), await backupStore(a));
    a.put('processed', 'journaled', 'v');
    await a.commit();
    // What a crash leaves, with the snapshot then damaged on disk.
    const crashed = await mkdtemp(path.join(tmpdir(), 'ringback-crashed-'));
    await mkdir(path.join(crashed, 'backups'));
    for (const f of await journals()) await writeFile(path.join(crashed, f), await readFile(path.join(dir, f)));
    for (const f of await readdir(path.join(dir, 'backups'))) await writeFile(path.join(crashed, 'backups', f), await readFile(path.join(dir, 'backups', f)));
    await writeFile(path.join(crashed, 'ringback.json'), '{"version":1,"seq');
    await a.close();
    await expect(Store.open(crashed)).rejects.toThrow(/ringback recover --data-dir/);
    const s = await Store.open(crashed, { recover: true });
    expect(s.data.processed.journaled).toBe('v');
    expect(s.recovery[0]).toMatch(/was unreadable; started from the backup/);
    await s.close();
    await rm(crashed, { recursive: true, force: true });
  });
});
