/** Plivo's timestamp formats: MDRs use `YYYY-MM-DD HH:MM:SS.ffffff+00:00`, voice webhooks `YYYY-MM-DD HH:MM:SS`. */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function ymdhms(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Message detail record time, microsecond precision, UTC offset (as the Message API returns it). */
export function mdrTime(d: Date): string {
  return `${ymdhms(d)}.${pad(d.getUTCMilliseconds(), 3)}000+00:00`;
}

/** Status-callback time fields (QueuedTime, SentTime, ...): UTC without offset. */
export function callbackTime(d: Date): string {
  return `${ymdhms(d)}.${pad(d.getUTCMilliseconds(), 3)}000`;
}

/** Voice webhook times (StartTime, EndTime, ...). */
export function voiceTime(d: Date): string {
  return ymdhms(d);
}

/**
 * Reads a Message API time filter: `YYYY-MM-DD HH:MM[:SS[.ffffff]]` in UTC (Plivo's documented form) or ISO-8601.
 * Returns epoch milliseconds, or null when unreadable.
 */
export function parseFilterTime(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', frac = '0', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  if (zone && zone !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (Number(zm[2]) * 60 + Number(zm[3])) * 60_000;
    t -= zm[1] === '+' ? offset : -offset;
  }
  return Number.isFinite(t) ? t : null;
}
