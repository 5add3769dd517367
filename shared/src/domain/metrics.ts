import type { BookedBy } from '../contract/booking.js';
import type { Call, Funnel, FunnelVariant, Message, Metrics, Outcome, ThreadSummary } from '../contract/model.js';
import { slaElapsed, type OpenHours } from './business-time.js';
import { localTime } from './hours.js';
import { isoMs } from './iso-time.js';
import { bookedFigures } from './booked-figures.js';
import { funnelCounts, medianAndP90OfTwo, otherSamples, repliedAndQualified, summarize, type FactsDigest, type FactsSummary } from './facts-summary.js';
export { digestSteps, type FactsDigest } from './facts-summary.js';
import { smsSegments } from './templates.js';

/** A claim as it happened (from the audit log: a thread may be claimed, released and claimed again). */
export interface ClaimEvent {
  threadId: string;
  at: string;
  staffId: string;
  staffName: string;
}

/** A resolution as it happened; reopening a thread later does not erase it. */
export interface ResolutionEvent {
  threadId: string;
  at: string;
  outcome: Outcome;
  value: number;
  staffId: string;
  staffName: string;
}

/**
 * A booking as it was made (the booking service's `booked` audit entry): by the assistant, the caller's own page or
 * staff. A `booked` resolution staff record by hand is a booking too, by staff (see bookingsOf in finalizeMetrics).
 */
export interface BookingEvent {
  threadId: string;
  bookingId: string;
  at: string;
  by: BookedBy;
  /** The service's value, recorded on the automatic `booked` resolution. */
  value: number;
}

export interface Economics {
  monthlyCost: number;
  averageValue: number;
  smsUnitCost: number;
  assumedBookingRate: number;
  minutesSavedPerText: number;
}

export interface MetricsInput {
  threads: readonly ThreadSummary[];
  calls: readonly Call[];
  messages: readonly Message[];
  claims: readonly ClaimEvent[];
  resolutions: readonly ResolutionEvent[];
  /** Bookings made (absent: none, e.g. a relay without the assistant). */
  bookings?: readonly BookingEvent[];
  /** Times numbers opted out (STOP, revocations, carrier opt-outs). */
  optOuts: readonly string[];
  from: Date;
  to: Date;
  now: Date;
  slaMinutes: number;
  /** The open hours of a location: the SLA counts them only, exactly as the escalations do (see slaElapsed). */
  openHours: (locationId: string) => OpenHours;
  /** Time zone for the by-hour figures. */
  timezone: string;
  locationId: string | null;
  economics: Economics;
  /** Missed calls by hour on the same weekday in earlier weeks, already averaged (see usualMissedByHour). */
  usualByHour?: { hour: number; missed: number }[] | null;
}

type Figure = Exclude<keyof Metrics, 'from' | 'to' | 'locationId' | 'rates' | 'roi' | 'byHour' | 'usualByHour' | 'staff'>;

/** One line per figure, shown beside the KPI and kept next to the code that computes it. */
export const metricDefinitions: Record<Figure | `rates.${string}` | `roi.${string}` | `funnel.${string}` | 'byHour' | 'usualByHour' | 'staff', string> = {
  inbound: 'Calls to the tracking numbers that started in the range.',
  answered: 'Of those, calls the front desk picked up.',
  missed: 'Of those, calls nobody picked up (including callers who hung up while it rang).',
  smsCapable: 'Missed calls from a number that can take a text (not a landline, withheld or invalid).',
  texted: 'Text-backs Plivo accepted in the range.',
  delivered: 'Of those, text-backs the carrier reported delivered.',
  failed: 'Of those, text-backs the carrier reported failed or undelivered.',
  replied: 'Threads in which the caller texted back in the range.',
  qualified: 'Threads with a two-way conversation in the range: the caller texted and staff answered.',
  funnel: 'Missed → texted → replied → qualified → booked over the range, bookings by the assistant, the caller or staff, and the time from the missed call to the booking.',
  'funnel.missed': 'Missed calls in the range (the same as Missed).',
  'funnel.texted': 'Text-backs sent in the range (the same as Texted).',
  'funnel.replied': 'Threads in which the caller texted back in the range, plus those qualified or booked without a text (the booking page, a call back).',
  'funnel.qualified': 'Threads the assistant qualified in the range (every question answered), two-way conversations with staff, and the threads booked.',
  'funnel.booked': 'Threads with a booking made in the range (by the assistant, the caller’s booking page or staff), each counted once.',
  'funnel.bookedBy': 'Those bookings by who made the first one: assistant, self (the booking page) or staff (a booked resolution with no booking record counts as staff).',
  'funnel.medianTimeToBookingSec': 'Median seconds from a missed call to the first booking after it.',
  'funnel.p90TimeToBookingSec': '90th percentile of the same seconds.',
  'funnel.byVariant': 'Per A/B variant: its text-backs sent in the range, the threads they reached booked in the range (by the variant of the last text-back before the booking), and the share.',
  staffReplies: 'Texts staff sent in the range.',
  claimed: 'Claims staff took in the range.',
  booked: 'Threads resolved as booked in the range (the latest resolution of each thread counts; a booking with no resolution counts too).',
  revenue: 'Sum of the values recorded on those bookings (by staff, or the service’s value when the assistant or the caller booked).',
  optOuts: 'Numbers that opted out in the range (STOP, a revocation in words, or the carrier).',
  slaBreaches: 'Missed calls claimed later than the claim SLA in the range, plus those still unclaimed past it (the SLA counts open hours only).',
  smsSegments: 'SMS segments sent in the range (what the carrier bills).',
  openUnclaimed: 'Open threads nobody has claimed, right now.',
  breachingSla: 'Open unclaimed threads past the claim SLA right now, counting only open hours since the last missed call (as escalations do).',
  medianTimeToTextSec: 'Median seconds from a missed call ending to its text-back being sent.',
  p90TimeToTextSec: '90th percentile of the same seconds.',
  medianTimeToClaimSec: 'Median seconds from a missed call to the first claim after it.',
  p90TimeToClaimSec: '90th percentile of the same seconds.',
  medianTimeToHumanReplySec: 'Median seconds from a missed call to the first text a person sent about it.',
  p90TimeToHumanReplySec: '90th percentile of the same seconds.',
  revenuePerMissedCall: 'Revenue recovered divided by missed calls.',
  costPerBooking: 'Ringback cost over the range (subscription share + SMS) divided by bookings.',
  'rates.missedCallRate': 'Missed calls ÷ inbound calls.',
  'rates.autoTextRate': 'Text-backs sent ÷ missed calls.',
  'rates.contactability': 'Missed calls that could take a text ÷ missed calls.',
  'rates.deliveryRate': 'Text-backs delivered ÷ text-backs sent.',
  'rates.replyRate': 'Threads with a reply ÷ text-backs sent.',
  'rates.qualifiedRate': 'Two-way conversations ÷ text-backs sent.',
  'rates.bookingPerDelivered': 'Bookings ÷ text-backs delivered.',
  'rates.bookingPerReply': 'Bookings ÷ threads with a reply.',
  'rates.optOutRate': 'Opt-outs ÷ text-backs sent.',
  'roi.subscriptionCost': 'Monthly cost × days in the range ÷ 30.',
  'roi.smsCost': 'SMS segments × the price of a segment.',
  'roi.cost': 'Subscription share + SMS cost.',
  'roi.revenue': 'Modest case: only the values recorded on bookings (by staff, or the service’s value for the assistant’s and the booking page’s).',
  'roi.estimatedRevenue': 'Estimate: replies × assumed booking rate × average appointment value.',
  'roi.net': 'Recorded revenue − cost.',
  'roi.multiple': 'Recorded revenue ÷ cost.',
  'roi.paybackDays': 'Days of recovered revenue (at this range’s daily rate) that pay for one month of Ringback.',
  'roi.adminMinutesSaved': 'Text-backs sent × minutes a manual callback would have taken.',
  byHour: 'Calls by hour of the day, in the location’s time zone.',
  usualByHour: 'Average missed calls per hour on the same weekday over the previous four weeks.',
  staff: 'Per person: claims taken, texts sent and bookings recorded in the range (the assistant’s and the booking page’s bookings are not a person’s).',
};

const ms = isoMs;
const sec = (a: number, b: number): number => (b - a) / 1000;
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
/** When the call counted as missed; older records without missedAt fall back to when it started. */
const missedTime = (c: Call): number => ms(c.missedAt ?? c.startedAt);
const NOT_TEXTABLE = new Set(['landline', 'anonymous', 'invalid-number']);

/**
 * The local hour of many instants, asking Intl once per UTC hour: a year of calls costs a few thousand
 * look-ups instead of one per call (time zones move in whole hours or half hours at hour boundaries
 * for every zone a front desk is in).
 */
export function hourOfDay(timezone: string): (at: number) => { hour: number; weekday: number } {
  const cache = new Map<number, { hour: number; weekday: number }>();
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  return (at) => {
    const key = Math.floor(at / 3_600_000);
    let hit = cache.get(key);
    if (!hit) {
      const t = localTime(new Date(key * 3_600_000 + 1_800_000), timezone);
      hit = { hour: Math.floor(t.minutes / 60), weekday: days.indexOf(t.weekday) };
      cache.set(key, hit);
    }
    return hit;
  };
}

/** The first time in `times` (sorted) at or after `from` and before `until`. */
function firstBetween(times: readonly number[], from: number, until: number): number | null {
  for (const t of times) if (t >= from && t < until) return t;
  return null;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * What happened in one window, in a form that adds up: KPIs for a long range are the merge of its
 * days' facts, so days already counted need not be read again.
 */
export interface Facts {
  inbound: number;
  answered: number;
  missed: number;
  smsCapable: number;
  texted: number;
  delivered: number;
  failed: number;
  staffReplies: number;
  claimed: number;
  optOuts: number;
  lateClaims: number;
  segments: number;
  repliedThreads: Set<string>;
  answeredThreads: Set<string>;
  timesToText: number[];
  timesToClaim: number[];
  timesToHumanReply: number[];
  missedByHour: number[];
  answeredByHour: number[];
  staff: Map<string, { name: string; claimed: number; replied: number }>;
  /** The latest resolution of each thread in the window. */
  resolutions: Map<string, ResolutionEvent>;
  /** Threads the assistant qualified in the window (all its questions answered). */
  assistantQualified: Set<string>;
  /** The first booking made in each thread in the window (the booking service's record of it). */
  bookings: Map<string, BookingEvent>;
  /** The first `booked` resolution of each thread in the window: a booking by staff unless the thread has a booking above. */
  bookedResolutions: Map<string, ResolutionEvent>;
  /** Seconds from a missed call to the first booking after it. */
  timesToBooking: number[];
  /** Text-backs sent per A/B variant ("experiment/variant"). */
  variantTexted: Map<string, number>;
  /** "experiment/variant\nthreadId" of each thread booked, by the variant of its last text-back before the booking. */
  variantBooked: Set<string>;
}

export type FactsInput = Pick<MetricsInput, 'threads' | 'calls' | 'messages' | 'claims' | 'resolutions' | 'bookings' | 'optOuts' | 'from' | 'to' | 'slaMinutes' | 'openHours' | 'timezone'>;

/** The one SLA definition (slaElapsed), read for a thread at its location's open hours. */
function pastSla(input: Pick<MetricsInput, 'slaMinutes' | 'openHours'>, locationId: string, since: number, at: number): boolean {
  const place = input.openHours(locationId);
  return slaElapsed(place.hours, place.timezone, new Date(since), new Date(at), input.slaMinutes);
}

const COUNTS = ['inbound', 'answered', 'missed', 'smsCapable', 'texted', 'delivered', 'failed', 'staffReplies', 'claimed', 'optOuts', 'lateClaims', 'segments'] as const;

export function emptyFacts(): Facts {
  return {
    inbound: 0,
    answered: 0,
    missed: 0,
    smsCapable: 0,
    texted: 0,
    delivered: 0,
    failed: 0,
    staffReplies: 0,
    claimed: 0,
    optOuts: 0,
    lateClaims: 0,
    segments: 0,
    repliedThreads: new Set(),
    answeredThreads: new Set(),
    timesToText: [],
    timesToClaim: [],
    timesToHumanReply: [],
    missedByHour: new Array<number>(24).fill(0),
    answeredByHour: new Array<number>(24).fill(0),
    staff: new Map(),
    resolutions: new Map(),
    assistantQualified: new Set(),
    bookings: new Map(),
    bookedResolutions: new Map(),
    timesToBooking: [],
    variantTexted: new Map(),
    variantBooked: new Set(),
  };
}

/** Everything attributed to [from, to): each event counts in the window its own time falls in. */
export function computeFacts(input: FactsInput): Facts {
  const f = emptyFacts();
  const lo = input.from.getTime();
  const hi = input.to.getTime();
  const inRange = (t: number) => t >= lo && t < hi; // NaN is never in range
  const threadsById = new Map(input.threads.map((t) => [t.id, t]));

  // Per thread: missed-call times, text-back send times, staff reply times, all sorted.
  const misses = new Map<string, number[]>();
  const textBackTimes = new Map<string, number[]>();
  const replyTimes = new Map<string, number[]>();
  for (const c of input.calls) if (c.outcome === 'missed' && c.threadId) push(misses, c.threadId, missedTime(c));
  for (const m of input.messages) {
    if (m.kind === 'text-back' && m.sentAt) push(textBackTimes, m.threadId, ms(m.sentAt));
    if (m.kind === 'reply' && m.status !== 'blocked') push(replyTimes, m.threadId, ms(m.at));
  }
  for (const map of [misses, textBackTimes, replyTimes]) for (const list of map.values()) list.sort((a, b) => a - b);
  const nextMiss = (threadId: string, after: number) => misses.get(threadId)?.find((t) => t > after) ?? Infinity;

  const hourOf = hourOfDay(input.timezone);
  for (const c of input.calls) {
    const started = ms(c.startedAt);
    if (!inRange(started)) continue;
    f.inbound++;
    const hour = hourOf(started).hour;
    if (c.outcome === 'answered') {
      f.answered++;
      f.answeredByHour[hour]!++;
    }
    if (c.outcome !== 'missed') continue;
    f.missed++;
    f.missedByHour[hour]!++;
    if (!c.textBackSkipped || !NOT_TEXTABLE.has(c.textBackSkipped)) {
      const thread = c.threadId ? threadsById.get(c.threadId) : undefined;
      if (c.from.startsWith('+') && thread?.lineType !== 'landline') f.smsCapable++;
    }
    if (!c.threadId) continue;
    const missedAt = missedTime(c);
    const until = nextMiss(c.threadId, missedAt);
    // A text sent before the caller hung up counts as 0 s, never negative.
    const text = firstBetween(textBackTimes.get(c.threadId) ?? [], missedAt, until);
    if (text !== null) {
      const ended = ms(c.endedAt);
      f.timesToText.push(Math.max(0, sec(Number.isFinite(ended) ? ended : missedAt, text)));
    }
    const reply = firstBetween(replyTimes.get(c.threadId) ?? [], missedAt, until);
    if (reply !== null) f.timesToHumanReply.push(sec(missedAt, reply));
  }

  const person = (id: string, name: string) => {
    let p = f.staff.get(id);
    if (!p) f.staff.set(id, (p = { name, claimed: 0, replied: 0 }));
    return p;
  };
  // Templates repeat: count each distinct text's segments once.
  const segmentsOf = new Map<string, number>();
  const segmentCount = (text: string) => {
    let n = segmentsOf.get(text);
    if (n === undefined) segmentsOf.set(text, (n = smsSegments(text).segments));
    return n;
  };
  for (const m of input.messages) {
    if (m.direction === 'in') {
      if (inRange(ms(m.at))) f.repliedThreads.add(m.threadId);
      continue;
    }
    const sent = ms(m.sentAt);
    if (m.sentAt && inRange(sent) && m.status !== 'blocked') f.segments += segmentCount(m.text);
    if (m.kind === 'text-back' && inRange(sent) && m.status !== 'blocked' && m.status !== 'queued') {
      f.texted++;
      if (m.variant) {
        const key = `${m.variant.experiment}/${m.variant.variant}`;
        f.variantTexted.set(key, (f.variantTexted.get(key) ?? 0) + 1);
      }
      if (m.status === 'delivered') f.delivered++;
      if (m.status === 'failed' || m.status === 'undelivered') f.failed++;
    }
    if (m.kind === 'reply' && m.status !== 'blocked' && inRange(ms(m.at))) {
      f.staffReplies++;
      f.answeredThreads.add(m.threadId);
      if (m.staffId) person(m.staffId, m.staffName ?? m.staffId).replied++;
    }
  }

  // Claims: the first claim after each missed call gives its time to claim.
  const claimsByThread = new Map<string, number[]>();
  for (const c of input.claims) push(claimsByThread, c.threadId, ms(c.at));
  for (const list of claimsByThread.values()) list.sort((a, b) => a - b);
  for (const c of input.claims) {
    const at = ms(c.at);
    if (!inRange(at)) continue;
    f.claimed++;
    person(c.staffId, c.staffName).claimed++;
    let miss: number | undefined;
    for (const t of misses.get(c.threadId) ?? []) if (t <= at) miss = t;
    if (miss === undefined) continue;
    if (firstBetween(claimsByThread.get(c.threadId) ?? [], miss, Infinity) !== at) continue; // a re-claim of the same miss
    f.timesToClaim.push(sec(miss, at));
    const thread = threadsById.get(c.threadId);
    if (thread && pastSla(input, thread.locationId, miss, at)) f.lateClaims++;
  }

  for (const r of input.resolutions) {
    if (!inRange(ms(r.at))) continue;
    const prev = f.resolutions.get(r.threadId);
    if (!prev || ms(prev.at) <= ms(r.at)) f.resolutions.set(r.threadId, r);
  }
  f.optOuts = input.optOuts.filter((at) => inRange(ms(at))).length;
  bookingFacts(f, input, inRange, misses);
  return f;
}

/** Keep the earlier of two events per thread (a move or a second booking is still one booked thread). */
function keepFirst<E extends { at: string }>(map: Map<string, E>, threadId: string, e: E): void {
  const prev = map.get(threadId);
  if (!prev || ms(e.at) < ms(prev.at)) map.set(threadId, e);
}

/** The funnel's facts: qualified by the assistant, booked, and the time from the missed call to the booking. */
function bookingFacts(f: Facts, input: FactsInput, inRange: (t: number) => boolean, misses: Map<string, number[]>): void {
  for (const t of input.threads) if (t.assistant?.qualifiedAt && inRange(ms(t.assistant.qualifiedAt))) f.assistantQualified.add(t.id);
  // Every moment a thread was booked, by whatever path; a booking and the resolution it writes are one moment.
  const moments = new Map<string, number[]>();
  for (const b of input.bookings ?? []) {
    push(moments, b.threadId, ms(b.at));
    if (inRange(ms(b.at))) keepFirst(f.bookings, b.threadId, b);
  }
  for (const r of input.resolutions) {
    if (r.outcome !== 'booked') continue;
    push(moments, r.threadId, ms(r.at));
    if (inRange(ms(r.at))) keepFirst(f.bookedResolutions, r.threadId, r);
  }
  // A booked thread converts the variant of the last text-back it got before the booking.
  const booked = new Map<string, number>();
  for (const [id, e] of [...f.bookings, ...f.bookedResolutions]) if (!booked.has(id) || ms(e.at) < booked.get(id)!) booked.set(id, ms(e.at));
  const variantOf = new Map<string, { at: number; key: string }>();
  for (const m of input.messages) {
    const at = booked.get(m.threadId);
    if (at === undefined || m.kind !== 'text-back' || !m.variant || !m.sentAt || ms(m.sentAt) > at) continue;
    const prev = variantOf.get(m.threadId);
    if (!prev || ms(m.sentAt) > prev.at) variantOf.set(m.threadId, { at: ms(m.sentAt), key: `${m.variant.experiment}/${m.variant.variant}` });
  }
  for (const [threadId, v] of variantOf) f.variantBooked.add(`${v.key}\n${threadId}`);
  for (const [threadId, times] of moments) {
    times.sort((a, b) => a - b);
    const missed = misses.get(threadId) ?? [];
    // The first booking after each missed call (and before the next one) gives its time to booking.
    missed.forEach((miss, i) => {
      const at = firstBetween(times, miss, missed[i + 1] ?? Infinity);
      if (at !== null && inRange(at)) f.timesToBooking.push(sec(miss, at));
    });
  }
}

/** Facts of adjacent windows, as if computed over their union. */
export function mergeFacts(parts: readonly Facts[]): Facts {
  if (parts.length === 0) return emptyFacts();
  // Start from a native copy of the biggest part (a cached span of days), then fold in the rest.
  const base = parts.reduce((a, b) => (b.repliedThreads.size + b.timesToText.length > a.repliedThreads.size + a.timesToText.length ? b : a));
  const f: Facts = {
    ...base,
    repliedThreads: new Set(base.repliedThreads),
    answeredThreads: new Set(base.answeredThreads),
    timesToText: base.timesToText.slice(),
    timesToClaim: base.timesToClaim.slice(),
    timesToHumanReply: base.timesToHumanReply.slice(),
    missedByHour: base.missedByHour.slice(),
    answeredByHour: base.answeredByHour.slice(),
    staff: new Map([...base.staff].map(([id, s]) => [id, { ...s }])),
    resolutions: new Map(base.resolutions),
    assistantQualified: new Set(base.assistantQualified),
    bookings: new Map(base.bookings),
    bookedResolutions: new Map(base.bookedResolutions),
    timesToBooking: base.timesToBooking.slice(),
    variantTexted: new Map(base.variantTexted),
    variantBooked: new Set(base.variantBooked),
  };
  for (const p of parts) if (p !== base) foldFacts(f, p);
  return f;
}

/** Add the facts of an adjacent window into `f`, in place; `f` must be a copy of its own (see mergeFacts). */
export function foldFacts(f: Facts, p: Facts): void {
  for (const k of COUNTS) f[k] += p[k];
  for (const id of p.repliedThreads) f.repliedThreads.add(id);
  for (const id of p.answeredThreads) f.answeredThreads.add(id);
  for (const t of p.timesToText) f.timesToText.push(t);
  for (const t of p.timesToClaim) f.timesToClaim.push(t);
  for (const t of p.timesToHumanReply) f.timesToHumanReply.push(t);
  for (let h = 0; h < 24; h++) {
    f.missedByHour[h]! += p.missedByHour[h]!;
    f.answeredByHour[h]! += p.answeredByHour[h]!;
  }
  for (const [id, s] of p.staff) {
    const q = f.staff.get(id) ?? { name: s.name, claimed: 0, replied: 0 };
    q.claimed += s.claimed;
    q.replied += s.replied;
    f.staff.set(id, q);
  }
  for (const [id, r] of p.resolutions) {
    const prev = f.resolutions.get(id);
    if (!prev || ms(prev.at) <= ms(r.at)) f.resolutions.set(id, r);
  }
  for (const id of p.assistantQualified) f.assistantQualified.add(id);
  for (const [id, b] of p.bookings) keepFirst(f.bookings, id, b);
  for (const [id, r] of p.bookedResolutions) keepFirst(f.bookedResolutions, id, r);
  for (const t of p.timesToBooking) f.timesToBooking.push(t);
  for (const [k, n] of p.variantTexted) f.variantTexted.set(k, (f.variantTexted.get(k) ?? 0) + n);
  for (const k of p.variantBooked) f.variantBooked.add(k);
}

type FinalizeInput = Pick<MetricsInput, 'threads' | 'from' | 'to' | 'now' | 'slaMinutes' | 'openHours' | 'locationId' | 'economics' | 'usualByHour'>;

/** The figures of a range from its facts; openUnclaimed and breachingSla describe `now`. */
export function finalizeMetrics(f: Facts, input: FinalizeInput): Metrics {
  return finalizeParts([f], input);
}

/**
 * The figures of a range from the facts of its adjacent parts, equal to finalizeMetrics(mergeFacts(parts)) without
 * copying the biggest part. `digests` keeps what was worked out about a part that does not change (a cached span).
 */
export function finalizeParts(parts: readonly Facts[], input: FinalizeInput, digests?: WeakMap<Facts, FactsDigest>): Metrics {
  if (parts.length === 0) parts = [emptyFacts()];
  const { now, economics } = input;
  const lo = input.from.getTime();
  const hi = input.to.getTime();
  const s = summarize(parts, digests);
  const counts = Object.fromEntries(COUNTS.map((k) => [k, parts.reduce((n, p) => n + p[k], 0)])) as Record<(typeof COUNTS)[number], number>;
  const { booked, revenue, staff } = bookedFigures(s);

  let openUnclaimed = 0;
  let breachingSla = 0;
  let stillUnclaimed = 0;
  for (const t of input.threads) {
    if (t.status !== 'open' || t.claim !== null) continue;
    openUnclaimed++;
    const since = ms(t.lastMissedAt ?? t.openedAt);
    if (pastSla(input, t.locationId, since, now.getTime())) {
      breachingSla++;
      if (since >= lo && since < hi) stillUnclaimed++;
    }
  }

  const f = counts;
  const { missed, inbound, texted, delivered, optOuts } = f;
  const { replied, qualified } = repliedAndQualified(s);
  const days = Math.max(0, (hi - lo) / 86_400_000);
  const subscriptionCost = round2((economics.monthlyCost * days) / 30);
  const smsCost = round2(f.segments * economics.smsUnitCost);
  const cost = round2(subscriptionCost + smsCost);
  const toText = medianAndP90OfTwo(s.digest.toText, otherSamples(s, 'timesToText'));
  const toClaim = medianAndP90OfTwo(s.digest.toClaim, otherSamples(s, 'timesToClaim'));
  const toHumanReply = medianAndP90OfTwo(s.digest.toHumanReply, otherSamples(s, 'timesToHumanReply'));
  const funnel = funnelOfSummary(s);
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, missed: 0, answered: 0 }));
  for (const p of parts)
    for (let h = 0; h < 24; h++) {
      byHour[h]!.missed += p.missedByHour[h]!;
      byHour[h]!.answered += p.answeredByHour[h]!;
    }

  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    locationId: input.locationId,
    inbound,
    answered: f.answered,
    missed,
    smsCapable: f.smsCapable,
    texted,
    delivered,
    failed: f.failed,
    replied,
    qualified,
    staffReplies: f.staffReplies,
    claimed: f.claimed,
    booked,
    revenue,
    optOuts,
    slaBreaches: f.lateClaims + stillUnclaimed,
    smsSegments: f.segments,
    openUnclaimed,
    breachingSla,
    medianTimeToTextSec: toText.median,
    p90TimeToTextSec: toText.p90,
    medianTimeToClaimSec: toClaim.median,
    p90TimeToClaimSec: toClaim.p90,
    medianTimeToHumanReplySec: toHumanReply.median,
    p90TimeToHumanReplySec: toHumanReply.p90,
    rates: {
      missedCallRate: ratio(missed, inbound),
      autoTextRate: ratio(texted, missed),
      contactability: ratio(f.smsCapable, missed),
      deliveryRate: ratio(delivered, texted),
      replyRate: ratio(replied, texted),
      qualifiedRate: ratio(qualified, texted),
      bookingPerDelivered: ratio(booked, delivered),
      bookingPerReply: ratio(booked, replied),
      optOutRate: ratio(optOuts, texted),
    },
    revenuePerMissedCall: ratio(revenue, missed),
    costPerBooking: booked > 0 ? round2(cost / booked) : null,
    roi: {
      subscriptionCost,
      smsCost,
      cost,
      revenue,
      estimatedRevenue: round2(replied * economics.assumedBookingRate * economics.averageValue),
      net: round2(revenue - cost),
      multiple: cost > 0 ? round2(revenue / cost) : null,
      paybackDays: revenue > 0 && days > 0 ? round2(economics.monthlyCost / (revenue / days)) : null,
      adminMinutesSaved: texted * economics.minutesSavedPerText,
    },
    byHour,
    usualByHour: input.usualByHour ?? null,
    staff,
    funnel,
  };
}

/**
 * Missed → texted → replied → qualified → booked, each step of threads counting those that went further too (a caller
 * who booked on the page without writing did answer). Qualified: the assistant had every answer, or the caller and
 * staff both wrote (the two-way definition of `qualified`). Booked: distinct threads with a booking made in the range,
 * by whoever made the first one; a thread staff resolved as booked without any booking record is a booking by staff.
 */
export function funnelOf(f: Facts): Funnel {
  return funnelOfSummary(summarize([f]));
}

function funnelOfSummary(s: FactsSummary): Funnel {
  const { replied, qualified, bookedBy, variantBooked } = funnelCounts(s);
  const toBooking = medianAndP90OfTwo(s.digest.toBooking, otherSamples(s, 'timesToBooking'));
  const variantTexted = new Map<string, number>();
  for (const p of [s.base, ...s.others]) for (const [k, n] of p.variantTexted) variantTexted.set(k, (variantTexted.get(k) ?? 0) + n);
  const byVariant: FunnelVariant[] = [...new Set([...variantTexted.keys(), ...variantBooked.keys()])].sort().map((key) => {
    const cut = key.indexOf('/');
    const texted = variantTexted.get(key) ?? 0;
    const n = variantBooked.get(key) ?? 0;
    return { experiment: key.slice(0, cut), variant: key.slice(cut + 1), texted, booked: n, rate: ratio(n, texted) };
  });
  const missed = [s.base, ...s.others].reduce((n, p) => n + p.missed, 0);
  const texted = [s.base, ...s.others].reduce((n, p) => n + p.texted, 0);
  return {
    missed,
    texted,
    replied,
    qualified,
    booked: bookedBy.assistant + bookedBy.self + bookedBy.staff,
    bookedBy,
    medianTimeToBookingSec: toBooking.median,
    p90TimeToBookingSec: toBooking.p90,
    byVariant,
  };
}

/** KPIs for [from, to); openUnclaimed and breachingSla describe `now` instead of the range. */
export function computeMetrics(input: MetricsInput): Metrics {
  return finalizeMetrics(computeFacts(input), input);
}

/** Average missed calls per local hour over several earlier days (e.g. the same weekday, four weeks back). */
export function usualMissedByHour(calls: readonly Call[], days: readonly { from: Date; to: Date }[], timezone: string): { hour: number; missed: number }[] {
  const hourOf = hourOfDay(timezone);
  const sums = new Array<number>(24).fill(0);
  for (const c of calls) {
    if (c.outcome !== 'missed') continue;
    const t = ms(c.startedAt);
    if (days.some((d) => t >= d.from.getTime() && t < d.to.getTime())) sums[hourOf(t).hour]!++;
  }
  return sums.map((s, hour) => ({ hour, missed: days.length ? round2(s / days.length) : 0 }));
}

/** Missed and answered calls by local weekday (0 = Sunday) × hour: where the front desk is short-staffed. */
export function staffingGrid(calls: readonly Call[], from: Date, to: Date, timezone: string): { weekday: number; hour: number; missed: number; answered: number }[] {
  const hourOf = hourOfDay(timezone);
  const grid = Array.from({ length: 7 * 24 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, missed: 0, answered: 0 }));
  for (const c of calls) {
    const t = ms(c.startedAt);
    if (!(t >= from.getTime() && t < to.getTime())) continue;
    const { weekday, hour } = hourOf(t);
    const cell = grid[weekday * 24 + hour]!;
    if (c.outcome === 'missed') cell.missed++;
    else if (c.outcome === 'answered') cell.answered++;
  }
  return grid;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
