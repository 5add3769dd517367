#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { parsePhone, roleSchema, staffAddSchema } from '@ringback/shared';
import { enterMode } from './config/enter-mode.js';
import { describeIssues, loadBusinessConfig, loadConfig, loadEnv } from './config/load.js';
import { addStaff, revokeStaff } from './staff/tokens.js';
import { Store } from './store/store.js';

const USAGE = `usage:
  ringback staff add --name "Ana" --role receptionist|manager [--phone "+15125550142"]
                                                                 prints the new token as the last line; --phone is the desk phone call-backs ring
  ringback staff list
  ringback staff revoke --name "Ana"
  ringback config check                                          validates the environment and business config`;

class UsageError extends Error {}

async function withStore<T>(fn: (store: Store) => T): Promise<T> {
  // With a mode chosen, the CLI opens that mode's data dir under the relay's rules (staff added to demo data are
  // demo staff); without one, the data dir as it is.
  const { env, mode } = loadEnv(process.env, null);
  const store = await Store.open(env.RINGBACK_DATA_DIR);
  try {
    if (mode) enterMode(store, mode, { host: null, force: env.RINGBACK_FORCE_SANDBOX === '1', now: new Date() });
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
    options: { name: { type: 'string' }, role: { type: 'string' }, phone: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [group, verb] = positionals;
  if (group === 'staff' && verb === 'add') {
    const input = staffAddSchema.safeParse({ name: values.name, role: values.role });
    if (!input.success) throw new UsageError(describeIssues(input.error).join('\n') + `\nroles: ${roleSchema.options.join(', ')}`);
    let phone: string | null = null;
    if (values.phone !== undefined) {
      const p = parsePhone(values.phone, loadBusinessConfig(process.env.RINGBACK_CONFIG).business.business.country);
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
    loadBusinessConfig(process.env.RINGBACK_CONFIG); // the file's problems first, whatever the mode
    const config = loadConfig();
    const locs = config.business.locations.map((l) => `${l.name} (${l.numbers.join(', ')})`).join('; ');
    out(`ok: ${config.business.business.name} from ${config.businessSource}; ${config.sandbox ? 'sandbox mode' : 'Plivo mode'}; locations: ${locs}`);
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
