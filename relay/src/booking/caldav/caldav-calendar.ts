import type { CalendarConfig } from '@ringback/shared';
import { CalendarUnavailableError, SlotTakenError, type BusyInterval, type CalendarPort } from '../calendar-port.js';
import { bookingEventIcs } from './booking-event.js';
import { busyFromIcs } from './busy-from-ics.js';
import { caldavFetch, serverName, unreachable } from './caldav-fetch.js';

/** tsdav (~9 MB) loads with a location's first calendar read, not at start (most practices use the built-in one). */
const tsdav = () => import('tsdav');

export type CaldavConfig = Extract<CalendarConfig, { type: 'caldav' }>;

export interface CaldavOptions {
  /** The location's zone: all-day and floating events are its local days and clock. */
  timeZone: string;
  /** Minutes kept free after each appointment: the re-check before writing keeps them too. */
  bufferMinutes?: number;
  /** Every request is bounded by this (default 5 s). */
  timeoutMs?: number;
  /** Where the password's variable is read (process.env). */
  env?: Record<string, string | undefined>;
  log?: { warn(obj: object, msg: string): void };
}

const HOUR = 3_600_000;
/** Servers match all-day and floating events against a time-range in UTC; read wider and clip locally. */
const ZONE_SLACK = 14 * HOUR;
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/** One booking write at a time per calendar in this process: two callers racing see each other's event. */
const writing = new Map<string, Promise<unknown>>();
function serially<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (writing.get(key) ?? Promise.resolve()).then(task, task);
  const settled = run.catch(() => {});
  writing.set(key, settled);
  void settled.then(() => writing.get(key) === settled && writing.delete(key));
  return run;
}

/**
 * A location's CalDAV calendar (Radicale, Nextcloud, Fastmail, iCloud…) as its CalendarPort. Busy time
 * comes from a calendar-query of the events (not free-busy-query, which few servers answer right); a
 * booking is a new event written create-only after re-reading the slot.
 */
export function caldavCalendar(config: CaldavConfig, opts: CaldavOptions): CalendarPort {
  const calendarUrl = config.url.endsWith('/') ? config.url : config.url + '/';
  const timeoutMs = opts.timeoutMs ?? 5000;
  const server = serverName(calendarUrl);
  const fetch = caldavFetch({ calendarUrl, username: config.username, passwordEnv: config.passwordEnv, env: opts.env ?? process.env, timeoutMs });
  const calendar = { url: calendarUrl };
  const buffer = (opts.bufferMinutes ?? 0) * 60_000;

  /** Errors from tsdav or a body cut off by the timeout, as CalendarUnavailableError. */
  const guarded = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } catch (err) {
      if (err instanceof SlotTakenError || err instanceof CalendarUnavailableError) throw err;
      const e = err as { name?: string; message?: string };
      if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.name === 'TypeError') throw unreachable(err, server, timeoutMs);
      throw new CalendarUnavailableError(`CalDAV server ${server} gave an answer the relay could not use: ${String(e?.message ?? err).slice(0, 200)}`);
    }
  };

  /** Busy time in [from, to), leaving out the object at `except` (a booking checking itself). */
  async function busy(from: number, to: number, except?: string): Promise<BusyInterval[]> {
    if (!(to > from)) return [];
    return guarded(async () => {
      const answers = await (await tsdav()).calendarQuery({
        url: calendarUrl,
        props: { 'd:getetag': {}, 'c:calendar-data': {} },
        filters: {
          'comp-filter': {
            _attributes: { name: 'VCALENDAR' },
            'comp-filter': {
              _attributes: { name: 'VEVENT' },
              'time-range': { _attributes: { start: stamp(from - ZONE_SLACK), end: stamp(to + ZONE_SLACK) } },
            },
          },
        },
        depth: '1',
        fetch,
      });
      const texts: string[] = [];
      for (const a of answers) {
        if (except && a.href && new URL(a.href, calendarUrl).pathname === new URL(except).pathname) continue;
        const data = a.props?.calendarData;
        const text = typeof data === 'string' ? data : data?._cdata ?? data?._text;
        if (typeof text === 'string') texts.push(text);
      }
      const { intervals, unreadable } = busyFromIcs(texts, from, to, opts.timeZone);
      if (unreadable > 0) opts.log?.warn({ server, unreadable }, 'caldav: some calendar objects could not be read; their time is not counted as busy');
      return intervals;
    });
  }

  return {
    busy,

    book(event) {
      const { booking } = event;
      const start = Date.parse(booking.start);
      const end = Date.parse(booking.end);
      return serially(calendarUrl, () =>
        guarded(async () => {
          const clash = await busy(start - buffer, end + buffer);
          if (clash.length > 0) throw new SlotTakenError(`${booking.start} is no longer free in the calendar`);
          const res = await (await tsdav()).createCalendarObject({
            calendar,
            filename: `${encodeURIComponent(booking.id)}.ics`,
            iCalString: bookingEventIcs(event),
            fetch,
          });
          await res.arrayBuffer().catch(() => {});
          if (res.status === 412) throw new SlotTakenError(`the calendar already holds booking ${booking.id}`);
          if (!res.ok) throw new CalendarUnavailableError(`CalDAV server ${server} refused the booking with ${res.status} ${res.statusText}: check the calendar URL and write access`);
          const href = new URL(`${encodeURIComponent(booking.id)}.ics`, calendarUrl).href;
          const where = { type: 'caldav' as const, href, etag: res.headers.get('etag') };
          // Someone else's calendar app (or another relay) may have written into the slot since the re-check:
          // look again, and step back if so. Two writers stepping back both is safe; two bookings are not.
          if ((await busy(start - buffer, end + buffer, href)).length > 0) {
            await remove(where);
            throw new SlotTakenError(`another event was written at ${booking.start} while booking`);
          }
          return where;
        }),
      );
    },

    async cancel(where) {
      if (where.type !== 'caldav') return;
      await guarded(() => remove(where));
    },
  };

  async function remove(where: { href: string; etag: string | null }): Promise<void> {
    const url = new URL(where.href, calendarUrl).href;
    let res = await (await tsdav()).deleteObject({ url, etag: where.etag ?? undefined, fetch });
    await res.arrayBuffer().catch(() => {});
    if (res.status === 412) {
      // Edited since it was written (staff moved it in their calendar app): delete what is there now.
      const current = await fetch(url, { method: 'HEAD' });
      if (current.status === 404) return;
      res = await (await tsdav()).deleteObject({ url, etag: current.headers.get('etag') ?? undefined, fetch });
      await res.arrayBuffer().catch(() => {});
    }
    if (res.ok || res.status === 404) return;
    throw new CalendarUnavailableError(`CalDAV server ${server} refused to delete the booking's event with ${res.status} ${res.statusText}`);
  }
}
