import type { DayHours } from './facts-file.js';
import type { History } from './history.js';
import type { FactKey, Queries } from './queries.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A closed day's facts by UTC hour, for every place; the day's facts are their merge. */
export function countHours(queries: Queries, source: History, day: number, keys: readonly FactKey[]): DayHours {
  const hours: DayHours = [];
  for (let h = day; h < day + DAY; h += HOUR) hours.push(new Map(keys.map((k) => [k.key, queries.count(source, h, h + HOUR, k.locationId, k.timezone)])));
  return hours;
}
