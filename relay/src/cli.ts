#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { envSchema, parsePhone, roleSchema, staffAddSchema } from '@ringback/shared';
import { ConfigError, describeIssues, loadConfig } from './config/load.js';
import { addStaff, revokeStaff } from './staff/tokens.js';
import { Store } from './store/store.js';
import { RELAY_VERSION } from './version.js';

const USAGE = `usage:
  ringback staff add --name "Ana" --role receptionist|manager [--phone "+15125550142"]
                                                                 prints the new token as the last line; --phone is the desk phone call-backs ring
  ringback staff list
  ringback staff revoke --name "Ana"
  ringback config check                                          validates the environment and business config
  ringback version                                               prints the relay's release`;

class UsageError extends Error {}

async function withStore<T>(fn: (store: Store) => T): Promise<T> {
  const env = envSchema.safeParse(process.env);
  if (!env.success) throw new ConfigError('environment', describeIssues(env.error));
  const store = await Store.open(env.data.RINGBACK_DATA_DIR);
  try {
    const result = fn(store);
    await store.commit();
    return result;
  } finally {
    await store.close();
  }
}

export async function run(argv: string[], out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, role: { type: 'string' }, phone: { type: 'string' }, version: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const [group, verb] = positionals;
  if (group === 'staff' && verb === 'add') {
    const input = staffAddSchema.safeParse({ name: values.name, role: values.role });
    if (!input.success) throw new UsageError(describeIssues(input.error).join('\n') + `\nroles: ${roleSchema.options.join(', ')}`);
    let phone: string | null = null;
    if (values.phone !== undefined) {
      const p = parsePhone(values.phone, loadConfig().business.business.country);
      if (!p.ok) throw new UsageError(`--phone "${values.phone}" is not a valid phone number`);
      phone = p.e164;
    }
    const { staff, token } = await withStore((s) => addStaff(s, input.data.name, input.data.role, new Date(), phone));
    out(`added ${staff.name} (${staff.role}, ${staff.id}); their token, shown only once:`);
    out(token);
  } else if (group === 'staff' && verb === 'list') {
    const staff = await withStore((s) => s.data.staff.map((r) => ({ ...r })));
    if (staff.length === 0) out('no staff yet: ringback staff add --name "Ana" --role manager');
    for (const s of staff) out(`${s.name}\t${s.role}\t${s.id}\t${s.revokedAt ? `revoked ${s.revokedAt}` : `since ${s.createdAt}`}${s.phone ? `\t${s.phone}` : ''}`);
  } else if (group === 'staff' && verb === 'revoke') {
    if (!values.name) throw new UsageError('--name is required');
    const staff = await withStore((s) => revokeStaff(s, values.name!));
    out(`revoked ${staff.name}; their token no longer works`);
  } else if (group === 'config' && verb === 'check') {
    const config = loadConfig();
    const locs = config.business.locations.map((l) => `${l.name} (${l.numbers.join(', ')})`).join('; ');
    out(`ok: ${config.business.business.name} from ${config.businessSource}; ${config.sandbox ? 'sandbox mode' : 'Plivo mode'}; locations: ${locs}`);
  } else if (group === 'version' || values.version) {
    out(RELAY_VERSION);
  } else {
    throw new UsageError(USAGE);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  run(process.argv.slice(2), (l) => console.log(l)).catch((e: unknown) => {
    console.error(`ringback: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}
