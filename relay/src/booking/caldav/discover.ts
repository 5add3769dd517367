import { CalendarUnavailableError } from '../calendar-port.js';
import { caldavFetch, serverName, unreachable } from './caldav-fetch.js';

export interface FoundCalendar {
  /** What the calendar app calls it. */
  name: string;
  /** The collection URL to put in `booking.calendar.url`. */
  url: string;
  /** Holds events (some servers keep task lists as calendars too). */
  events: boolean;
}

type Prop = Record<string, unknown> | undefined;
const hrefOf = (p: unknown): string | null => {
  const href = (p as { href?: unknown } | undefined)?.href;
  const first = Array.isArray(href) ? href[0] : href;
  return typeof first === 'string' && first ? first : null;
};
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof (v as { _cdata?: unknown })?._cdata === 'string' ? (v as { _cdata: string })._cdata : '');

/**
 * The calendars an account can see, from a server's address (https://caldav.icloud.com/,
 * https://cloud.example.com/remote.php/dav/): the user's principal, its calendar home, and the calendar
 * collections in it. For `ringback calendars`, so nobody has to dig a collection URL out of a client.
 */
export async function findCalendars(opts: {
  url: string;
  username: string;
  passwordEnv: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}): Promise<FoundCalendar[]> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const fetch = caldavFetch({ calendarUrl: opts.url, username: opts.username, passwordEnv: opts.passwordEnv, env: opts.env ?? process.env, timeoutMs, sameSite: true });
  const server = serverName(opts.url);
  const ask = async (url: string, props: Record<string, object>, depth: '0' | '1') => {
    try {
      return await (await import('tsdav')).propfind({ url, props, depth, fetch });
    } catch (err) {
      throw unreachable(err, server, timeoutMs);
    }
  };
  const first = async (url: string, prop: string): Promise<string | null> => {
    for (const r of await ask(url, { [prop]: {} }, '0')) {
      const key = prop.replace(/^\w+:/, '').replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
      const href = hrefOf((r.props as Prop)?.[key]);
      if (href) return new URL(href, url).href;
    }
    return null;
  };

  // The address given first; then the well-known one (RFC 6764) a server may answer instead.
  let principal: string | null = null;
  let failed: unknown = null;
  for (const url of [opts.url, new URL('/.well-known/caldav', opts.url).href]) {
    try {
      principal = await first(url, 'd:current-user-principal');
    } catch (err) {
      failed ??= err;
    }
    if (principal) break;
  }
  if (!principal && failed) throw failed;
  if (!principal) throw new CalendarUnavailableError(`${server} did not say where ${opts.username}'s calendars are: try the server's CalDAV address (for Nextcloud …/remote.php/dav/)`);
  const home = await first(principal, 'c:calendar-home-set');
  if (!home) throw new CalendarUnavailableError(`${server} has no calendar home for ${opts.username}`);

  const found: FoundCalendar[] = [];
  for (const r of await ask(home, { 'd:displayname': {}, 'd:resourcetype': {}, 'c:supported-calendar-component-set': {} }, '1')) {
    const props = r.props as Prop;
    if (!r.href || !Object.keys((props?.resourcetype as object) ?? {}).includes('calendar')) continue;
    const comps = (props?.supportedCalendarComponentSet as { comp?: unknown } | undefined)?.comp;
    const names = (Array.isArray(comps) ? comps : comps ? [comps] : []).map((c) => (c as { _attributes?: { name?: string } })?._attributes?.name);
    const url = new URL(r.href, home).href;
    found.push({ name: text(props?.displayname) || decodeURIComponent(url.split('/').filter(Boolean).at(-1) ?? url), url, events: names.length === 0 || names.includes('VEVENT') });
  }
  return found;
}
