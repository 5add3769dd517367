import type { BookedBy } from '../contract/booking.js';
import type { BookingEvent, Facts, ResolutionEvent } from './metrics.js';
import { bookedTotals, type BookedTotals } from './booked-figures.js';
import { isoMs } from './iso-time.js';

const ms = isoMs;

/**
 * What the figures need from one part's facts, worked out once: its samples sorted and the sizes of its funnel
 * sets. A year's span is digested once while it is cached, so a range that is the span plus two small ends costs
 * about as much as the ends.
 */
export interface FactsDigest {
  toText: Float64Array;
  toClaim: Float64Array;
  toHumanReply: Float64Array;
  toBooking: Float64Array;
  /** Threads both replied and answered. */
  qualified: number;
  funnelBooked: number;
  funnelQualified: number;
  funnelReplied: number;
  bookedBy: Record<BookedBy, number>;
  /** Distinct threads booked per A/B variant. */
  variantBooked: Map<string, number>;
  /** Booked threads, revenue and bookings per person. */
  totals: BookedTotals;
}

/** Sorted as a typed array sorts them (numeric, NaN last), so order statistics match medianAndP90's. */
const sorted = (xs: readonly number[]) => Float64Array.from(xs).sort();

export function digestFacts(f: Facts): FactsDigest {
  const steps = digestSteps(f);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** digestFacts in a few steps of a few milliseconds each (a year's span), so a caller can yield between them. */
export function* digestSteps(f: Facts): Generator<void, FactsDigest> {
  let qualified = 0;
  for (const id of f.repliedThreads) if (f.answeredThreads.has(id)) qualified++;
  const isBooked = (id: string) => f.bookings.has(id) || f.bookedResolutions.has(id);
  const bookedBy: Record<BookedBy, number> = { assistant: 0, self: 0, staff: 0 };
  for (const b of f.bookings.values()) bookedBy[b.by]++;
  for (const id of f.bookedResolutions.keys()) if (!f.bookings.has(id)) bookedBy.staff++;
  const funnelBooked = bookedBy.assistant + bookedBy.self + bookedBy.staff;
  yield;
  // Qualified: booked ∪ assistant-qualified ∪ (replied ∩ answered); replied: replied ∪ qualified. Counted, not built.
  let funnelQualified = funnelBooked;
  let funnelReplied = f.repliedThreads.size;
  for (const id of f.assistantQualified) {
    if (isBooked(id)) continue;
    funnelQualified++;
    if (!f.repliedThreads.has(id)) funnelReplied++;
  }
  for (const id of f.repliedThreads) if (f.answeredThreads.has(id) && !isBooked(id) && !f.assistantQualified.has(id)) funnelQualified++;
  for (const id of f.bookings.keys()) if (!f.repliedThreads.has(id)) funnelReplied++;
  for (const id of f.bookedResolutions.keys()) if (!f.bookings.has(id) && !f.repliedThreads.has(id)) funnelReplied++;
  yield;
  const variantBooked = new Map<string, number>();
  for (const k of f.variantBooked) {
    const key = k.slice(0, k.indexOf('\n'));
    variantBooked.set(key, (variantBooked.get(key) ?? 0) + 1);
  }
  const toText = sorted(f.timesToText);
  yield;
  const toClaim = sorted(f.timesToClaim);
  yield;
  const toHumanReply = sorted(f.timesToHumanReply);
  const toBooking = sorted(f.timesToBooking);
  yield;
  const totals = bookedTotals(f);
  return {
    toText,
    toClaim,
    toHumanReply,
    toBooking,
    qualified,
    funnelBooked,
    funnelQualified,
    funnelReplied,
    bookedBy,
    variantBooked,
    totals,
  };
}

/** a before-or-equal b in typed-array order (NaN last). */
const le = (a: number, b: number) => a <= b || Number.isNaN(b);

/** The k-th smallest (from 0) of two sorted arrays taken together, without merging them. */
export function kthOfTwo(a: Float64Array, b: Float64Array, k: number): number {
  const n = a.length;
  const m = b.length;
  if (!(k >= 0 && k < n + m)) throw new RangeError(`k ${k} outside 0..${n + m - 1}`);
  // j: how many of the first k + 1 come from b.
  let lo = Math.max(0, k + 1 - n);
  let hi = Math.min(m, k + 1);
  for (;;) {
    const j = (lo + hi) >> 1;
    const i = k + 1 - j;
    if (j > 0 && i < n && !le(b[j - 1]!, a[i]!)) hi = j - 1;
    else if (i > 0 && j < m && !le(a[i - 1]!, b[j]!)) lo = j + 1;
    else if (j === 0) return a[i - 1]!;
    else if (i === 0) return b[j - 1]!;
    else return le(a[i - 1]!, b[j - 1]!) ? b[j - 1]! : a[i - 1]!;
  }
}

/** medianAndP90 of the union of two sorted samples. */
export function medianAndP90OfTwo(a: Float64Array, b: Float64Array): { median: number | null; p90: number | null } {
  const n = a.length + b.length;
  if (n === 0) return { median: null, p90: null };
  const at = (k: number) => kthOfTwo(a, b, k);
  const mid = n >> 1;
  return { median: n % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2, p90: at(Math.max(1, Math.ceil(0.9 * n)) - 1) };
}

/** The part mergeFacts copies and folds the others into: the biggest (the first of equals). */
export function basePart(parts: readonly Facts[]): Facts {
  return parts.reduce((a, b) => (b.repliedThreads.size + b.timesToText.length > a.repliedThreads.size + a.timesToText.length ? b : a));
}

/**
 * The merged view of adjacent windows' facts that finalizeMetrics reads, equal to reading mergeFacts(parts) but
 * without copying the biggest part: its digest plus what the other (small) parts add or replace.
 */
export interface FactsSummary {
  base: Facts;
  others: readonly Facts[];
  digest: FactsDigest;
  /** The latest resolution of each thread the other parts hold, as foldFacts keeps it. */
  resolutions: Map<string, ResolutionEvent>;
  /** The first booking of each thread the other parts hold, as foldFacts keeps it. */
  bookings: Map<string, BookingEvent>;
  bookedResolutions: Map<string, ResolutionEvent>;
  repliedThreads: Set<string>;
  answeredThreads: Set<string>;
  assistantQualified: Set<string>;
}

export function summarize(parts: readonly Facts[], digests?: WeakMap<Facts, FactsDigest>): FactsSummary {
  const base = basePart(parts);
  let digest = digests?.get(base);
  if (!digest) {
    digest = digestFacts(base);
    digests?.set(base, digest);
  }
  const s: FactsSummary = {
    base,
    others: parts.filter((p) => p !== base),
    digest,
    resolutions: new Map(),
    bookings: new Map(),
    bookedResolutions: new Map(),
    repliedThreads: new Set(),
    answeredThreads: new Set(),
    assistantQualified: new Set(),
  };
  const first = <E extends { at: string }>(mine: Map<string, E>, theirs: Map<string, E>, id: string, e: E) => {
    const prev = mine.get(id) ?? theirs.get(id);
    if (!prev || ms(e.at) < ms(prev.at)) mine.set(id, e);
  };
  for (const p of s.others) {
    for (const id of p.repliedThreads) s.repliedThreads.add(id);
    for (const id of p.answeredThreads) s.answeredThreads.add(id);
    for (const id of p.assistantQualified) s.assistantQualified.add(id);
    for (const [id, r] of p.resolutions) {
      const prev = s.resolutions.get(id) ?? base.resolutions.get(id);
      if (!prev || ms(prev.at) <= ms(r.at)) s.resolutions.set(id, r);
    }
    for (const [id, b] of p.bookings) first(s.bookings, base.bookings, id, b);
    for (const [id, r] of p.bookedResolutions) first(s.bookedResolutions, base.bookedResolutions, id, r);
  }
  return s;
}

/** The merged latest resolutions in the order mergeFacts's map holds them (sums of values add up the same). */
export function forEachResolution(s: FactsSummary, visit: (r: ResolutionEvent) => void): void {
  const base = s.base.resolutions;
  if (s.resolutions.size === 0) for (const r of base.values()) visit(r);
  else {
    for (const [id, r] of base) visit(s.resolutions.get(id) ?? r);
    for (const [id, r] of s.resolutions) if (!base.has(id)) visit(r);
  }
}

/** The merged first bookings, in mergeFacts's order. */
export function forEachBooking(s: FactsSummary, visit: (b: BookingEvent) => void): void {
  const base = s.base.bookings;
  if (s.bookings.size === 0) for (const b of base.values()) visit(b);
  else {
    for (const [id, b] of base) visit(s.bookings.get(id) ?? b);
    for (const [id, b] of s.bookings) if (!base.has(id)) visit(b);
  }
}

export const hasResolution = (s: FactsSummary, id: string) => s.resolutions.has(id) || s.base.resolutions.has(id);
export const bookingOf = (s: FactsSummary, id: string) => s.bookings.get(id) ?? s.base.bookings.get(id);

/** Samples of the other parts, sorted. */
export function otherSamples(s: FactsSummary, key: 'timesToText' | 'timesToClaim' | 'timesToHumanReply' | 'timesToBooking'): Float64Array {
  if (s.others.length === 0) return new Float64Array(0);
  if (s.others.length === 1) return sorted(s.others[0]![key]);
  return sorted(s.others.flatMap((p) => p[key]));
}

/** Threads replied to, and those both replied and answered, over all parts. */
export function repliedAndQualified(s: FactsSummary): { replied: number; qualified: number } {
  const b = s.base;
  let replied = b.repliedThreads.size;
  for (const id of s.repliedThreads) if (!b.repliedThreads.has(id)) replied++;
  let qualified = s.digest.qualified;
  for (const id of new Set([...s.repliedThreads, ...s.answeredThreads])) {
    const was = b.repliedThreads.has(id) && b.answeredThreads.has(id);
    const is = (b.repliedThreads.has(id) || s.repliedThreads.has(id)) && (b.answeredThreads.has(id) || s.answeredThreads.has(id));
    qualified += Number(is) - Number(was);
  }
  return { replied, qualified };
}

/** The funnel's thread counts over all parts: the base's, changed by the threads the other parts name. */
export function funnelCounts(s: FactsSummary): { replied: number; qualified: number; bookedBy: Record<BookedBy, number>; variantBooked: Map<string, number> } {
  const b = s.base;
  const d = s.digest;
  let replied = d.funnelReplied;
  let qualified = d.funnelQualified;
  const bookedBy = { ...d.bookedBy };
  const ids = new Set([...s.repliedThreads, ...s.answeredThreads, ...s.assistantQualified, ...s.bookings.keys(), ...s.bookedResolutions.keys()]);
  for (const id of ids) {
    const byBase = b.bookings.get(id)?.by ?? (b.bookedResolutions.has(id) ? 'staff' : null);
    const byAll = bookingOf(s, id)?.by ?? (b.bookedResolutions.has(id) || s.bookedResolutions.has(id) ? 'staff' : null);
    if (byBase) bookedBy[byBase]--;
    if (byAll) bookedBy[byAll]++;
    const qBase = byBase !== null || b.assistantQualified.has(id) || (b.repliedThreads.has(id) && b.answeredThreads.has(id));
    const rAll = b.repliedThreads.has(id) || s.repliedThreads.has(id);
    const qAll = byAll !== null || b.assistantQualified.has(id) || s.assistantQualified.has(id) || (rAll && (b.answeredThreads.has(id) || s.answeredThreads.has(id)));
    qualified += Number(qAll) - Number(qBase);
    replied += Number(rAll || qAll) - Number(b.repliedThreads.has(id) || qBase);
  }
  const variantBooked = new Map(d.variantBooked);
  const seen = new Set<string>();
  for (const p of s.others)
    for (const k of p.variantBooked) {
      if (b.variantBooked.has(k) || seen.has(k)) continue;
      seen.add(k);
      const key = k.slice(0, k.indexOf('\n'));
      variantBooked.set(key, (variantBooked.get(key) ?? 0) + 1);
    }
  return { replied, qualified, bookedBy, variantBooked };
}
