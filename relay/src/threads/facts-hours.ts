import type { DayHours } from './facts-file.js';
import type { History } from './history.js';
import type { FactKey, Queries } from './queries.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A closed day's facts by UTC hour, for every place; the day's facts are their merge. */
export function countHours(queries: Queries, source: History, day: number, keys: readonly FactKey[]): DayHours {
  const hours: DayHours = Array.from({ length: 24 }, () => new Map());
  for (const k of keys) {
    // Each hour reads its own records plus the day's earlier claims and bookings of its threads: as cheap as the day.
    const whole = source.slice(day, day + DAY, k.locationId);
    for (let h = 0; h < 24; h++) hours[h]!.set(k.key, queries.count(source, day + h * HOUR, day + (h + 1) * HOUR, k.locationId, k.timezone, whole));
  }
  return hours;
}
