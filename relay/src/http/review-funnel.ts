import { metricDefinitions, type Funnel, type Metrics } from '@ringback/shared';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const count = (x: number) => x.toLocaleString('en-US');
/** 42 s · 38 min · 5.2 h · 2.1 days: time to booking runs from seconds (the assistant) to days (a callback). */
export function span(sec: number): string {
  if (sec < 90) return `${sec.toFixed(0)} s`;
  if (sec < 90 * 60) return `${(sec / 60).toFixed(0)} min`;
  if (sec < 48 * 3600) return `${(sec / 3600).toFixed(1)} h`;
  return `${(sec / 86_400).toFixed(1)} days`;
}

const STEPS: { key: keyof Funnel & ('missed' | 'texted' | 'replied' | 'qualified' | 'booked'); label: string }[] = [
  { key: 'missed', label: 'Missed calls' },
  { key: 'texted', label: 'Texted back' },
  { key: 'replied', label: 'Responded' },
  { key: 'qualified', label: 'Qualified' },
  { key: 'booked', label: 'Booked' },
];

/** Share of the step before, or a dash for the first step and after an empty one. */
const share = (f: Funnel, i: number): string => {
  if (i === 0) return '—';
  const before = f[STEPS[i - 1]!.key];
  return before > 0 ? pct(f[STEPS[i]!.key] / before) : '—';
};

/**
 * The monthly review's funnel: each step with its share of the one before (and last month's beside it), who
 * booked — the assistant, the caller on the booking page, staff — and the time from the missed call to the booking.
 */
export function funnelSection(m: Metrics, before: Metrics | null, monthName: string, beforeName: string): string {
  const f = m.funnel;
  const p = before?.funnel ?? null;
  const head = `<tr><th scope="col">Step</th><th scope="col" class="n">${monthName}</th><th scope="col" class="n">Of the step before</th>${p ? `<th scope="col" class="n">${beforeName}</th><th scope="col" class="n">Of the step before</th>` : ''}</tr>`;
  const rows = STEPS.map(
    (s, i) =>
      `<tr><td>${esc(s.label)}<div class="def">${esc(metricDefinitions[`funnel.${s.key}`] ?? '')}</div></td><td class="n">${count(f[s.key])}</td><td class="n">${share(f, i)}</td>${
        p ? `<td class="n">${count(p[s.key])}</td><td class="n">${share(p, i)}</td>` : ''
      }</tr>`,
  ).join('\n');
  const total = f.booked;
  const by = (n: number) => `${count(n)}${total > 0 ? ` (${pct(n / total)})` : ''}`;
  const time = (x: number | null) => (x === null ? '—' : span(x));
  return `<h2>Booking funnel</h2>
<div class="wrap"><table data-testid="review-funnel"><thead>${head}</thead><tbody>
${rows}
</tbody></table></div>
<table data-testid="review-booked-by"><thead><tr><th scope="col">Booked by</th><th scope="col" class="n">${monthName}</th>${p ? `<th scope="col" class="n">${beforeName}</th>` : ''}</tr></thead><tbody>
<tr><td>The assistant, by text</td><td class="n">${by(f.bookedBy.assistant)}</td>${p ? `<td class="n">${count(p.bookedBy.assistant)}</td>` : ''}</tr>
<tr><td>The caller, on the booking page</td><td class="n">${by(f.bookedBy.self)}</td>${p ? `<td class="n">${count(p.bookedBy.self)}</td>` : ''}</tr>
<tr><td>Staff</td><td class="n">${by(f.bookedBy.staff)}</td>${p ? `<td class="n">${count(p.bookedBy.staff)}</td>` : ''}</tr>
<tr><td>Median time from the missed call to the booking<div class="def">${esc(metricDefinitions['funnel.medianTimeToBookingSec']!)}</div></td><td class="n">${time(f.medianTimeToBookingSec)}</td>${p ? `<td class="n">${time(p.medianTimeToBookingSec)}</td>` : ''}</tr>
<tr><td>90th percentile of that time</td><td class="n">${time(f.p90TimeToBookingSec)}</td>${p ? `<td class="n">${time(p.p90TimeToBookingSec)}</td>` : ''}</tr>
</tbody></table>${variants(f)}`;
}

/** The month's bookings per text-back of each A/B variant (the experiments below judge them over their own windows). */
function variants(f: Funnel): string {
  if (f.byVariant.length === 0) return '';
  return `
<table data-testid="review-funnel-variants"><thead><tr><th scope="col">A/B variant</th><th scope="col" class="n">Text-backs</th><th scope="col" class="n">Booked</th><th scope="col" class="n">Booked per text-back</th></tr></thead><tbody>
${f.byVariant.map((v) => `<tr><td>${esc(v.experiment)} · ${esc(v.variant)}</td><td class="n">${count(v.texted)}</td><td class="n">${count(v.booked)}</td><td class="n">${v.rate === null ? '—' : pct(v.rate)}</td></tr>`).join('\n')}
</tbody></table>`;
}
