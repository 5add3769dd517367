import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay | null = null;
let dir = '';
afterEach(async () => {
  await relay?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('settings over the API', () => {
  it('managers change templates, keywords and the SLA at run time; the change is audited and survives a restart', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-settings-'));
    relay = await startTestRelay({ dir });
    const boss = await relay.staff('Morgan', 'manager');
    const desk = await relay.staff('Riley');
    expect((await relay.api(desk, 'GET', '/api/settings')).status).toBe(403);
    expect((await relay.api(desk, 'PATCH', '/api/settings', { sla: { claimMinutes: 10 } })).status).toBe(403);

    const patch = {
      sla: { claimMinutes: 10 },
      keywords: { PARKING: 'Free parking behind the building.' },
      templates: { main: { missed: 'Hi from {{business}}! We missed you, book here: {{bookingUrl}}' } },
    };
    const changed = await relay.api(boss, 'PATCH', '/api/settings', patch);
    expect(changed.status).toBe(200);
    expect(changed.body.sla.claimMinutes).toBe(10);
    expect(changed.body.keywords.HOURS).toBeTruthy(); // the file's keywords stay
    expect((await relay.api(desk, 'GET', '/api/me')).body.sla.claimMinutes).toBe(10);

    await relay.call({ answered: false });
    await relay.sms('parking', '+15125550999'); // another caller: an answer seconds after our text-back would look automated
    await waitFor(async () => (await relay!.sent()).length === 2, 'text-back and keyword answer');
    const texts = (await relay.sent()).map((m) => m.text);
    expect(texts[0]).toMatch(/^Hi from Bright Smile Dental! We missed you/);
    expect(texts[1]).toBe('Free parking behind the building.');
    const auditLog = (await relay.api(boss, 'GET', '/api/audit?action=settings')).body.entries;
    expect(auditLog).toHaveLength(1);
    expect(auditLog[0].actor.name).toBe('Morgan');

    await relay.stop();
    relay = await startTestRelay({ dir });
    const again = await relay.staff('Sam', 'manager');
    const read = (await relay.api(again, 'GET', '/api/settings')).body;
    expect(read.sla.claimMinutes).toBe(10);
    expect(read.templates.main.missed).toMatch(/^Hi from/);
    expect(read.overrides).toEqual(patch);
  });

  it('refuses changes the configuration would not accept, and changes nothing then', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Morgan', 'manager');
    const bad = [
      { keywords: { STOP: 'no' } },
      { templates: { nowhere: { missed: 'x' } } },
      { locations: [] },
      { sla: { claimMinutes: -1 } },
      { business: { bookingUrl: 'not a url' } },
    ];
    for (const body of bad) {
      const res = await relay.api(boss, 'PATCH', '/api/settings', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    const read = (await relay.api(boss, 'GET', '/api/settings')).body;
    expect(read.overrides).toEqual({});
    expect(read.sla.claimMinutes).toBe(5);
  });
});
