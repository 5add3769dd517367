import type { ThreadSummary } from '../contract/model.js';
import { startOfLocalDay } from '../domain/hours.js';

export const queueViews = ['unclaimed', 'mine', 'open', 'done'] as const;
export type QueueView = (typeof queueViews)[number];

/** Short tab labels (a 400 px panel), and the full names for titles and screen readers. */
export const viewLabels: Record<QueueView, string> = { unclaimed: 'Unclaimed', mine: 'Mine', open: 'All', done: 'Done' };
export const viewNames: Record<QueueView, string> = { unclaimed: 'Unclaimed', mine: 'Mine', open: 'All open', done: 'Resolved today' };

/** When the caller has been waiting since: the last missed call, else when the thread opened. */
export const waitingSince = (t: ThreadSummary): string => t.lastMissedAt ?? t.openedAt;

/** Open, unclaimed, and past the claim SLA. The relay's mark counts open hours only, so it wins when present. */
export function breachesSla(t: ThreadSummary, now: number, claimMinutes: number): boolean {
  if (t.status !== 'open' || t.claim) return false;
  if (t.escalation !== undefined) return t.escalation?.reason === 'unclaimed';
  return now - Date.parse(waitingSince(t)) > claimMinutes * 60_000;
}

/** The colour-coded state of a row (UI.md): red / amber / blue / grey / green, each with a text twin. */
export type RowState = 'breached' | 'unclaimed' | 'mine' | 'theirs' | 'resolved';

export function rowState(t: ThreadSummary, meId: string, now: number, claimMinutes: number): RowState {
  if (t.status === 'resolved') return 'resolved';
  if (t.claim) return t.claim.staffId === meId ? 'mine' : 'theirs';
  return breachesSla(t, now, claimMinutes) ? 'breached' : 'unclaimed';
}

/**
 * How late an unclaimed caller is, by multiples of the claim SLA: 0 in time, 1 late, 2 over twice the SLA, 3 over
 * four times. Rows shade by it, so six minutes late does not look like an hour late.
 */
export function lateness(t: ThreadSummary, now: number, claimMinutes: number): 0 | 1 | 2 | 3 {
  if (!breachesSla(t, now, claimMinutes)) return 0;
  const sla = Math.max(1, claimMinutes) * 60_000;
  // The relay's mark counts open hours only: a call at 22:00 became late at 08:05, not at 22:05.
  const over = t.escalation ? 1 + (now - Date.parse(t.escalation.at)) / sla : (now - Date.parse(waitingSince(t))) / sla;
  return over >= 4 ? 3 : over >= 2 ? 2 : 1;
}

/**
 * Lower is more urgent: urgent words (the relay's triage) first; then late callers — those who wrote to us, then
 * voicemails, then repeat callers, then the rest; then other unclaimed (wrote back or text failed first), mine, others'.
 */
export function urgency(t: ThreadSummary, meId: string, now: number, claimMinutes: number): number {
  const s = rowState(t, meId, now, claimMinutes);
  if (t.urgent && s !== 'theirs' && s !== 'resolved') return -1;
  const failed = t.textBack?.state === 'failed';
  const waitingOnUs = t.lastMessage?.direction === 'in';
  if (s === 'breached') return waitingOnUs ? 0 : t.voicemail ? 0.25 : t.missedCount > 1 ? 0.5 : 0.75;
  if (s === 'unclaimed') return waitingOnUs || failed ? 1 : 2;
  if (s === 'mine') return waitingOnUs ? 3 : 4;
  return 5;
}

export interface QueueContext {
  meId: string;
  now: number;
  claimMinutes: number;
  /** Time zone for "today" (the first location's). */
  timezone: string;
}

/** Threads for one view, most urgent first, then longest wait. */
export function queueRows(view: QueueView, open: readonly ThreadSummary[], resolved: readonly ThreadSummary[], c: QueueContext): ThreadSummary[] {
  if (view === 'done') {
    const since = startOfLocalDay(new Date(c.now), c.timezone).getTime();
    return resolved
      .filter((t) => t.resolution && Date.parse(t.resolution.at) >= since)
      .sort((a, b) => b.resolution!.at.localeCompare(a.resolution!.at));
  }
  const rows = open.filter((t) => view === 'open' || (view === 'unclaimed' ? !t.claim : t.claim?.staffId === c.meId));
  return rows.sort(
    (a, b) =>
      urgency(a, c.meId, c.now, c.claimMinutes) - urgency(b, c.meId, c.now, c.claimMinutes) ||
      waitingSince(a).localeCompare(waitingSince(b)),
  );
}

export function queueCounts(open: readonly ThreadSummary[], resolved: readonly ThreadSummary[], c: QueueContext) {
  const counts = {} as Record<QueueView, number> & { breached: number };
  for (const v of queueViews) counts[v] = queueRows(v, open, resolved, c).length;
  counts.breached = open.filter((t) => breachesSla(t, c.now, c.claimMinutes)).length;
  return counts;
}

/** What staff narrow the list to: words or digits of a name or number, and flags that must all hold. */
export interface QueueFilter {
  q: string;
  urgent: boolean;
  replied: boolean;
  voicemail: boolean;
  landline: boolean;
  /** A location id, or '' for all. */
  location: string;
}

export const noFilter: QueueFilter = { q: '', urgent: false, replied: false, voicemail: false, landline: false, location: '' };

export const filterFlags = ['urgent', 'replied', 'voicemail', 'landline'] as const;
export const filterLabels: Record<(typeof filterFlags)[number], string> = { urgent: 'Urgent', replied: 'Replied', voicemail: 'Voicemail', landline: 'Landline' };

const digits = (s: string) => s.replace(/\D/g, '');

/** Name words match in any order and case; three or more digits match anywhere in the number, however it is written. */
export function matchesFilter(t: ThreadSummary, f: QueueFilter): boolean {
  if (f.location && t.locationId !== f.location) return false;
  if (f.urgent && !t.urgent) return false;
  if (f.replied && t.lastMessage?.direction !== 'in') return false;
  if (f.voicemail && !t.voicemail) return false;
  if (f.landline && t.lineType !== 'landline') return false;
  const q = f.q.trim().toLowerCase();
  if (!q) return true;
  const d = digits(q);
  if (d.length >= 3 && d.length === q.replace(/[\s()+.-]/g, '').length) return digits(t.caller).includes(d) || digits(t.callerDisplay).includes(d);
  const name = (t.callerName ?? '').toLowerCase();
  return q.split(/\s+/).every((w) => name.includes(w) || t.callerDisplay.toLowerCase().includes(w));
}

export const isFiltered = (f: QueueFilter): boolean => f.q.trim() !== '' || f.location !== '' || filterFlags.some((k) => f[k]);
