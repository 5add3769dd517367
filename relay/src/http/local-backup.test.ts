import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, writeBackupFile } from '../store/backup.js';
import { restoreBackup, verifyBackup } from '../store/restore.js';
import { Store } from '../store/store.js';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import { ADMIN_FILE, ADMIN_HEADER, readAdminFile } from '../staff/local-admin.js';
import { BACKUP_SHA_HEADER } from './local-backup.js';

let r: TestRelay;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ringback-local-'));
  r = await startTestRelay({ dir });
});
afterAll(async () => {
  await r.stop(); // a second stop does nothing
  await rm(dir, { recursive: true, force: true });
});

const backup = (headers: Record<string, string>) => fetch(`${r.url}/_local/backup`, { method: 'POST', headers });

describe('POST /_local/backup', () => {
  it('answers only with the secret from the data dir, which only the owner can read', async () => {
    const admin = (await readAdminFile(r.dir))!;
    expect(admin.url).toBe(r.url);
    expect((await stat(path.join(r.dir, ADMIN_FILE))).mode & 0o777).toBe(0o600);
    for (const headers of [{} as Record<string, string>, { [ADMIN_HEADER]: 'x'.repeat(admin.secret.length) }, { [ADMIN_HEADER]: `${admin.secret}x` }, { [ADMIN_HEADER]: admin.secret, 'x-forwarded-for': '203.0.113.9' }]) {
      const res = await backup(headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
    await r.call({ answered: false });
    // Let the call settle (text-back sent and delivered), so the relay's seq holds still for the comparison.
    await waitFor(() => Object.values(r.store.data.threads)[0]?.textBack?.state === 'delivered', 'the text-back delivered');
    const res = await backup({ [ADMIN_HEADER]: admin.secret });
    expect(res.status).toBe(200);
    const buf = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get(BACKUP_SHA_HEADER)).toBe(sha256(buf));
    const { manifest } = await verifyBackup(buf);
    expect(manifest.seq).toBe(r.store.data.seq);
    // Restored, the snapshot plus the journals it carries hold the thread.
    const out = await mkdtemp(path.join(tmpdir(), 'ringback-local-out-'));
    try {
      await writeBackupFile(path.join(out, 'b.tar.gz'), buf);
      await restoreBackup(path.join(out, 'b.tar.gz'), path.join(out, 'restored'));
      const restored = await Store.open(path.join(out, 'restored'));
      expect(Object.keys(restored.data.threads)).toHaveLength(1);
      await restored.close();
    } finally {
      await rm(out, { recursive: true, force: true });
    }
    // The temp file it was streamed from is gone.
    expect((await readdir(path.join(r.dir, 'backups'))).filter((f) => f.startsWith('.local-'))).toEqual([]);
    // The relay wrote nothing of its own for it.
    expect((await readdir(r.dir)).filter((f) => f.endsWith('.tar.gz'))).toEqual([]);
  });

  it('the secret file goes when the relay stops', async () => {
    await r.stop();
    expect(await readdir(dir)).not.toContain(ADMIN_FILE);
  });
});
