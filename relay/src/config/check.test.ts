import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { businessConfigSchema, envSchema } from '@ringback/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, testBusiness, type TestRelay } from '../testing/harness.js';
import { revokeStaff } from '../staff/tokens.js';
import { activeStaffNames, checkOnline, configWarnings } from './check.js';
import { demoConfig } from './demo.js';
import { buildConfig, describeIssues, jsonErrorAt, type RelayConfig } from './load.js';

const issues = (input: unknown) => {
  const r = businessConfigSchema.safeParse(input);
  return r.success ? [] : describeIssues(r.error);
};
const config = (patch: (c: any) => void = () => {}, env: Record<string, string> = {}, source = 'test'): RelayConfig => {
  const c = testBusiness(patch);
  return buildConfig(envSchema.parse({ RINGBACK_DATA_DIR: '/nonexistent/ringback', ...env }), businessConfigSchema.parse(c), source);
};

describe('business configuration: refused', () => {
  it('accepts the built-in demo and the README example shape', () => {
    expect(issues(demoConfig)).toEqual([]);
  });

  it('refuses misspelled keys at every level instead of dropping them', () => {
    expect(issues(testBusiness((c: any) => (c.textBack.quietHour = { start: '21:00', end: '08:00' })))).toEqual(['textBack: Unrecognized key: "quietHour"']);
    expect(issues(testBusiness((c: any) => (c.business.bookingURL = 'https://x.example')))).toEqual(['business: Unrecognized key: "bookingURL"']);
    expect(issues(testBusiness((c: any) => (c.locations[0].hours.monday = [['08:00', '17:00']])))).toEqual(['locations.0.hours: Unrecognized key: "monday"']);
    expect(issues(testBusiness((c: any) => (c.locations[0].quietHours = { start: '21:00', end: '08:00', exempt: true })))).toEqual([
      'locations.0.quietHours: Unrecognized key: "exempt"',
    ]);
    expect(issues(testBusiness((c: any) => (c.sla.reasignTo = 'Mo')))).toEqual(['sla: Unrecognized key: "reasignTo"']);
    expect(issues(testBusiness((c: any) => (c.locations[0].templates.misssed = 'x')))).toEqual(['locations.0.templates: Unrecognized key: "misssed"']);
    expect(issues(testBusiness((c: any) => (c.extra = 1)))).toEqual(['(root): Unrecognized key: "extra"']);
  });

  it('refuses unknown template variables, naming the one that was meant', () => {
    const out = issues(testBusiness((c: any) => (c.locations[0].templates.missed = 'Hi {{first_name}}, book: {{bookingURL}} {{ location | here }}')));
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('locations.0.templates.missed: unknown variable {{first_name}} (did you mean {{firstName}}?); known: business, bookingUrl, location, firstName');
    expect(out[1]).toContain('{{bookingURL}} (did you mean {{bookingUrl}}?)');
    const variant = issues(
      testBusiness((c: any) => {
        c.experiments = [{ id: 'x', template: 'missed', variants: [{ id: 'A', text: 'Hi {{name}}' }, { id: 'B', text: 'Hello {{firstName|there}}' }] }];
      }),
    );
    expect(variant).toEqual([expect.stringMatching(/^experiments\.0\.variants\.0\.text: unknown variable \{\{name\}\}/)]);
  });
});

describe('business configuration: warnings', () => {
  it('warns on fixed-offset and abbreviated time zones, not on city zones', () => {
    for (const tz of ['MST', 'EST', 'Etc/GMT+7', 'UTC']) {
      const w = configWarnings(config((c) => (c.locations[0].timezone = tz)), []);
      expect(w.filter((x) => x.startsWith('locations.0.timezone'))).toHaveLength(1);
    }
    for (const tz of ['America/Denver', 'America/Argentina/Buenos_Aires', 'US/Mountain']) {
      expect(configWarnings(config((c) => (c.locations[0].timezone = tz)), [])).toEqual([]);
    }
  });

  it('warns when a text needs more than one SMS segment once filled in (GSM-7 160, UCS-2 70)', () => {
    const long = configWarnings(config((c) => (c.locations[0].templates.missed = 'x'.repeat(900))), []);
    expect(long).toHaveLength(1);
    expect(long[0]).toMatch(/^locations\.0\.templates\.missed: 923 GSM-7 characters .* = 7 SMS segments/);
    // 60 characters plus the STOP line fits GSM-7, but one emoji makes it UCS-2 with 70 per segment.
    const emoji = configWarnings(config((c) => (c.locations[0].templates.voicemail = `Thanks for calling ${'a'.repeat(40)} 😀`)), []);
    expect(emoji).toEqual([expect.stringMatching(/^locations\.0\.templates\.voicemail: \d+ UCS-2 characters .* 2 SMS segments.*emoji/)]);
    expect(configWarnings(config((c) => (c.keywords = { HOURS: 'y'.repeat(200) })), [])).toEqual([expect.stringMatching(/^keywords\.HOURS: /)]);
  });

  it('warns when sla.reassignTo names nobody, or cannot be checked yet', () => {
    const c = config((b) => (b.sla.reassignTo = 'Mo'));
    expect(configWarnings(c, ['Ana'])).toEqual([expect.stringContaining('no active staff member is called "Mo"')]);
    expect(configWarnings(c, ['Ana', 'Mo'])).toEqual([]);
    expect(configWarnings(c, null)).toEqual([expect.stringContaining('could not be checked')]);
  });

  it('warns when Plivo credentials would serve the built-in demo business', () => {
    const live = config(() => {}, { PLIVO_AUTH_ID: 'MAXXXXXXXXXXXXXXXXXX', PLIVO_AUTH_TOKEN: 'secret' }, 'built-in demo');
    expect(configWarnings(live, [])).toEqual([expect.stringContaining('demo business')]);
    expect(configWarnings(config(() => {}, {}, 'built-in demo'), [])).toEqual([]);
  });
});

describe('JSON errors', () => {
  const at = (text: string) => {
    try {
      JSON.parse(text);
    } catch (e) {
      return jsonErrorAt(text, e as Error);
    }
    return 'parsed';
  };
  it('give line and column', () => {
    expect(at('{\n  "a": 1\n  "b": 2\n}')).toBe("line 3, column 3: Expected ',' or '}' after property value");
    expect(at('{\n  "a": 1,\n}')).toMatch(/^line 3, column 1: /);
    expect(at('{\n  "quietHours": nul,\n  "x": 1\n}')).toMatch(/^line 2, column 20: Unexpected token/);
    expect(at('{\n  "a": [1,\n')).toMatch(/^line 3, column 1: Unexpected end of JSON input/);
  });
});

describe('staff names and the online check', () => {
  let relay: TestRelay | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a settings change through the API is held to the same template variables', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const before = relay.config.business.locations[0]!.templates.missed;
    const res = await relay.api(boss, 'PATCH', '/api/settings', { templates: { main: { missed: 'Hi {{first_name}}, book: {{bookingUrl}}' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('unknown variable {{first_name}} (did you mean {{firstName}}?)');
    expect(relay.config.business.locations[0]!.templates.missed).toBe(before);
  });

  it('reads active staff without the lock, while a relay holds the data dir', async () => {
    relay = await startTestRelay();
    await relay.staff('Mo', 'manager');
    await relay.staff('Old');
    revokeStaff(relay.store, 'Old');
    await relay.store.commit();
    expect((await activeStaffNames(relay.dir))?.sort()).toEqual(['Demo Desk', 'Mo']);
    expect(await activeStaffNames('/nonexistent/ringback-dir')).toBeNull();
  });

  it('--online: accepts good Plivo credentials, names wrong ones, and probes the data dir without leaving a file', async () => {
    relay = await startTestRelay();
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-online-'));
    const env = (token: string) => ({
      RINGBACK_DATA_DIR: dir!,
      PLIVO_AUTH_ID: relay!.config.plivo.authId,
      PLIVO_AUTH_TOKEN: token,
      PLIVO_API_URL: `${relay!.url}/sandbox/plivo`,
    });
    const good = await checkOnline(config(() => {}, env(relay.config.plivo.authToken)));
    expect(good).toEqual({ ok: true, lines: ['plivo: credentials accepted (account "Ringback sandbox", credit 100.00000)', `data dir: ${dir} is writable`] });
    expect(await readdir(dir)).toEqual([]);

    const bad = await checkOnline(config(() => {}, env('wrong-token')));
    expect(bad.ok).toBe(false);
    expect(bad.lines[0]).toBe('plivo: PLIVO_AUTH_ID or PLIVO_AUTH_TOKEN is wrong (401)');

    if (process.getuid?.() !== 0) {
      await chmod(dir, 0o500);
      const ro = await checkOnline(config(() => {}, env(relay.config.plivo.authToken)));
      expect(ro.ok).toBe(false);
      expect(ro.lines[1]).toMatch(/^data dir: cannot write/);
      await chmod(dir, 0o700);
    }
    const unreachable = await checkOnline(config(() => {}, { ...env('x'), PLIVO_API_URL: 'http://127.0.0.1:9' }), 2000);
    expect(unreachable.lines[0]).toMatch(/^plivo: could not reach Plivo at http:\/\/127\.0\.0\.1:9/);
  });
});
