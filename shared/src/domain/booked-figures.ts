import type { StaffFigures } from '../contract/model.js';
import { bookingOf, forEachBooking, forEachResolution, hasResolution, type FactsSummary } from './facts-summary.js';
import type { BookingEvent, Facts, ResolutionEvent } from './metrics.js';

/** Booked threads, their value and who booked them, over one part's facts (kept in its digest). */
export interface BookedTotals {
  booked: number;
  revenue: number;
  /** Every value is a safe integer, so the sum does not depend on the order values are added in. */
  integral: boolean;
  /** Per person, in the order their first booking was met; `sameName` false when their resolutions name them differently. */
  staff: Map<string, { booked: number; name: string; sameName: boolean }>;
}

type Contribution = { value: number; staff: ResolutionEvent | null } | null;

/** What one thread adds to booked/revenue/staff, given its latest resolution and first booking in the range. */
function contribution(r: ResolutionEvent | undefined, b: BookingEvent | undefined): Contribution {
  if (r) {
    if (r.outcome !== 'booked') return null;
    // The resolution the assistant or the caller's own booking wrote is not a person's booking.
    return { value: r.value, staff: b?.by === 'assistant' || b?.by === 'self' ? null : r };
  }
  // A booking whose thread has no resolution in the range still booked (its value is the service's).
  return b ? { value: b.value, staff: null } : null;
}

export function bookedTotals(f: Facts): BookedTotals {
  const t: BookedTotals = { booked: 0, revenue: 0, integral: true, staff: new Map() };
  const add = (c: Contribution) => {
    if (!c) return;
    t.booked++;
    t.revenue += c.value;
    t.integral &&= Number.isSafeInteger(c.value);
    if (!c.staff) return;
    const x = t.staff.get(c.staff.staffId);
    if (x) {
      x.booked++;
      x.sameName &&= x.name === c.staff.staffName;
    } else t.staff.set(c.staff.staffId, { booked: 1, name: c.staff.staffName, sameName: true });
  };
  for (const r of f.resolutions.values()) add(contribution(r, f.bookings.get(r.threadId)));
  for (const b of f.bookings.values()) if (!f.resolutions.has(b.threadId)) add(contribution(undefined, b));
  t.integral &&= Number.isSafeInteger(t.revenue);
  return t;
}

const byRank = (a: StaffFigures, b: StaffFigures) => b.booked - a.booked || b.replied - a.replied || b.claimed - a.claimed || a.name.localeCompare(b.name);

/** The people of the merged facts, in mergeFacts's order (the biggest part's first). */
function people(s: FactsSummary): Map<string, StaffFigures> {
  const staff = new Map<string, StaffFigures>();
  for (const p of [s.base, ...s.others])
    for (const [id, x] of p.staff) {
      const q = staff.get(id) ?? { staffId: id, name: x.name, claimed: 0, replied: 0, booked: 0 };
      q.claimed += x.claimed;
      q.replied += x.replied;
      staff.set(id, q);
    }
  return staff;
}

/**
 * Booked threads, revenue and the staff board over all parts, as finalizeMetrics counts them on the merged facts:
 * the base's totals, changed by the threads the other parts resolve or book. Where that could differ from walking
 * the merged maps (values with fractions, a person named two ways, two people tied on every key) they are walked.
 */
export function bookedFigures(s: FactsSummary): { booked: number; revenue: number; staff: StaffFigures[] } {
  return quickFigures(s) ?? walkedFigures(s);
}

/** From the base's totals; null where only the walk is sure to agree with it. */
export function quickFigures(s: FactsSummary): { booked: number; revenue: number; staff: StaffFigures[] } | null {
  const base = s.digest.totals;
  if (!base.integral) return null;
  let { booked, revenue } = base;
  const counts = new Map<string, number>();
  const names = new Map<string, string>();
  const ids = new Set([...s.resolutions.keys(), ...s.bookings.keys()]);
  for (const id of ids) {
    const was = contribution(s.base.resolutions.get(id), s.base.bookings.get(id));
    const is = contribution(s.resolutions.get(id) ?? s.base.resolutions.get(id), bookingOf(s, id));
    if (is && !Number.isSafeInteger(is.value)) return null;
    booked += Number(!!is) - Number(!!was);
    revenue += (is?.value ?? 0) - (was?.value ?? 0);
    if (was?.staff) counts.set(was.staff.staffId, (counts.get(was.staff.staffId) ?? 0) - 1);
    if (is?.staff) {
      counts.set(is.staff.staffId, (counts.get(is.staff.staffId) ?? 0) + 1);
      const name = names.get(is.staff.staffId);
      if (name !== undefined && name !== is.staff.staffName) return null;
      names.set(is.staff.staffId, is.staff.staffName);
    }
  }
  if (!Number.isSafeInteger(revenue)) return null;
  const staff = people(s);
  for (const [id, x] of base.staff) {
    const n = x.booked + (counts.get(id) ?? 0);
    counts.delete(id);
    const known = staff.get(id);
    if (known) known.booked = n;
    else if (n > 0) {
      // Named by its resolutions: one name throughout, or the walk decides which came first.
      if (!x.sameName || (names.has(id) && names.get(id) !== x.name)) return null;
      staff.set(id, { staffId: id, name: x.name, claimed: 0, replied: 0, booked: n });
    }
  }
  for (const [id, n] of counts) {
    if (n <= 0) continue;
    const known = staff.get(id);
    if (known) known.booked = n;
    else staff.set(id, { staffId: id, name: names.get(id)!, claimed: 0, replied: 0, booked: n });
  }
  const board = [...staff.values()].sort(byRank);
  // People equal on every key keep the merged map's order, which only the walk knows.
  for (let i = 1; i < board.length; i++) if (byRank(board[i - 1]!, board[i]!) === 0) return null;
  return { booked, revenue, staff: board };
}

/** Walk the merged latest resolutions and first bookings in mergeFacts's order. */
export function walkedFigures(s: FactsSummary): { booked: number; revenue: number; staff: StaffFigures[] } {
  let booked = 0;
  let revenue = 0;
  const staff = people(s);
  forEachResolution(s, (r) => {
    if (r.outcome !== 'booked') return;
    booked++;
    revenue += r.value;
    const by = bookingOf(s, r.threadId)?.by;
    if (by === 'assistant' || by === 'self') return;
    const x = staff.get(r.staffId) ?? { staffId: r.staffId, name: r.staffName, claimed: 0, replied: 0, booked: 0 };
    x.booked++;
    staff.set(r.staffId, x);
  });
  forEachBooking(s, (b) => {
    if (hasResolution(s, b.threadId)) return;
    booked++;
    revenue += b.value;
  });
  return { booked, revenue, staff: [...staff.values()].sort(byRank) };
}
