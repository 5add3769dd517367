#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { roleSchema, type Env } from '@ringback/shared';
import { findCalendars } from './booking/caldav/discover.js';
import { activeStaffNames, checkOnline, configWarnings } from './config/check.js';
import { enterMode } from './config/enter-mode.js';
import { describeIssues, loadBusinessConfig, loadConfig, loadEnv } from './config/load.js';
import { runStaffCommand, staffCommandSchema, type StaffCommand, type StaffCommandResult } from './staff/commands.js';
import { ADMIN_HEADER, runningRelay } from './staff/local-admin.js';
import { feedAddresses } from './booking/feed.js';
import { backupCommand, restoreCommand } from './store/backup-command.js';
import { privateDir } from './store/private.js';
import { backupDirOf } from './store/backup-schedule.js';
import { readDataReadOnly, Store } from './store/store.js';
import { DomainError } from './threads/errors.js';
import { RELAY_VERSION } from './version.js';

const USAGE = `usage:
  ringback staff add --name "Ana" --role receptionist|manager [--phone "+15125550142"]
                                                                 prints the new token as the last line; --phone is the desk phone call-backs ring
  ringback staff list
  ringback staff revoke --name "Ana"
  ringback staff rotate --name "Ana"                             a new token for Ana (printed last); the old one stops working
  ringback config check [--online]                               validates the environment and business config;
                                                                 --online also tries the Plivo credentials, the data dir,
                                                                 each CalDAV calendar (a read) and the reply classifier
  ringback recover [--data-dir DIR]                              after a refused start: keeps every intact journal line (and the newest
                                                                 good backup if ringback.json is damaged), moves damaged files aside
  ringback backup --out FILE                                     one checked archive of the data dir (from the running relay, if any)
  ringback restore FILE --data-dir DIR                           into a new or empty DIR, after checking the whole archive
  ringback calendars --url URL --username NAME [--password-env VAR]
                                                                 the CalDAV calendars the account sees, with the URL for booking.calendar.url;
                                                                 the password is read from VAR (CALDAV_PASSWORD)
  ringback booking feed-url                                      each booking location's calendar-feed address (secret: share with staff only)
  ringback version                                               prints the relay's release
Staff commands and backups work while the relay runs (they go through it), and when it is stopped.`;

class UsageError extends Error {}

/** With a mode chosen, that mode's data dir and rules (staff added to demo data are demo staff); else the dir as it is. */
function env(): Env {
  return loadEnv(process.env, null).env;
}

/** Through the running relay when there is one (it owns the data dir), else straight on the store. */
async function staffCommand(cmd: StaffCommand): Promise<StaffCommandResult> {
  const dir = env().RINGBACK_DATA_DIR;
  const admin = await runningRelay(dir);
  if (admin) {
    const res = await fetch(`${admin.url}/_local/staff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ADMIN_HEADER]: admin.secret },
      body: JSON.stringify(cmd),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => null);
    // No answer: the pid was reused after a crash, or the relay is stopping; the lock below tells which.
    if (res) {
      const body = (await res.json().catch(() => null)) as (StaffCommandResult & { error?: { message: string } }) | null;
      if (!res.ok || !body) throw new Error(body?.error?.message ?? `the relay answered ${res.status}`);
      return body;
    }
  }
  // The phone's country comes from the business config; only `add --phone` needs it.
  const country = cmd.action === 'add' && cmd.phone !== undefined ? loadBusinessConfig(process.env.RINGBACK_CONFIG).business.business.country : 'US';
  const { env: e, mode } = loadEnv(process.env, null);
  const store = await Store.open(dir, { backupDir: backupDirOf(e) });
  try {
    if (mode) enterMode(store, mode, { host: null, force: e.RINGBACK_FORCE_SANDBOX === '1', now: new Date() });
    const result = runStaffCommand(store, cmd, country);
    await store.commit();
    return result;
  } finally {
    await store.close();
  }
}

export async function run(argv: string[], out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, role: { type: 'string' }, phone: { type: 'string' }, online: { type: 'boolean' }, out: { type: 'string' }, 'data-dir': { type: 'string' }, version: { type: 'boolean' }, url: { type: 'string' }, username: { type: 'string' }, 'password-env': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [group, verb] = positionals;
  if (group === 'staff' && (verb === 'add' || verb === 'revoke' || verb === 'rotate')) {
    const input = staffCommandSchema.safeParse({ action: verb, name: values.name, ...(verb === 'add' ? { role: values.role, phone: values.phone } : {}) });
    if (!input.success) throw new UsageError(describeIssues(input.error).join('\n') + (verb === 'add' ? `\nroles: ${roleSchema.options.join(', ')}` : ''));
    const r = await staffCommand(input.data);
    if (verb === 'revoke') out(`revoked ${r.staff.name}; their token no longer works`);
    else {
      out(`${verb === 'add' ? 'added' : `rotated ${r.staff.name}: the old token no longer works;`} ${r.staff.name} (${r.staff.role}, ${r.staff.id}); their token, shown only once:`);
      out(r.token!);
    }
  } else if (group === 'staff' && verb === 'list') {
    // Read-only and lock-free: works while the relay runs.
    const staff = (await readDataReadOnly(env().RINGBACK_DATA_DIR).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { staff: [] };
      throw e;
    })).staff;
    if (staff.length === 0) out('no staff yet: ringback staff add --name "Ana" --role manager');
    for (const s of staff) out(`${s.name}\t${s.role}\t${s.id}\t${s.revokedAt ? `revoked ${s.revokedAt}` : `since ${s.createdAt}`}${s.phone ? `\t${s.phone}` : ''}`);
  } else if (group === 'recover' && verb === undefined) {
    const dir = values['data-dir'] ?? env().RINGBACK_DATA_DIR;
    const store = await Store.open(dir, { recover: true });
    const report = store.recovery;
    await store.close();
    if (report.length === 0) out(`nothing to recover: ${dir} starts as it is`);
    for (const line of report) out(line);
  } else if (group === 'config' && verb === 'check') {
    loadBusinessConfig(process.env.RINGBACK_CONFIG); // the file's problems first, whatever the mode
    const config = loadConfig();
    const locs = config.business.locations.map((l) => `${l.name} (${l.numbers.join(', ')})`).join('; ');
    out(`ok: ${config.business.business.name} from ${config.businessSource}; ${config.sandbox ? 'sandbox mode' : 'Plivo mode'}; locations: ${locs}`);
    const staff = config.business.sla.reassignTo ? await activeStaffNames(config.env.RINGBACK_DATA_DIR) : [];
    for (const w of configWarnings(config, staff)) out(`warning: ${w}`);
    if (values.online) {
      const online = await checkOnline(config);
      for (const l of online.lines) out(l);
      if (!online.ok) throw new Error('the online check failed');
    }
  } else if (group === 'calendars' && verb === undefined) {
    if (!values.url || !values.username) throw new UsageError('--url (the CalDAV server, e.g. https://caldav.icloud.com/) and --username are required');
    const passwordEnv = values['password-env'] ?? 'CALDAV_PASSWORD';
    const found = await findCalendars({ url: values.url, username: values.username, passwordEnv });
    if (found.length === 0) out(`no calendars for ${values.username} on ${new URL(values.url).host}`);
    for (const c of found) out(`${c.name}\t${c.url}${c.events ? '' : '\t(no events: tasks only)'}`);
  } else if (group === 'booking' && verb === 'feed-url') {
    const config = loadConfig();
    // The key lives in the data dir beside the data; made on first use, by the relay or here.
    await privateDir(config.env.RINGBACK_DATA_DIR);
    const feeds = feedAddresses(config, config.env.RINGBACK_DATA_DIR);
    if (feeds.length === 0) out('no location books through Ringback: give the business file a "booking" section and a location "booking"');
    for (const f of feeds) out(`${f.name} (${f.locationId})\t${f.url}`);
  } else if (group === 'version' || values.version) {
    out(RELAY_VERSION);
  } else if (group === 'backup' && verb === undefined) {
    if (!values.out) throw new UsageError('--out FILE is required');
    for (const line of await backupCommand(env().RINGBACK_DATA_DIR, values.out)) out(line);
  } else if (group === 'restore' && verb !== undefined && positionals.length === 2) {
    if (!values['data-dir']) throw new UsageError('--data-dir DIR is required: a new or empty directory');
    for (const line of await restoreCommand(verb, values['data-dir'])) out(line);
  } else {
    throw new UsageError(USAGE);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  run(process.argv.slice(2), (l) => console.log(l)).catch((e: unknown) => {
    console.error(`ringback: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(e instanceof UsageError || (e instanceof DomainError && e.status === 400) ? 2 : 1);
  });
}
