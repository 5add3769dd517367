import type { Metrics, ThreadSummary } from '@ringback/shared';
import { breachesSla, queueRows, waitingSince } from '@ringback/shared/client';

/**
 * What the wall shows, derived from whatever Metrics the relay sends. Fields are read defensively: an older
 * relay without a field hides that tile rather than showing a wrong zero.
 */
type Loose = Partial<Metrics> & Record<string, unknown>;

export interface Figure {
  key: string;
  label: string;
  value: number;
  text: string;
  /** Small line under the figure ("91% of missed"), or null. */
  note: string | null;
  tone: 'plain' | 'green' | 'amber' | 'red';
  /** A value that grows by itself (a wait ticking up): it never pulses. */
  steady?: boolean;
}

export interface Timing {
  key: string;
  label: string;
  text: string;
  /** Past the claim SLA: shown red with words. */
  over: boolean;
}

const num = (m: Loose, k: string): number | undefined => (typeof m[k] === 'number' ? (m[k] as number) : undefined);
const secs = (m: Loose, k: string): number | null | undefined => (m[k] === null ? null : num(m, k));
const pct = (part: number, whole: number | undefined): string | null => (whole ? `${Math.round((part / whole) * 100)}% of` : null);

export const money = (n: number): string => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(n);

/** 0.8 s · 42 s · 2 min · 1 h 5 min. */
export function duration(sec: number): string {
  if (sec < 0.1) return '< 0.1 s';
  if (sec < 10) return `${(Math.round(sec * 10) / 10).toString()} s`;
  if (sec < 90) return `${Math.round(sec)} s`;
  const m = Math.round(sec / 60);
  if (m < 60) return `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

export function figures(metrics: Metrics): Figure[] {
  const m = metrics as Loose;
  const missed = num(m, 'missed');
  const texted = num(m, 'texted');
  const out: Figure[] = [];
  const add = (key: string, label: string, note: (v: number) => string | null, tone: (v: number) => Figure['tone'] = () => 'plain', format: (v: number) => string = String) => {
    const v = num(m, key);
    if (v === undefined) return;
    out.push({ key, label, value: v, text: format(v), note: note(v), tone: tone(v) });
  };
  add('missed', 'Missed', () => null, (v) => (v > 0 ? 'amber' : 'plain'));
  add('texted', 'Texted', (v) => (pct(v, missed) ? `${pct(v, missed)} missed` : null));
  add('delivered', 'Delivered', (v) => (pct(v, texted) ? `${pct(v, texted)} texted` : null), (v) => (v > 0 ? 'green' : 'plain'));
  add('replied', 'Replied', (v) => (pct(v, texted) ? `${pct(v, texted)} texted` : null));
  add('claimed', 'Claimed', (v) => (pct(v, missed) ? `${pct(v, missed)} missed` : null));
  add('booked', 'Booked', (v) => (pct(v, missed) ? `${pct(v, missed)} missed` : null), (v) => (v > 0 ? 'green' : 'plain'));
  add('revenue', 'Recovered', () => 'booked today', (v) => (v > 0 ? 'green' : 'plain'), money);
  return out;
}

export function timings(metrics: Metrics, claimMinutes: number): Timing[] {
  const m = metrics as Loose;
  const out: Timing[] = [];
  const add = (key: string, label: string, sla: boolean) => {
    const v = secs(m, key);
    if (v === undefined) return;
    out.push({ key, label, text: v === null ? '—' : duration(v), over: sla && v !== null && v > claimMinutes * 60 });
  };
  add('medianTimeToTextSec', 'Median time to text', false);
  add('p90TimeToTextSec', 'p90 time to text', false);
  add('medianTimeToClaimSec', 'Median time to claim', true);
  add('p90TimeToClaimSec', 'p90 time to claim', true);
  return out;
}

export interface FunnelStep {
  key: 'missed' | 'texted' | 'replied' | 'qualified' | 'booked';
  label: string;
  value: number;
  /** Share of the step before ("91%"), or null for the first step and when the one before is zero. */
  rate: string | null;
  tone: Figure['tone'];
}

export interface FunnelStrip {
  steps: FunnelStep[];
  /** "4 assistant · 1 page · 2 staff", leaving out nobody; null before the first booking. */
  by: string | null;
  /** Median time from the missed call to the booking, or null before the first booking. */
  timeToBooking: string | null;
  /** Booked per text-back of each A/B variant today ("on 40% · off 10%"), or null when no test sent any. */
  variants: string | null;
}

/**
 * The booking funnel of the day: missed → texted → replied → qualified → booked, each with its share of the step
 * before, who booked, and the median time to booking. Null from a relay that sends no funnel.
 */
export function funnelStrip(metrics: Metrics): FunnelStrip | null {
  const f = (metrics as Loose).funnel;
  if (!f || typeof f !== 'object' || typeof f.booked !== 'number') return null;
  const order = [
    ['missed', 'Missed'],
    ['texted', 'Texted'],
    // Not the Replied tile: a caller who booked on the page, or was booked after a call back, responded too.
    ['replied', 'Responded'],
    ['qualified', 'Qualified'],
    ['booked', 'Booked'],
  ] as const;
  const steps = order.map(([key, label], i): FunnelStep => {
    const value = f[key];
    const before = i > 0 ? f[order[i - 1]![0]] : 0;
    // A share over 100 % (texts for yesterday's calls) is shown as it is: the room should see it.
    return { key, label, value, rate: before > 0 ? `${Math.round((value / before) * 100)}%` : null, tone: key === 'booked' && value > 0 ? 'green' : 'plain' };
  });
  const by = [
    [f.bookedBy.assistant, 'assistant'],
    [f.bookedBy.self, 'booking page'],
    [f.bookedBy.staff, 'staff'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, who]) => `${n} ${who}`)
    .join(' · ');
  const tested = (Array.isArray(f.byVariant) ? f.byVariant : []).filter((v) => v.texted > 0);
  const variants = tested.map((v) => `${v.variant} ${Math.round((v.booked / v.texted) * 100)}%`).join(' · ');
  return {
    steps,
    by: by || null,
    timeToBooking: f.medianTimeToBookingSec === null ? null : duration(f.medianTimeToBookingSec),
    variants: variants ? `A/B booked: ${variants}` : null,
  };
}

export interface HourBar {
  hour: number;
  label: string;
  missed: number;
  usual: number | null;
  /** Clearly above the usual for this hour: a staffing gap. Never on a relay with no history yet. */
  over: boolean;
}

/** Missed calls by hour today against the usual for this weekday; null when the relay sends no hours. */
export function hours(metrics: Metrics, nowHour: number): HourBar[] | null {
  const m = metrics as Loose;
  const byHour = Array.isArray(m.byHour) ? (m.byHour as { hour: number; missed: number }[]) : null;
  if (!byHour) return null;
  const usual = Array.isArray(m.usualByHour) ? (m.usualByHour as { hour: number; missed: number }[]) : null;
  const today = new Map(byHour.map((h) => [h.hour, h.missed]));
  const avg = new Map(usual?.map((h) => [h.hour, h.missed]));
  // Show the working day: hours with any activity, now, and 8–18 at least.
  const active = [...today.keys(), ...avg.keys()].filter((h) => (today.get(h) ?? 0) > 0 || (avg.get(h) ?? 0) > 0);
  const first = Math.min(8, nowHour, ...active);
  const last = Math.max(18, nowHour, ...active);
  const history = usual?.some((h) => h.missed > 0) ?? false;
  const out: HourBar[] = [];
  for (let h = first; h <= last; h++) {
    const missed = today.get(h) ?? 0;
    const u = usual ? (avg.get(h) ?? 0) : null;
    out.push({ hour: h, label: h === 0 ? '12a' : h < 12 ? `${h}a` : h === 12 ? '12p' : `${h - 12}p`, missed, usual: u, over: history && u !== null && missed >= Math.max(2, u * 1.5 + 1) });
  }
  return out;
}

export interface StaffRow {
  id: string;
  name: string;
  claimed: number;
  replied: number;
  booked: number;
}

/** The leaderboard, most bookings first; null when the relay sends no staff figures. */
export function leaderboard(metrics: Metrics, limit = 6): StaffRow[] | null {
  const m = metrics as Loose;
  if (!Array.isArray(m.staff)) return null;
  return (m.staff as { staffId: string; name: string; claimed: number; replied: number; booked: number }[])
    .filter((s) => s.claimed + s.replied + s.booked > 0)
    .map((s) => ({ id: s.staffId, name: s.name, claimed: s.claimed, replied: s.replied, booked: s.booked }))
    .sort((a, b) => b.booked - a.booked || b.claimed - a.claimed || b.replied - a.replied || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** 0 min · 14 min · 2 h 5 min: whole minutes, a wall ticks once a minute, not every second. */
export const minutes = (m: number): string => (m < 60 ? `${m} min` : m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`);

/** Whom the wall is about: open callers nobody has claimed. */
const waiting = (threads: readonly ThreadSummary[]) => threads.filter((t) => t.status === 'open' && !t.claim);

/**
 * The top row, about right now: waiting, past the SLA (the relay's open-hours mark, the same the escalations and
 * the figures use), urgent, and the oldest wait. The oldest wait is clock time since the last missed call (what the
 * caller lived through); it turns red only when that caller is past the SLA, so a night call is not red at opening.
 */
export function nowTiles(threads: readonly ThreadSummary[], now: number, claimMinutes: number): Figure[] {
  const w = waiting(threads);
  const late = w.filter((t) => breachesSla(t, now, claimMinutes)).length;
  const urgent = threads.filter((t) => t.status === 'open' && t.urgent);
  const urgentWaiting = urgent.filter((t) => !t.claim).length;
  const oldest = w.reduce<ThreadSummary | null>((a, t) => (!a || waitingSince(t) < waitingSince(a) ? t : a), null);
  const oldestMin = oldest ? Math.max(0, Math.floor((now - Date.parse(waitingSince(oldest))) / 60_000)) : 0;
  return [
    { key: 'waiting', label: 'Waiting now', value: w.length, text: String(w.length), note: w.length ? 'not claimed yet' : 'all caught up', tone: w.length ? 'amber' : 'green' },
    { key: 'past-sla', label: 'Past SLA', value: late, text: String(late), note: `claim within ${claimMinutes} open min`, tone: late ? 'red' : 'plain' },
    { key: 'urgent', label: 'Urgent', value: urgent.length, text: String(urgent.length), note: urgent.length ? (urgentWaiting ? `${urgentWaiting} not claimed` : 'all claimed') : 'none open', tone: urgentWaiting ? 'red' : 'plain' },
    {
      key: 'oldest',
      label: 'Oldest wait',
      value: oldestMin,
      text: oldest ? minutes(oldestMin) : '—',
      note: oldest ? 'clock time since the call' : 'nobody waiting',
      tone: !oldest ? 'plain' : breachesSla(oldest, now, claimMinutes) ? 'red' : 'amber',
      steady: true,
    },
  ];
}

/**
 * The caller list: urgent callers first, then the queue's own order; `max` rows, but an urgent caller is never left
 * inside "+N more waiting".
 */
export function waitingRows(threads: readonly ThreadSummary[], now: number, claimMinutes: number, timezone: string, max: number): { rows: ThreadSummary[]; more: number } {
  const all = queueRows('unclaimed', waiting(threads), [], { meId: '', now, claimMinutes, timezone });
  const ordered = [...all.filter((t) => t.urgent), ...all.filter((t) => !t.urgent)];
  const shown = ordered.slice(0, Math.max(max, ordered.filter((t) => t.urgent).length));
  return { rows: shown, more: ordered.length - shown.length };
}
