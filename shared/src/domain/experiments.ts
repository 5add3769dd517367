import type { Experiment, TemplateName } from '../contract/config.js';
import type { Message } from '../contract/model.js';
import type { ResolutionEvent } from './metrics.js';

const runsAt = (e: Experiment, locationId: string) => !e.locations || e.locations.includes(locationId);

/** The experiment testing this template at this location, if one is running. */
export function experimentFor(experiments: readonly Experiment[], template: TemplateName, locationId: string): Experiment | undefined {
  return experiments.find((e) => !e.assistant && e.template === template && runsAt(e, locationId));
}

/** The experiment testing the booking assistant (on against off) at this location, if one is running. */
export function assistantExperimentFor(experiments: readonly Experiment[], locationId: string): Experiment | undefined {
  return experiments.find((e) => e.assistant && runsAt(e, locationId));
}

/**
 * Whether the assistant may take the thread of this missed call: 'on' or 'off' while an assistant experiment runs
 * at the location, null when none does (the location's `booking.assistant` alone decides). 'on' means the
 * location's mode applies (always or after hours); 'off' means staff only. Stable per CallUUID, and the same
 * variant the call's text-back recorded (Message.variant).
 */
export function assistantVariant(experiments: readonly Experiment[], locationId: string, callUuid: string): 'on' | 'off' | null {
  const e = assistantExperimentFor(experiments, locationId);
  return e ? (assignVariant(e, callUuid).id as 'on' | 'off') : null;
}

/** FNV-1a: a small, stable hash, so a call's variant never depends on the process or the order of calls. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The variant for a call, deterministically from its id and the weights. */
export function assignVariant(experiment: Experiment, key: string): Experiment['variants'][number] {
  const total = experiment.variants.reduce((s, v) => s + v.weight, 0);
  let point = (fnv1a(`${experiment.id}:${key}`) / 2 ** 32) * total;
  for (const v of experiment.variants) {
    if (point < v.weight) return v;
    point -= v.weight;
  }
  return experiment.variants.at(-1)!;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface Comparison {
  /** Relative change of the rate against the control: (p2 − p1) / p1; null when p1 is 0. */
  lift: number | null;
  /** Two-sided p-value of the pooled two-proportion z-test; null without data on both sides. */
  pValue: number | null;
  /** 95 % interval of the difference p2 − p1 (unpooled standard error). */
  ci95: [number, number] | null;
}

/** Two-proportion z-test of x2/n2 against x1/n1. */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): Comparison {
  if (n1 === 0 || n2 === 0) return { lift: null, pValue: null, ci95: null };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const pValue = se === 0 ? 1 : 2 * (1 - normalCdf(Math.abs(p2 - p1) / se));
  const seDiff = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return { lift: p1 === 0 ? null : (p2 - p1) / p1, pValue, ci95: [p2 - p1 - 1.96 * seDiff, p2 - p1 + 1.96 * seDiff] };
}

export interface VariantResult {
  id: string;
  weight: number;
  sent: number;
  replied: number;
  booked: number;
  optedOut: number;
  replyRate: number | null;
  bookingRate: number | null;
  optOutRate: number | null;
  /** Against the first variant (the control); null for the control itself. */
  vsControl: { replied: Comparison; booked: Comparison; optedOut: Comparison } | null;
}

export interface ExperimentResult {
  id: string;
  /** The text-back tested; null for an assistant experiment. */
  template: TemplateName | null;
  /** On against off: the assistant's experiment. */
  assistant: boolean;
  metric: 'replied' | 'booked';
  minSamplePerVariant: number;
  variants: VariantResult[];
  /** A variant id once one is significantly best on the metric with enough data; else null. */
  winner: string | null;
  /** Why there is (or is not yet) a winner, in words. */
  verdict: string;
}

/** Replies and opt-outs count within a week of the text-back, bookings within 30 days. */
const REPLY_WINDOW_MS = 7 * 86_400_000;
const BOOKING_WINDOW_MS = 30 * 86_400_000;
const SIGNIFICANT = 0.05;

export interface ExperimentInput {
  messages: readonly Message[];
  resolutions: readonly ResolutionEvent[];
  /** Bookings made by the assistant, the booking page or staff (absent: resolutions only). */
  bookings?: readonly { threadId: string; at: string }[];
  /** Opt-outs with the thread they happened in. */
  optOuts: readonly { threadId: string; at: string }[];
}

export function experimentResults(experiment: Experiment, input: ExperimentInput): ExperimentResult {
  const inbound = new Map<string, number[]>();
  for (const m of input.messages) if (m.direction === 'in') (inbound.get(m.threadId) ?? inbound.set(m.threadId, []).get(m.threadId)!).push(Date.parse(m.at));
  const bookings = new Map<string, number[]>();
  for (const r of input.resolutions) if (r.outcome === 'booked') (bookings.get(r.threadId) ?? bookings.set(r.threadId, []).get(r.threadId)!).push(Date.parse(r.at));
  // A booking the assistant or the caller made converts the text-back as much as one staff recorded.
  for (const b of input.bookings ?? []) (bookings.get(b.threadId) ?? bookings.set(b.threadId, []).get(b.threadId)!).push(Date.parse(b.at));
  const optOuts = new Map<string, number[]>();
  for (const o of input.optOuts) (optOuts.get(o.threadId) ?? optOuts.set(o.threadId, []).get(o.threadId)!).push(Date.parse(o.at));
  const within = (times: number[] | undefined, from: number, window: number) => (times ?? []).some((t) => t > from && t <= from + window);

  const tally = new Map(experiment.variants.map((v) => [v.id, { sent: 0, replied: 0, booked: 0, optedOut: 0 }]));
  for (const m of input.messages) {
    if (m.kind !== 'text-back' || m.variant?.experiment !== experiment.id || !m.sentAt) continue;
    const t = tally.get(m.variant.variant);
    if (!t) continue;
    const sent = Date.parse(m.sentAt);
    t.sent++;
    if (within(inbound.get(m.threadId), sent, REPLY_WINDOW_MS)) t.replied++;
    if (within(bookings.get(m.threadId), sent, BOOKING_WINDOW_MS)) t.booked++;
    if (within(optOuts.get(m.threadId), sent, REPLY_WINDOW_MS)) t.optedOut++;
  }

  const rate = (x: number, n: number) => (n > 0 ? x / n : null);
  // The assistant's experiment compares against the desk without it, whatever order the file lists them in.
  const order = experiment.assistant ? [...experiment.variants].sort((a, b) => Number(b.id === 'off') - Number(a.id === 'off')) : experiment.variants;
  const control = tally.get(order[0]!.id)!;
  const variants: VariantResult[] = order.map((v, i) => {
    const t = tally.get(v.id)!;
    return {
      id: v.id,
      weight: v.weight,
      ...t,
      replyRate: rate(t.replied, t.sent),
      bookingRate: rate(t.booked, t.sent),
      optOutRate: rate(t.optedOut, t.sent),
      vsControl:
        i === 0
          ? null
          : {
              replied: compareProportions(control.replied, control.sent, t.replied, t.sent),
              booked: compareProportions(control.booked, control.sent, t.booked, t.sent),
              optedOut: compareProportions(control.optedOut, control.sent, t.optedOut, t.sent),
            },
    };
  });
  return { id: experiment.id, template: experiment.template ?? null, assistant: experiment.assistant === true, metric: experiment.metric, minSamplePerVariant: experiment.minSamplePerVariant, variants, ...verdict(experiment, variants) };
}

function verdict(experiment: Experiment, variants: VariantResult[]): { winner: string | null; verdict: string } {
  const short = variants.filter((v) => v.sent < experiment.minSamplePerVariant);
  if (short.length > 0) {
    return { winner: null, verdict: `Collecting data: every variant needs ${experiment.minSamplePerVariant} text-backs (${short.map((v) => `${v.id} has ${v.sent}`).join(', ')}).` };
  }
  const key = experiment.metric;
  const rateOf = (v: VariantResult) => (key === 'replied' ? v.replyRate : v.bookingRate) ?? 0;
  const [control, ...challengers] = variants as [VariantResult, ...VariantResult[]];
  const better = challengers.filter((v) => v.vsControl![key].pValue! < SIGNIFICANT && rateOf(v) > rateOf(control)).sort((a, b) => rateOf(b) - rateOf(a));
  if (better.length > 0) {
    const w = better[0]!;
    return { winner: w.id, verdict: `${w.id} beats ${control.id} on ${key} (p = ${w.vsControl![key].pValue!.toFixed(3)}).` };
  }
  const worse = challengers.every((v) => v.vsControl![key].pValue! < SIGNIFICANT && rateOf(v) < rateOf(control));
  if (worse) return { winner: control.id, verdict: `${control.id} beats every other variant on ${key} (p < ${SIGNIFICANT}).` };
  return { winner: null, verdict: `No significant difference on ${key} yet (p ≥ ${SIGNIFICANT}).` };
}
