import { localTime, monthProblem, monthQuerySchema, rangeProblem, rangeQuerySchema } from '@ringback/shared';
import type { Queries } from '../threads/queries.js';
import { hotFrom } from '../store/archive.js';
import { DomainError } from '../threads/errors.js';

/**
 * `?from=&to=&location=` of a figures, staffing or export request: parsed, defaults filled, then held to
 * the range rules (shared/src/domain/figure-range.ts). Every such route goes through here.
 */
export function figureRange(query: unknown, queries: Queries, kind: 'figures' | 'staffing', now: Date): { from: Date; to: Date; location?: string } {
  const q = rangeQuerySchema.parse(query);
  const range = queries.range(kind, q.from ? new Date(q.from) : undefined, q.to ? new Date(q.to) : undefined, q.location);
  const problem = rangeProblem(range.from, range.to, now);
  if (problem) throw new DomainError(400, problem.code, problem.message);
  if (kind === 'figures') refuseWhileRecounting(queries, range.from, now);
  return { ...range, location: q.location };
}

/** `?month=YYYY-MM&location=` of the monthly review (default: this month where the location is), held to the same bounds. */
export function reviewMonth(query: unknown, queries: Queries, now: Date): { month: string; location?: string } {
  const q = monthQuerySchema.parse(query);
  const timezone = queries.timezone(q.location); // an unknown location is refused before anything is audited
  const month = q.month ?? localTime(now, timezone).date.slice(0, 7);
  const problem = monthProblem(month, now);
  if (problem) throw new DomainError(400, problem.code, problem.message);
  // The review compares with the month before: that one is asked for too.
  const [y, m] = month.split('-').map(Number) as [number, number];
  refuseWhileRecounting(queries, new Date(Date.UTC(y, m - 2, 1)), now);
  return { month, ...(q.location === undefined ? {} : { location: q.location }) };
}

/** After an upgrade the closed days are counted again in the background: figures reaching before the hot window wait. */
function refuseWhileRecounting(queries: Queries, from: Date, now: Date): void {
  const hot = hotFrom(now);
  if (!queries.cold?.recounting || from.getTime() >= hot) return;
  throw new DomainError(503, 'counting', `Figures before ${new Date(hot).toISOString().slice(0, 10)} are being counted again after an upgrade; ask again in a minute or two.`);
}
