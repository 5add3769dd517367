import { localTime, metricDefinitions, startOfLocalDay, type ExperimentResult, type Metrics } from '@ringback/shared';
import type { Ctx } from '../threads/context.js';
import type { Queries } from '../threads/queries.js';
import { funnelSection } from './review-funnel.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function monthRange(month: string, timezone: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return {
    from: startOfLocalDay(new Date(`${month}-01T12:00:00Z`), timezone),
    to: startOfLocalDay(new Date(`${next}-01T12:00:00Z`), timezone),
  };
}

function shiftMonth(month: string, by: 1 | -1): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + by;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
const previousMonth = (month: string) => shiftMonth(month, -1);

/** "2026-12" → "December 2026". */
export const monthWords = (month: string) =>
  new Date(`${month}-01T12:00:00Z`).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The month's cost is the plan's price as configured plus SMS, not the figures' pro-rated share of it. */
function atPlanPrice(m: Metrics, monthlyCost: number): Metrics {
  const cost = round2(monthlyCost + m.roi.smsCost);
  return {
    ...m,
    costPerBooking: m.booked > 0 ? round2(cost / m.booked) : null,
    roi: { ...m.roi, subscriptionCost: monthlyCost, cost, net: round2(m.roi.revenue - cost), multiple: cost > 0 ? round2(m.roi.revenue / cost) : null },
  };
}

/** A month with nothing recorded: trends against it would only say "up from zero". */
const empty = (m: Metrics) => m.inbound === 0 && m.texted === 0 && m.replied === 0 && m.booked === 0 && m.optOuts === 0;

type Row = { label: string; key: string; get: (m: Metrics) => number | null; fmt: (x: number) => string; higherIsBetter: boolean };
const count = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const money = (x: number) => `${x < 0 ? '−' : ''}$${Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
const secs = (x: number) => (x < 90 ? `${x.toFixed(1)} s` : `${(x / 60).toFixed(1)} min`);

const rows: Row[] = [
  { label: 'Inbound calls', key: 'inbound', get: (m) => m.inbound, fmt: count, higherIsBetter: true },
  { label: 'Missed calls', key: 'missed', get: (m) => m.missed, fmt: count, higherIsBetter: false },
  { label: 'Missed-call rate', key: 'rates.missedCallRate', get: (m) => m.rates.missedCallRate, fmt: pct, higherIsBetter: false },
  { label: 'Text-backs sent', key: 'texted', get: (m) => m.texted, fmt: count, higherIsBetter: true },
  { label: 'Auto-text rate', key: 'rates.autoTextRate', get: (m) => m.rates.autoTextRate, fmt: pct, higherIsBetter: true },
  { label: 'Contactability', key: 'rates.contactability', get: (m) => m.rates.contactability, fmt: pct, higherIsBetter: true },
  { label: 'Delivery rate', key: 'rates.deliveryRate', get: (m) => m.rates.deliveryRate, fmt: pct, higherIsBetter: true },
  { label: 'Median time to text', key: 'medianTimeToTextSec', get: (m) => m.medianTimeToTextSec, fmt: secs, higherIsBetter: false },
  { label: 'Reply rate', key: 'rates.replyRate', get: (m) => m.rates.replyRate, fmt: pct, higherIsBetter: true },
  { label: 'Qualified conversations', key: 'rates.qualifiedRate', get: (m) => m.rates.qualifiedRate, fmt: pct, higherIsBetter: true },
  { label: 'Median time to claim', key: 'medianTimeToClaimSec', get: (m) => m.medianTimeToClaimSec, fmt: secs, higherIsBetter: false },
  { label: 'Median time to first human reply', key: 'medianTimeToHumanReplySec', get: (m) => m.medianTimeToHumanReplySec, fmt: secs, higherIsBetter: false },
  { label: 'SLA breaches', key: 'slaBreaches', get: (m) => m.slaBreaches, fmt: count, higherIsBetter: false },
  { label: 'Bookings', key: 'booked', get: (m) => m.booked, fmt: count, higherIsBetter: true },
  { label: 'Bookings per delivered text', key: 'rates.bookingPerDelivered', get: (m) => m.rates.bookingPerDelivered, fmt: pct, higherIsBetter: true },
  { label: 'Bookings per reply', key: 'rates.bookingPerReply', get: (m) => m.rates.bookingPerReply, fmt: pct, higherIsBetter: true },
  { label: 'Revenue recovered', key: 'revenue', get: (m) => m.revenue, fmt: money, higherIsBetter: true },
  { label: 'Revenue per missed call', key: 'revenuePerMissedCall', get: (m) => m.revenuePerMissedCall, fmt: money, higherIsBetter: true },
  { label: 'Cost per booking', key: 'costPerBooking', get: (m) => m.costPerBooking, fmt: money, higherIsBetter: false },
  { label: 'Opt-out rate', key: 'rates.optOutRate', get: (m) => m.rates.optOutRate, fmt: pct, higherIsBetter: false },
];

function trend(now: number | null, before: number | null, higherIsBetter: boolean): string {
  if (now === null || before === null) return '<td class="trend">—</td>';
  if (now === before) return '<td class="trend">no change</td>';
  const up = now > before;
  const good = up === higherIsBetter;
  const change = before === 0 ? '' : ` ${Math.abs(((now - before) / before) * 100).toFixed(0)} %`;
  return `<td class="trend ${good ? 'good' : 'bad'}">${up ? '▲ up' : '▼ down'}${change}</td>`;
}

function experiments(all: ExperimentResult[]): string {
  if (all.length === 0) return '<p>No copy experiment is configured.</p>';
  const p = (x: number | null) => (x === null ? '—' : pct(x));
  return all
    .map(
      (e) => `<p><b>${esc(e.id)}</b> (${e.template ? `${esc(e.template)} text` : 'assistant on against off'}, decided on ${e.metric === 'replied' ? 'replies' : 'bookings'}): ${esc(e.verdict)}</p>
<table><thead><tr><th>Variant</th><th class="n">Sent</th><th class="n">Reply rate</th><th class="n">Booking rate</th><th class="n">Opt-out rate</th><th class="n">Lift vs ${esc(e.variants[0]!.id)}</th><th class="n">p-value</th><th class="n">95 % interval</th></tr></thead><tbody>
${e.variants
  .map((v) => {
    const c = v.vsControl?.[e.metric];
    return `<tr><td>${esc(v.id)}${v.id === e.winner ? ' ✓ winner' : ''}</td><td class="n">${v.sent}</td><td class="n">${p(v.replyRate)}</td><td class="n">${p(v.bookingRate)}</td><td class="n">${p(v.optOutRate)}</td><td class="n">${c?.lift == null ? '—' : pct(c.lift)}</td><td class="n">${c?.pValue == null ? '—' : c.pValue.toFixed(3)}</td><td class="n">${c?.ci95 ? `${(c.ci95[0] * 100).toFixed(1)} to ${(c.ci95[1] * 100).toFixed(1)} pts` : '—'}</td></tr>`;
  })
  .join('')}
</tbody></table>`,
    )
    .join('\n');
}

/** Previous/next month links; they keep the location and stop at the current month. */
function picker(month: string, current: string, locationId: string | undefined): string {
  const href = (m: string) => esc(`?month=${m}${locationId ? `&location=${encodeURIComponent(locationId)}` : ''}`);
  const prev = previousMonth(month);
  const next = shiftMonth(month, 1);
  return `<nav aria-label="Months"><a href="${href(prev)}" rel="prev">← ${monthWords(prev)}</a>${
    next <= current ? ` <a href="${href(next)}" rel="next">${monthWords(next)} →</a>` : ''
  }${month !== current ? ` <a href="${href(current)}">This month</a>` : ''}</nav>`;
}

/** The monthly ROI review: a printable page with the month's figures, their trend and the payback. */
export async function monthlyReview(ctx: Ctx, queries: Queries, month: string, locationId: string | undefined): Promise<string> {
  const loc = locationId ? ctx.config.business.locations.find((l) => l.id === locationId) : undefined;
  const timezone = (loc ?? ctx.config.business.locations[0]!).timezone;
  const current = localTime(ctx.now(), timezone).date.slice(0, 7);
  const range = monthRange(month, timezone);
  const prev = monthRange(previousMonth(month), timezone);
  await queries.prepare(prev.from, prev.to, locationId);
  await queries.prepare(range.from, range.to, locationId);
  const monthlyCost = ctx.config.business.business.monthlyCost;
  const m = atPlanPrice(queries.metrics(range.from, range.to, locationId), monthlyCost);
  const p = atPlanPrice(queries.metrics(prev.from, prev.to, locationId), monthlyCost);
  const compare = !empty(p);
  const staffing = (await queries.staffing(range.from, range.to, locationId)).cells.filter((c) => c.missed > 0).sort((a, b) => b.missed - a.missed).slice(0, 5);
  const where = `${ctx.config.business.business.name}${loc ? ` · ${loc.name}` : ''}`;
  const figure = (r: Row, x: Metrics) => (r.get(x) === null ? '—' : r.fmt(r.get(x)!));
  // The review counts the plan's whole price, so cost per booking says so.
  const defs: Record<string, string> = { ...metricDefinitions, costPerBooking: "The month's Ringback cost (the plan's price + SMS) divided by bookings." };
  const [now, before] = [monthWords(month), monthWords(previousMonth(month))];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Monthly review · ${esc(where)} · ${now}</title>
<style>
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, sans-serif; color: #111827; background: #fff; margin: 32px auto; max-width: 960px; padding: 0 24px; }
  nav { display: flex; gap: 16px; margin: 0 0 16px; } nav a { color: #1d4ed8; }
  h1 { font-size: 24px; margin: 0 0 4px; } .sub { color: #4b5563; margin: 0 0 24px; }
  .roi { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; margin-bottom: 28px; }
  .roi div { border: 1px solid #d1d5db; border-radius: 8px; padding: 12px; }
  .roi b { display: block; font-size: 24px; font-variant-numeric: tabular-nums; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 28px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .def { color: #6b7280; font-size: 12px; } .trend { white-space: nowrap; } .good { color: #047857; } .bad { color: #b91c1c; }
  .wrap { overflow-x: auto; }
  @page { margin: 15mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 11px; } nav { display: none; } .def { font-size: 10px; }
    .roi div, tr, h2 { break-inside: avoid; } h2 { break-after: avoid; } .good, .bad { color: #111827; }
  }
</style></head><body><main>
${picker(month, current, locationId)}
<h1>Monthly review · ${now}</h1>
<p class="sub">${esc(where)} · ${compare ? `compared with ${before}` : `no earlier month to compare (nothing was recorded in ${before})`}</p>
<section class="roi" aria-label="Return on the plan">
  <div>Revenue recovered<b>${money(m.roi.revenue)}</b><span class="def">${esc(defs['roi.revenue']!)}</span></div>
  <div>Ringback cost<b>${money(m.roi.cost)}</b><span class="def">${money(monthlyCost)} plan a month + ${money(m.roi.smsCost)} SMS</span></div>
  <div>Return<b>${m.roi.multiple === null ? '—' : `${m.roi.multiple}×`}</b><span class="def">net ${money(m.roi.net)}</span></div>
  <div>Payback<b>${m.roi.paybackDays === null ? '—' : `${m.roi.paybackDays} days`}</b><span class="def">${esc(defs['roi.paybackDays']!)}</span></div>
  <div>Estimated revenue<b>${money(m.roi.estimatedRevenue)}</b><span class="def">${esc(defs['roi.estimatedRevenue']!)}</span></div>
  <div>Staff time saved<b>${Math.round(m.roi.adminMinutesSaved / 60)} h</b><span class="def">${esc(defs['roi.adminMinutesSaved']!)}</span></div>
</section>
<div class="wrap"><table><thead><tr><th scope="col">Figure</th><th scope="col" class="n">${now}</th>${compare ? `<th scope="col" class="n">${before}</th><th scope="col">Trend</th>` : ''}</tr></thead><tbody>
${rows.map((r) => `<tr><td>${esc(r.label)}<div class="def">${esc(defs[r.key] ?? '')}</div></td><td class="n">${figure(r, m)}</td>${compare ? `<td class="n">${figure(r, p)}</td>${trend(r.get(m), r.get(p), r.higherIsBetter)}` : ''}</tr>`).join('\n')}
</tbody></table></div>
${funnelSection(m, compare ? p : null, now, before)}
<h2>When calls were missed most</h2>
${staffing.length ? `<table><tbody>${staffing.map((c) => `<tr><td>${DAYS[c.weekday]} ${String(c.hour).padStart(2, '0')}:00–${String(c.hour + 1).padStart(2, '0')}:00</td><td class="n">${c.missed} missed</td><td class="n">${c.answered} answered</td></tr>`).join('')}</tbody></table>` : '<p>No missed calls this month.</p>'}
<h2>Copy experiments</h2>
${experiments(await queries.experiments())}
<h2>Staff</h2>
${m.staff.length ? `<table><thead><tr><th scope="col">Name</th><th class="n">Claimed</th><th class="n">Replied</th><th class="n">Booked</th></tr></thead><tbody>${m.staff.map((s) => `<tr><td>${esc(s.name)}</td><td class="n">${s.claimed}</td><td class="n">${s.replied}</td><td class="n">${s.booked}</td></tr>`).join('')}</tbody></table>` : '<p>No staff activity this month.</p>'}
</main></body></html>`;
}
