import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../testing/harness.js';
import { ADMIN_FILE, ADMIN_HEADER, readAdminFile } from './local-admin.js';

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

async function local(r: TestRelay, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${r.url}/_local/staff`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('local staff administration', () => {
  it('writes its URL and a secret only the owner can read, and removes them on close', async () => {
    const r = (relay = await startTestRelay());
    const file = path.join(r.dir, ADMIN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const admin = await readAdminFile(r.dir);
    expect(admin).toMatchObject({ url: r.url, pid: process.pid });
    expect(admin!.secret.length).toBeGreaterThanOrEqual(40);
    await r.close();
    expect(existsSync(file)).toBe(false);
  });

  it('adds, rotates and revokes with the secret; tokens work or stop working at once; audited', async () => {
    const r = (relay = await startTestRelay());
    const { secret } = (await readAdminFile(r.dir))!;
    const auth = { [ADMIN_HEADER]: secret };
    const added = await local(r, { action: 'add', name: 'Ana', role: 'manager', phone: '(512) 555-0142' }, auth);
    expect(added.status).toBe(200);
    expect(added.body.staff).toMatchObject({ name: 'Ana', role: 'manager', phone: '+15125550142' });
    expect((await r.api(added.body.token, 'GET', '/api/me')).status).toBe(200);
    expect((await local(r, { action: 'add', name: 'ana', role: 'receptionist' }, auth)).status).toBe(409);

    const rotated = await local(r, { action: 'rotate', name: 'Ana' }, auth);
    expect(rotated.status).toBe(200);
    expect(rotated.body.revoked.id).toBe(added.body.staff.id);
    expect(rotated.body.staff).toMatchObject({ name: 'Ana', role: 'manager', phone: '+15125550142' });
    expect((await r.api(added.body.token, 'GET', '/api/me')).status).toBe(401);
    expect((await r.api(rotated.body.token, 'GET', '/api/me')).status).toBe(200);

    const s = r.socket(rotated.body.token);
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    const dropped = new Promise<void>((resolve) => s.on('disconnect', () => resolve()));
    expect((await local(r, { action: 'revoke', name: 'Ana' }, auth)).status).toBe(200);
    expect((await r.api(rotated.body.token, 'GET', '/api/me')).status).toBe(401);
    await dropped;
    expect((await local(r, { action: 'revoke', name: 'Ana' }, auth)).status).toBe(404);

    const actions = r.store.data.audit.filter((e) => e.actor?.id === 'cli').map((e) => e.action);
    expect(actions).toEqual(['staff-add', 'staff-rotate', 'staff-add', 'staff-revoke']);
  });

  it('refuses a wrong or missing secret, a proxied request and a bad body, changing nothing', async () => {
    const r = (relay = await startTestRelay());
    const { secret } = (await readAdminFile(r.dir))!;
    const before = r.store.data.staff.length;
    const add = { action: 'add', name: 'Eve', role: 'manager' };
    expect((await local(r, add, {})).status).toBe(403);
    expect((await local(r, add, { [ADMIN_HEADER]: secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A') })).status).toBe(403);
    expect((await local(r, add, { [ADMIN_HEADER]: secret.slice(1) })).status).toBe(403);
    const proxied = await local(r, add, { [ADMIN_HEADER]: secret, 'x-forwarded-for': '203.0.113.9' });
    expect(proxied).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const bad = await local(r, { action: 'add', name: 'Eve', role: 'owner' }, { [ADMIN_HEADER]: secret });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect((await local(r, { action: 'delete-everything' }, { [ADMIN_HEADER]: secret })).status).toBe(400);
    expect(r.store.data.staff.length).toBe(before);
  });
});
