import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderTemplate, smsSegments, withStopFooter, type BusinessConfig } from '@ringback/shared';
import { calendarWarnings, checkCalendars } from '../booking/caldav/check-calendars.js';
import { probeClassifier } from '../booking/classifier.js';
import { readDataReadOnly } from '../store/store.js';
import type { RelayConfig } from './load.js';

/** A first name of typical length, so a template's real length is judged, not its shortest. */
const SAMPLE_FIRST_NAME = 'Jennifer';

/**
 * Things a valid configuration may still get wrong. Warnings, not errors: each can be deliberate.
 * `staffNames` (active staff, read from the data dir) is null when there is no data yet.
 */
export function configWarnings(config: RelayConfig, staffNames: string[] | null): string[] {
  const b = config.business;
  const out: string[] = [];
  b.locations.forEach((loc, i) => {
    if (!/^[A-Za-z_]+\/[A-Za-z_]/.test(loc.timezone) || loc.timezone.startsWith('Etc/')) {
      out.push(
        `locations.${i}.timezone: "${loc.timezone}" is a fixed offset or an abbreviation, with no daylight saving: ` +
          `hours and quiet hours will be an hour off for part of the year; use the city's zone (e.g. America/Denver)`,
      );
    }
    for (const [name, text] of Object.entries(loc.templates)) out.push(...lengthWarning(`locations.${i}.templates.${name}`, text, b, loc.name));
  });
  b.experiments.forEach((e, i) =>
    e.variants.forEach((v, j) => v.text !== undefined && out.push(...lengthWarning(`experiments.${i}.variants.${j}.text`, v.text, b, b.locations[0]!.name))),
  );
  for (const [word, answer] of Object.entries(b.keywords)) out.push(...lengthWarning(`keywords.${word}`, answer, b, null));
  if (b.sla.reassignTo) {
    if (staffNames === null) out.push(`sla.reassignTo: no data in ${config.env.RINGBACK_DATA_DIR} yet, so "${b.sla.reassignTo}" could not be checked`);
    else if (!staffNames.includes(b.sla.reassignTo)) {
      out.push(`sla.reassignTo: no active staff member is called "${b.sla.reassignTo}"; escalated threads will not be reassigned (staff: ${staffNames.join(', ') || 'none'})`);
    }
  }
  out.push(...calendarWarnings(b));
  if (config.businessSource === 'built-in demo' && !config.sandbox) {
    out.push('Plivo credentials are set but no business configuration was found (RINGBACK_CONFIG or ./ringback.config.json): real callers would get the demo business "Bright Smile Dental"');
  }
  return out;
}

function lengthWarning(where: string, template: string, b: BusinessConfig, location: string | null): string[] {
  const text = withStopFooter(
    renderTemplate(template, { firstName: SAMPLE_FIRST_NAME, business: b.business.name, bookingUrl: b.business.bookingUrl, location }),
  );
  const { encoding, units, segments } = smsSegments(text);
  if (segments <= 1) return [];
  const limit = encoding === 'GSM-7' ? 160 : 70;
  const why = encoding === 'UCS-2' ? ' (a character outside GSM-7, such as an emoji or curly quote, halves the room)' : '';
  return [`${where}: ${units} ${encoding} characters with the variables filled in and the STOP line = ${segments} SMS segments, each billed; one segment holds ${limit}${why}`];
}

/** Active staff names from the data dir, read without taking the relay's lock; null when there is no data yet. */
export async function activeStaffNames(dir: string): Promise<string[] | null> {
  try {
    const data = await readDataReadOnly(dir);
    return data.staff.filter((s) => !s.revokedAt).map((s) => s.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** `config check --online`: the Plivo credentials work, the data dir takes a write, CalDAV calendars and
 * the reply classifier answer. One line per finding. */
export async function checkOnline(config: RelayConfig, timeoutMs = 10_000): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  if (config.sandbox) {
    lines.push('plivo: sandbox mode, no credentials to check');
  } else {
    const { Client } = await import('plivo');
    const client = new Client(config.plivo.authId, config.plivo.authToken, {
      url: `${config.plivo.apiUrl}/v1/Account/${config.plivo.authId}`,
      timeout: timeoutMs,
    } as never);
    try {
      const account = (await client.accounts.get()) as unknown as { name?: string; cashCredits?: string };
      lines.push(`plivo: credentials accepted (account "${account.name ?? config.plivo.authId}"${account.cashCredits ? `, credit ${account.cashCredits}` : ''})`);
    } catch (e) {
      ok = false;
      const status = (e as { status?: number }).status;
      lines.push(`plivo: ${status === 401 ? 'PLIVO_AUTH_ID or PLIVO_AUTH_TOKEN is wrong (401)' : `could not reach Plivo at ${config.plivo.apiUrl}: ${(e as Error).message}`}`);
    }
  }
  const dir = config.env.RINGBACK_DATA_DIR;
  const probe = path.join(dir, `.write-probe-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'probe', { flag: 'wx' });
    await rm(probe);
    lines.push(`data dir: ${dir} is writable`);
  } catch (e) {
    ok = false;
    lines.push(`data dir: cannot write to ${dir}: ${(e as Error).message}`);
  }
  const calendars = await checkCalendars(config.business, process.env, timeoutMs);
  lines.push(...calendars.lines);
  ok &&= calendars.ok;
  const classifier = config.business.booking?.classifier;
  if (classifier) {
    const probe = await probeClassifier(classifier);
    lines.push(probe.line);
    ok &&= probe.ok;
  }
  return { ok, lines };
}
