const dayStart = new Map<string, number>();

/** The decimal number in iso[from, from+len), or NaN. */
function digits(iso: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const d = iso.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Milliseconds of an ISO-8601 UTC timestamp as the relay writes them ("2026-11-23T13:21:25.576Z"),
 * without Date.parse: KPIs over a year read a million of them, and the arithmetic is several times
 * faster. Anything else falls back to Date.parse.
 */
export function isoMs(iso: string | null | undefined): number {
  if (!iso) return NaN;
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */) return Date.parse(iso);
  // The date part is looked up: a year of timestamps has only 365 of them.
  const day = iso.slice(0, 10);
  let base = dayStart.get(day);
  if (base === undefined) {
    base = Date.UTC(digits(iso, 0, 4), digits(iso, 5, 2) - 1, digits(iso, 8, 2));
    if (dayStart.size > 10_000) dayStart.clear();
    dayStart.set(day, base);
  }
  return base + digits(iso, 11, 2) * 3_600_000 + digits(iso, 14, 2) * 60_000 + digits(iso, 17, 2) * 1000 + digits(iso, 20, 3);
}
