import type { Call, Message, Metrics, ThreadSummary } from '../contract/model.js';
import { median, percentile } from './stats.js';

export interface MetricsInput {
  threads: readonly ThreadSummary[];
  calls: readonly Call[];
  messages: readonly Message[];
  from: Date;
  to: Date;
  now: Date;
  slaMinutes: number;
}

/** One line per figure, shown beside the KPI and kept next to the code that computes it. */
export const metricDefinitions: Record<keyof Omit<Metrics, 'from' | 'to'>, string> = {
  inbound: 'Calls that started in the range.',
  missed: 'Calls that started in the range and were not answered.',
  texted: 'Text-backs accepted by Plivo in the range (not blocked or still queued).',
  delivered: 'Text-backs sent in the range that the carrier reported delivered.',
  replied: 'Threads in which the caller texted us in the range.',
  claimed: 'Threads claimed by staff in the range.',
  booked: 'Threads resolved as booked in the range.',
  revenue: 'Sum of the values of threads resolved as booked in the range.',
  openUnclaimed: 'Open threads nobody has claimed, right now.',
  breachingSla: 'Open unclaimed threads whose last missed call is older than the claim SLA, right now.',
  medianTimeToTextSec: 'Median seconds from a missed call ending to its text-back being sent (missed calls in the range).',
  p90TimeToTextSec: '90th percentile of the same call-end-to-text-back seconds.',
  medianTimeToClaimSec: 'Median seconds from the last missed call to the claim, for threads claimed in the range.',
};

const ms = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : NaN);
const sec = (a: number, b: number): number => (b - a) / 1000;
/** When the call counted as missed; older records without missedAt fall back to when it started. */
const missedTime = (c: Call): number => ms(c.missedAt ?? c.startedAt);

/** First text-back in the call's thread sent at or after the miss, and before the thread's next missed call
 *  (a later text-back belongs to that later call, e.g. after this one was skipped as a duplicate or landline). */
function timeToTextSec(call: Call, textBacks: readonly Message[], missedInThread: readonly number[]): number | null {
  const missedAt = missedTime(call);
  if (!Number.isFinite(missedAt)) return null;
  const nextMiss = missedInThread.find((t) => t > missedAt) ?? Infinity;
  let first: number | null = null;
  for (const m of textBacks) {
    const sent = ms(m.sentAt);
    if (sent >= missedAt && sent < nextMiss && (first === null || sent < first)) first = sent;
  }
  if (first === null) return null;
  const ended = ms(call.endedAt);
  return Math.max(0, sec(Number.isFinite(ended) ? ended : missedAt, first));
}

/** KPIs for [from, to); the two "right now" figures use `now` instead of the range. */
export function computeMetrics(input: MetricsInput): Metrics {
  const { threads, calls, messages, now, slaMinutes } = input;
  const lo = input.from.getTime();
  const hi = input.to.getTime();
  const inRange = (iso: string | null | undefined) => {
    const t = ms(iso);
    return t >= lo && t < hi; // NaN (missing or bad time) is never in range
  };

  const inboundCalls = calls.filter((c) => inRange(c.startedAt));
  const missedCalls = inboundCalls.filter((c) => c.outcome === 'missed');
  const textBacks = messages.filter((m) => m.kind === 'text-back' && m.direction === 'out');
  const textedInRange = textBacks.filter((m) => inRange(m.sentAt) && m.status !== 'blocked' && m.status !== 'queued');
  const booked = threads.filter((t) => t.resolution?.outcome === 'booked' && inRange(t.resolution.at));
  const claimedInRange = threads.filter((t) => inRange(t.claim?.at));
  const openUnclaimed = threads.filter((t) => t.status === 'open' && t.claim === null);
  const slaCutoff = now.getTime() - slaMinutes * 60_000;

  const textBacksByThread = groupBy(textBacks, (m) => m.threadId);
  const missesByThread = new Map<string, number[]>();
  for (const c of calls) {
    const t = missedTime(c);
    if (c.outcome === 'missed' && c.threadId !== null && Number.isFinite(t)) push(missesByThread, c.threadId, t);
  }
  for (const list of missesByThread.values()) list.sort((a, b) => a - b);

  const timesToText = missedCalls.flatMap((c) => {
    if (c.threadId === null) return [];
    const s = timeToTextSec(c, textBacksByThread.get(c.threadId) ?? [], missesByThread.get(c.threadId) ?? []);
    return s === null ? [] : [s];
  });
  // A claim taken before a later miss belongs to an earlier miss; leave it out rather than count it as negative.
  const timesToClaim = claimedInRange.flatMap((t) => {
    const s = sec(ms(t.lastMissedAt ?? t.openedAt), ms(t.claim?.at));
    return Number.isFinite(s) && s >= 0 ? [s] : [];
  });

  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    inbound: inboundCalls.length,
    missed: missedCalls.length,
    texted: textedInRange.length,
    delivered: textedInRange.filter((m) => m.status === 'delivered').length,
    replied: new Set(messages.filter((m) => m.kind === 'inbound' && inRange(m.at)).map((m) => m.threadId)).size,
    claimed: claimedInRange.length,
    booked: booked.length,
    revenue: booked.reduce((sum, t) => sum + (t.resolution?.value ?? 0), 0),
    openUnclaimed: openUnclaimed.length,
    breachingSla: openUnclaimed.filter((t) => ms(t.lastMissedAt ?? t.openedAt) < slaCutoff).length,
    medianTimeToTextSec: median(timesToText),
    p90TimeToTextSec: percentile(timesToText, 90),
    medianTimeToClaimSec: median(timesToClaim),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) push(map, key(item), item);
  return map;
}
