/**
 * The ranges that figures, the staffing grid, exports and the monthly review accept. Anything wider is
 * refused before any work, so no request can make the relay walk centuries of empty days.
 */
export const FIGURE_RANGE = {
  /** Nothing the relay records is older than this. */
  earliest: Date.UTC(2000, 0, 1),
  /** How far past now a range may reach: a year and a day, for planning views. */
  aheadDays: 366,
  /** The longest range, about three years. */
  maxDays: 1100,
} as const;

const DAY = 86_400_000;

export interface RangeProblem {
  code: 'invalid' | 'out-of-range' | 'range-too-large';
  message: string;
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Why [from, to) is not an acceptable range at `now`, or null. */
export function rangeProblem(from: Date, to: Date, now: Date): RangeProblem | null {
  const latest = now.getTime() + FIGURE_RANGE.aheadDays * DAY;
  for (const [name, at] of [['from', from], ['to', to]] as const) {
    const t = at.getTime();
    if (!(t >= FIGURE_RANGE.earliest && t <= latest)) {
      return { code: 'out-of-range', message: `"${name}" must be between ${day(FIGURE_RANGE.earliest)} and ${day(latest)} (a year ahead)` };
    }
  }
  if (to.getTime() <= from.getTime()) return { code: 'invalid', message: '"to" must be after "from"' };
  const days = (to.getTime() - from.getTime()) / DAY;
  if (days > FIGURE_RANGE.maxDays) {
    return { code: 'range-too-large', message: `a range may span at most ${FIGURE_RANGE.maxDays} days; this one spans ${Math.ceil(days)}` };
  }
  return null;
}

/** Why `month` (already `YYYY-MM`) is outside the months figures cover at `now`, or null. */
export function monthProblem(month: string, now: Date): RangeProblem | null {
  const first = day(FIGURE_RANGE.earliest).slice(0, 7);
  const last = day(now.getTime() + FIGURE_RANGE.aheadDays * DAY).slice(0, 7);
  if (month < first || month > last) return { code: 'out-of-range', message: `month must be between ${first} and ${last}` };
  return null;
}
