import { hourOfDay, type Facts, type StaffingReply } from '@ringback/shared';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Adds the kept days of [from, to) to a staffing grid: each day's missed and answered calls by local hour (its
 * kept facts: the whole day, or the kept hours of a day the range cuts), on the local weekday that hour fell on
 * in that UTC day. Exact in whole-hour time zones; in a zone 30 or 45 minutes off the hour, a local hour split
 * across two dates counts on the first.
 */
export function addKeptDays(
  cells: StaffingReply['cells'],
  from: number,
  to: number,
  timezone: string,
  facts: { day(day: number): Facts; hours(from: number, to: number): Facts },
): void {
  const hourOf = hourOfDay(timezone);
  for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
    const [a, b] = [Math.max(from, day), Math.min(to, day + DAY)];
    const f = a === day && b === day + DAY ? facts.day(day) : facts.hours(a, b);
    const weekdayOf = new Array<number | undefined>(24);
    for (let u = 23; u >= 0; u--) {
      const local = hourOf(day + u * HOUR);
      weekdayOf[local.hour] = local.weekday;
    }
    for (let h = 0; h < 24; h++) {
      const [missed, answered] = [f.missedByHour[h]!, f.answeredByHour[h]!];
      const weekday = weekdayOf[h];
      if ((missed === 0 && answered === 0) || weekday === undefined) continue;
      const cell = cells[weekday * 24 + h]!;
      cell.missed += missed;
      cell.answered += answered;
    }
  }
}
