import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedKey } from './booking/links.js';
import { bookingBusiness } from './booking/page/fixture.js';
import { staffByToken } from './staff/tokens.js';
import { spawnRelay } from './testing/relay-process.js';
import { Store } from './store/store.js';

const run = promisify(execFile);
let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'ringback-cli-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'cli.ts'), ...args], {
      env: { ...process.env, RINGBACK_DATA_DIR: dir, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('ringback CLI', () => {
  it('adds staff, prints the token as the last line, stores only its hash, lists and revokes', async () => {
    const added = await cli(['staff', 'add', '--name', 'Ana Ruiz', '--role', 'manager']);
    expect(added.code).toBe(0);
    const token = added.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^rb_[\w-]{40,}$/);
    const store = await Store.open(dir);
    expect(staffByToken(store, token)).toMatchObject({ name: 'Ana Ruiz', role: 'manager' });
    expect(JSON.stringify(store.data)).not.toContain(token);
    await store.close();

    expect((await cli(['staff', 'list'])).stdout).toMatch(/Ana Ruiz\tmanager/);
    expect((await cli(['staff', 'add', '--name', 'ana ruiz', '--role', 'receptionist'])).code).toBe(1);
    expect((await cli(['staff', 'revoke', '--name', 'Ana Ruiz'])).code).toBe(0);
    const after = await Store.open(dir);
    expect(staffByToken(after, token)).toBeNull();
    await after.close();
  }, 30_000);

  it('with RINGBACK_MODE=sandbox adds demo staff to demo data, and refuses real data', async () => {
    expect((await cli(['staff', 'add', '--name', 'Ana', '--role', 'manager'], { RINGBACK_MODE: 'sandbox' })).code).toBe(0);
    const demo = await Store.open(dir);
    expect(demo.data.staff.map((s) => [s.name, s.demo])).toEqual([['Ana', true]]);
    await demo.close();

    const real = await mkdtemp(path.join(tmpdir(), 'ringback-cli-real-'));
    try {
      expect((await cli(['staff', 'add', '--name', 'Mo', '--role', 'manager'], { RINGBACK_DATA_DIR: real })).code).toBe(0);
      const refused = await cli(['staff', 'add', '--name', 'Sam', '--role', 'manager'], { RINGBACK_DATA_DIR: real, RINGBACK_MODE: 'sandbox' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/refusing to start in sandbox mode:\n {2}- .* holds staff who are not demo staff \(Mo\)/);
      const after = await Store.open(real);
      expect(after.data.staff.map((s) => [s.name, s.demo])).toEqual([['Mo', undefined]]);
      await after.close();
    } finally {
      await rm(real, { recursive: true, force: true });
    }
  }, 30_000);

  it('rejects bad input with a clear message and exit code 2', async () => {
    const bad = await cli(['staff', 'add', '--name', 'Sam', '--role', 'boss']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/role/);
    const none = await cli(['dance']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage/);
  }, 30_000);

  it('config check lists every problem of an invalid business file', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ business: { name: '', bookingUrl: 'nope' }, locations: [{ id: 'Main St', timezone: 'Mars/Olympus' }] }));
    const res = await cli(['config', 'check'], { RINGBACK_CONFIG: file });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/business\.name/);
    expect(res.stderr).toMatch(/business\.bookingUrl/);
    expect(res.stderr).toMatch(/locations\.0\.timezone: unknown IANA time zone/);
    const ok = await cli(['config', 'check'], { RINGBACK_MODE: 'sandbox' });
    expect(ok.stdout).toMatch(/ok: Bright Smile Dental from built-in demo; sandbox mode/);
    const none = await cli(['config', 'check']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no mode chosen: set RINGBACK_MODE=sandbox .* or RINGBACK_MODE=plivo/);
  }, 30_000);

  it('booking feed-url prints each booking location’s feed address, keyed by the data dir’s secret', async () => {
    const file = path.join(dir, 'business.json');
    await writeFile(file, JSON.stringify(bookingBusiness()));
    const res = await cli(['booking', 'feed-url'], { RINGBACK_CONFIG: file, RINGBACK_MODE: 'sandbox', PUBLIC_URL: 'https://desk.example.com' });
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(`Main St (main)\thttps://desk.example.com/calendar/main.ics?key=${feedKey(dir, 'main')}`);
    const plain = bookingBusiness((c) => {
      delete c.booking;
      delete c.locations[0]!.booking;
    });
    await writeFile(file, JSON.stringify(plain));
    const none = await cli(['booking', 'feed-url'], { RINGBACK_CONFIG: file, RINGBACK_MODE: 'sandbox' });
    expect(none.stdout).toMatch(/^no location books through Ringback/);
  }, 30_000);

  it('staff list, add, rotate and revoke work while the relay runs, and take effect at once', async () => {
    const relay = await spawnRelay({ dir });
    try {
      const me = async (token: string) => (await fetch(`${relay.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;
      const added = await cli(['staff', 'add', '--name', 'Ana Ruiz', '--role', 'manager']);
      expect(added.stderr).toBe('');
      const token = added.stdout.trim().split('\n').at(-1)!;
      expect(await me(token)).toBe(200);

      const list = await cli(['staff', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^Ana Ruiz\tmanager\t/m);
      expect(list.stdout).toMatch(/^Demo Desk\tmanager\t/m);

      const rotated = await cli(['staff', 'rotate', '--name', 'Ana Ruiz']);
      expect(rotated.stdout).toMatch(/rotated Ana Ruiz: the old token no longer works/);
      const fresh = rotated.stdout.trim().split('\n').at(-1)!;
      expect(await me(token)).toBe(401);
      expect(await me(fresh)).toBe(200);

      expect((await cli(['staff', 'revoke', '--name', 'Ana Ruiz'])).code).toBe(0);
      expect(await me(fresh)).toBe(401);
      const missing = await cli(['staff', 'revoke', '--name', 'Nobody']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/no active staff member named "Nobody"/);
    } finally {
      await relay.stop();
    }
  }, 90_000);

  it('falls back to the data dir when the relay named in admin.secret does not answer (a crash left it)', async () => {
    await writeFile(path.join(dir, 'admin.secret'), JSON.stringify({ url: 'http://127.0.0.1:9', secret: 'x'.repeat(43), pid: process.pid }));
    const added = await cli(['staff', 'add', '--name', 'Mo', '--role', 'manager']);
    expect(added.code).toBe(0);
    const store = await Store.open(dir);
    expect(staffByToken(store, added.stdout.trim().split('\n').at(-1)!)).toMatchObject({ name: 'Mo' });
    expect(store.data.audit.at(-1)).toMatchObject({ action: 'staff-add', actor: { id: 'cli' } });
    await store.close();
  }, 30_000);

  it('config check prints warnings, line:column for broken JSON, and --online findings', async () => {
    const file = path.join(dir, 'office.json');
    await writeFile(file, '{\n  "business": { "name": "Peak Dental" }\n  "locations": []\n}');
    const broken = await cli(['config', 'check'], { RINGBACK_CONFIG: file });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${file} is invalid:\n  - line 3, column 3: Expected ',' or '}' after property value`);

    const office = {
      business: { name: 'Peak Dental', bookingUrl: 'https://peak.example/book' },
      locations: [{ id: 'denver', name: 'Denver', timezone: 'MST', numbers: ['+17205550100'], ring: ['+17205550199'], hours: {},
        templates: { missed: 'Sorry we missed you: {{bookingUrl}}', afterHours: 'We are closed. {{bookingUrl}}', voicemail: 'Thanks for your voicemail.' } }],
      sla: { reassignTo: 'Mo' },
    };
    await writeFile(file, JSON.stringify(office));
    const res = await cli(['config', 'check', '--online'], { RINGBACK_CONFIG: file, RINGBACK_MODE: 'sandbox' });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^ok: Peak Dental from /m);
    expect(res.stdout).toMatch(/^warning: locations\.0\.timezone: "MST" is a fixed offset/m);
    expect(res.stdout).toMatch(/^warning: sla\.reassignTo: /m);
    expect(res.stdout).toMatch(/^plivo: sandbox mode, no credentials to check$/m);
    expect(res.stdout).toMatch(/^data dir: .* is writable$/m);
  }, 60_000);
  it('recover keeps every intact journal line after a refused start, then the data dir opens normally', async () => {
    const store = await Store.open(dir);
    store.put('optOuts', '+15125551077', { at: 'x', source: 'STOP', confirmationSent: true });
    await store.commit();
    store.put('processed', 'later', 'v');
    await store.commit();
    // A crash, and the first journal line damaged since.
    const journal = path.join(dir, 'ringback.journal.1');
    const [first, second] = (await readFile(journal, 'utf8')).trim().split('\n');
    await store.close().catch(() => {});
    await writeFile(path.join(dir, 'ringback.json'), JSON.stringify({ ...JSON.parse(await readFile(path.join(dir, 'ringback.json'), 'utf8')), batch: 0, optOuts: {}, processed: {} }));
    await writeFile(journal, `${first!.slice(0, -5)}\n${second}\n`);
    expect((await cli(['staff', 'list'])).stderr).toMatch(/missing batch 1 \(damaged: ringback.journal.1 line 1/);
    const recovered = await cli(['recover', '--data-dir', dir]);
    expect(recovered.code).toBe(0);
    expect(recovered.stdout).toMatch(/lost batch 1 /);
    expect(recovered.stdout).toMatch(/replayed 1 intact journal lines/);
    expect((await cli(['staff', 'list'])).code).toBe(0);
    const after = await Store.open(dir);
    expect(after.data.processed.later).toBe('v');
    await after.close();
  });
});
