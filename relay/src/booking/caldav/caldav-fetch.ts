import { CalendarUnavailableError } from '../calendar-port.js';

export interface CaldavAccess {
  /** The calendar collection's URL; requests go to its origin only. */
  calendarUrl: string;
  username: string;
  /** The environment variable the password is read from (named in errors, never its value). */
  passwordEnv: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /**
   * Discovery only: also follow the server to other hosts of the same site (caldav.icloud.com sends a
   * client on to p42-caldav.icloud.com). Bookings always stay on the calendar's own origin.
   */
  sameSite?: boolean;
}

/** "icloud.com" for p42-caldav.icloud.com, "example.co.uk" for dav.example.co.uk, an address as it is. */
export function siteOf(hostname: string): string {
  if (/^[\d.]+$/.test(hostname) || hostname.includes(':') || !hostname.includes('.')) return hostname;
  const labels = hostname.split('.');
  const n = labels.length >= 3 && labels.at(-1)!.length === 2 && labels.at(-2)!.length <= 3 ? 3 : 2;
  return labels.slice(-n).join('.');
}

/** "caldav.example.com" — the server as an operator knows it, without any credentials in the URL. */
export const serverName = (url: string) => new URL(url).host;

/**
 * `fetch` for tsdav that adds Basic credentials, bounds every request (body included) by a timeout, and
 * turns every answer meaning "this calendar cannot be used now" into a CalendarUnavailableError an
 * operator can act on. Answers the caller decides on (404, 409, 412) pass through.
 */
export function caldavFetch(access: CaldavAccess): typeof fetch {
  const start = new URL(access.calendarUrl);
  const server = serverName(access.calendarUrl);
  const allowed = (url: URL) =>
    url.origin === start.origin || (!!access.sameSite && url.protocol === start.protocol && siteOf(url.hostname) === siteOf(start.hostname));
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    // An href from a server's answer is followed only on the calendar's own server: credentials stay there.
    if (!allowed(url)) throw new CalendarUnavailableError(`CalDAV server pointed at ${url.host}, not ${server}: check the calendar URL`);
    const password = access.env[access.passwordEnv];
    if (!password) throw new CalendarUnavailableError(`${access.passwordEnv} is not set: put the CalDAV password (or app password) for ${access.username} in it`);
    const headers = new Headers(init?.headers);
    headers.set('authorization', 'Basic ' + Buffer.from(`${access.username}:${password}`).toString('base64'));
    const method = (init?.method ?? 'GET').toUpperCase();
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(access.timeoutMs) });
    } catch (err) {
      throw unreachable(err, server, access.timeoutMs);
    }
    const status = res.status;
    if (status === 401) throw new CalendarUnavailableError(`CalDAV server said 401: check the username (${access.username}) and ${access.passwordEnv}`);
    if (status === 403) throw new CalendarUnavailableError(`CalDAV server said 403 to ${method}: ${access.username} may not use this calendar; check the calendar URL and its sharing (read and write access)`);
    if (status >= 500) throw new CalendarUnavailableError(`CalDAV server ${server} said ${status} ${res.statusText}: the calendar server has a problem; bookings go to staff until it recovers`);
    // A read that does not answer with events (a wrong calendar URL answers 404) must not look like a free day.
    if ((method === 'REPORT' || method === 'PROPFIND') && status !== 207 && status >= 300) {
      throw new CalendarUnavailableError(`CalDAV server said ${status} to reading the calendar: check the calendar URL (${access.calendarUrl.replace(/\/\/[^@/]*@/, '//')})`);
    }
    return res;
  };
}

/** A network failure or timeout, in an operator's words. */
export function unreachable(err: unknown, server: string, timeoutMs: number): CalendarUnavailableError {
  if (err instanceof CalendarUnavailableError) return err;
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new CalendarUnavailableError(`CalDAV server ${server} did not answer within ${timeoutMs / 1000} s: check that it is up and the calendar URL`);
  }
  const code = e?.cause?.code ? ` (${e.cause.code})` : '';
  return new CalendarUnavailableError(`could not reach the CalDAV server ${server}${code}: check the calendar URL and the network`);
}
