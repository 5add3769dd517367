import type { BusinessConfig } from '@ringback/shared';
import { caldavCalendar } from './caldav-calendar.js';
import { serverName } from './caldav-fetch.js';

const WEEK = 7 * 86_400_000;

const loopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\./.test(host);

/** `config check` (offline): CalDAV settings that are valid but will not work, or not safely. */
export function calendarWarnings(business: BusinessConfig, env: Record<string, string | undefined> = process.env): string[] {
  const out: string[] = [];
  business.locations.forEach((loc, i) => {
    const cal = loc.booking?.calendar;
    if (cal?.type !== 'caldav') return;
    const url = new URL(cal.url);
    if (url.protocol === 'http:' && !loopback(url.hostname)) {
      out.push(`locations.${i}.booking.calendar.url: plain http to ${url.host}: the CalDAV password would cross the network unencrypted; use https`);
    }
    if (url.username || url.password) out.push(`locations.${i}.booking.calendar.url: holds credentials; put the user in "username" and the password in ${cal.passwordEnv}`);
    if (!env[cal.passwordEnv]) out.push(`locations.${i}.booking.calendar: ${cal.passwordEnv} is not set, so the calendar cannot be read and the assistant hands every booking to staff`);
  });
  return out;
}

/**
 * `config check --online`: each location's CalDAV calendar answers a week's busy-time read with its
 * credentials. Reads only: write access shows at the first booking. No lines when no location uses CalDAV.
 */
export async function checkCalendars(
  business: BusinessConfig,
  env: Record<string, string | undefined> = process.env,
  timeoutMs = 10_000,
): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const loc of business.locations) {
    const cal = loc.booking?.calendar;
    if (cal?.type !== 'caldav') continue;
    const port = caldavCalendar(cal, { timeZone: loc.timezone, env, timeoutMs });
    const now = Date.now();
    try {
      const busy = await port.busy(now, now + WEEK);
      lines.push(`calendar (${loc.id}): ${serverName(cal.url)} answered as ${cal.username}; ${busy.length} busy stretch${busy.length === 1 ? '' : 'es'} in the next 7 days`);
    } catch (e) {
      ok = false;
      lines.push(`calendar (${loc.id}): ${(e as Error).message}`);
    }
  }
  return { ok, lines };
}
