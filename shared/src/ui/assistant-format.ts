import type { BookingLabels } from '../contract/api.js';
import type { AssistantState } from '../contract/booking.js';
import type { ThreadBooking, ThreadSummary } from '../contract/model.js';


import { assistantActive, handOffText } from '../client/assistant.js';

export { assistantActive, handOffText };

export const serviceLabel = (id: string, labels: BookingLabels | undefined): string => labels?.services.find((s) => s.id === id)?.label ?? id;

/** Where the conversation stands, in a few words ("offering times"). */
export function assistantStep(a: AssistantState, labels: BookingLabels | undefined): string {
  switch (a.step) {
    case 'service':
      return 'asking which service';
    case 'question': {
      const ask = labels?.questions.find((q) => q.id === a.questionId)?.ask;
      return ask ? `asking “${ask}”` : 'asking a question';
    }
    case 'time':
      return 'asking when suits them';
    case 'offer':
      return 'offering times';
    case 'booked':
      return 'booked';
    case 'handed-off':
      return 'handed to staff';
  }
}

/** The handover reason, naming the colleague who claimed the caller. */
export function handOffLine(t: ThreadSummary): string | null {
  const h = t.assistant?.handedOff;
  // A claim stops the assistant even before the relay's hand-over reaches this screen.
  if (!h) return t.claim && t.assistant && t.assistant.step !== 'booked' ? `Claimed by ${t.claim.staffName}` : null;
  if (h.reason === 'claimed' && t.claim) return `Claimed by ${t.claim.staffName}`;
  return handOffText[h.reason] ?? h.reason;
}

/** Service, each answered question and the caller's wish, in the order asked, with labels for ids. */
export function answerRows(a: AssistantState, labels: BookingLabels | undefined): { question: string; answer: string }[] {
  const rows: { question: string; answer: string }[] = [];
  if (a.serviceId) rows.push({ question: 'Service', answer: serviceLabel(a.serviceId, labels) });
  const known = labels?.questions ?? [];
  const ids = [...known.map((q) => q.id).filter((id) => id in a.answers), ...Object.keys(a.answers).filter((id) => !known.some((q) => q.id === id))];
  for (const id of ids) {
    const q = known.find((k) => k.id === id);
    const value = a.answers[id]!;
    rows.push({ question: q?.ask ?? id, answer: q?.options?.find((o) => o.id === value)?.label ?? value });
  }
  if (a.wish) rows.push({ question: 'Wants', answer: `“${a.wish.text}”` });
  return rows;
}

const dayKey = (iso: string | number, timezone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date(iso));
const dayNumber = (key: string) => Date.UTC(+key.slice(0, 4), +key.slice(5, 7) - 1, +key.slice(8, 10)) / 86_400_000;

/** A day as a desk says it: "today", "tomorrow", "Tue" within the week, else "Dec 12". */
export function shortDay(iso: string, timezone: string, nowMs: number): string {
  const diff = dayNumber(dayKey(iso, timezone)) - dayNumber(dayKey(nowMs, timezone));
  if (diff === 0) return 'today';
  if (diff === 1) return 'tomorrow';
  const opts: Intl.DateTimeFormatOptions = diff > 1 && diff < 7 ? { weekday: 'short' } : { month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat('en-US', { timeZone: timezone, ...opts }).format(new Date(iso));
}

const clock = (iso: string, timezone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));

/** "Tue 9:00 AM" for a queue chip and an offered slot. */
export const shortWhen = (iso: string, timezone: string, nowMs: number): string => `${shortDay(iso, timezone, nowMs)} ${clock(iso, timezone)}`;

/** "Tue, Dec 3 · 9:00 – 10:00 AM CST" ("Thu, Dec 3 (tomorrow) · …" when near): the appointment in the location's zone. */
export function slotText(start: string, end: string, timezone: string, nowMs?: number): string {
  const day = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(start));
  const near = nowMs === undefined ? '' : shortDay(start, timezone, nowMs);
  const range = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  return `${day}${near === 'today' || near === 'tomorrow' ? ` (${near})` : ''} · ${range.formatRange(new Date(start), new Date(end))}`;
}

export function bookedByText(b: ThreadBooking): string {
  if (b.by === 'assistant') return 'Booked by the assistant';
  if (b.by === 'self') return 'Booked by the caller online';
  return b.staffName ? `Booked by ${b.staffName}` : 'Booked by staff';
}
