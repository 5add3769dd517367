import type { SkipReason, ThreadSummary } from '../contract/model.js';

/** "just now", "3 min", "1 h 12 min", "2 d" — short enough for a 400 px row. */
export function ago(iso: string, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** Absolute time in the location's zone, for hover and focus. */
export function absolute(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** Clock time only ("2:05 PM"), for timeline entries. */
export function clockTime(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

export const duration = (sec: number): string => `${Math.floor(sec / 60)}:${String(Math.round(sec % 60)).padStart(2, '0')}`;

/** The relay formats numbers (national for the business's country), which keeps phone metadata out of the panels. */
export const phone = (t: Pick<ThreadSummary, 'caller' | 'callerDisplay'>): string => t.callerDisplay || t.caller;

/** Caller-ID words that are not a person's name, so "WIRELESS CALLER" is never turned around. */
const NOT_A_NAME = new Set(['WIRELESS', 'CALLER', 'CELL', 'PHONE', 'UNKNOWN', 'NAME', 'UNAVAILABLE', 'PRIVATE', 'LLC', 'INC', 'CO', 'CORP', 'DDS', 'MD']);

const titleCase = (w: string): string => w.toLowerCase().replace(/(^|[-'’])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase());

/**
 * Names as people write them. Carrier caller ID comes as "SMITH ROBERT" or "SMITH, ROBERT" (last name first, all
 * capitals): that becomes "Robert Smith". Names typed by staff (mixed case) are left exactly as they are.
 */
export function displayName(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (n !== n.toUpperCase() || !/\p{L}/u.test(n)) return n;
  const comma = n.split(',').map((p) => p.trim()).filter(Boolean);
  if (comma.length === 2) return [comma[1]!, comma[0]!].map((p) => p.split(' ').map(titleCase).join(' ')).join(' ');
  const words = n.split(' ');
  if (words.length === 2 && !words.some((w) => NOT_A_NAME.has(w))) return `${titleCase(words[1]!)} ${titleCase(words[0]!)}`;
  return words.map(titleCase).join(' ');
}

/** The name when known, else the formatted number. */
export const callerLabel = (t: ThreadSummary): string => (t.callerName ? displayName(t.callerName) : phone(t));

/** Split a text around the given words (whole words, any case) so a view can wrap each hit in <mark>. */
export function highlight(text: string, words: readonly string[]): { text: string; hit: boolean }[] {
  const terms = words.map((w) => w.trim()).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  if (terms.length === 0) return [{ text, hit: false }];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(${terms.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const out: { text: string; hit: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), hit: false });
    out.push({ text: m[0], hit: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}

export const skipReasonText: Record<SkipReason, string> = {
  'opted-out': 'Opted out',
  landline: 'Landline · call back',
  duplicate: 'Already texted',
  'invalid-number': 'Not a textable number',
  anonymous: 'Caller ID hidden',
  'quiet-hours': 'Held: quiet hours',
  expired: 'Held too long',
};

/** `assistant`: the booking assistant has the caller (a tint of its own, always with its ◆ and name). */
export type Tone = 'red' | 'amber' | 'blue' | 'grey' | 'green' | 'assistant';

/** Text-back state as icon + words + tone (UI.md: ✓ sent · ✓✓ delivered · ✗ failed). */
export function textBackLabel(t: ThreadSummary): { icon: string; text: string; tone: Tone } {
  const tb = t.textBack;
  if (t.optedOut) return { icon: '⊘', text: 'Opted out', tone: 'red' };
  if (!tb) return { icon: '–', text: 'Not texted', tone: 'grey' };
  switch (tb.state) {
    case 'pending':
      return { icon: '…', text: 'Texting', tone: 'grey' };
    case 'sent':
      return { icon: '✓', text: 'Texted', tone: 'grey' };
    case 'delivered':
      return { icon: '✓✓', text: 'Delivered', tone: 'green' };
    case 'failed':
      return { icon: '✗', text: 'Text failed', tone: 'red' };
    case 'skipped': {
      const r = tb.reason;
      if (r === 'landline') return { icon: '☎', text: 'Landline · call back', tone: 'amber' };
      if (r === 'opted-out') return { icon: '⊘', text: 'Opted out', tone: 'red' };
      return { icon: '–', text: r ? `Not sent: ${skipReasonText[r].toLowerCase()}` : 'Not sent', tone: 'grey' };
    }
  }
}

export const outcomeLabels = {
  booked: 'Booked',
  'estimate-sent': 'Estimate sent',
  'callback-done': 'Callback done',
  'no-answer': 'No answer',
  'wrong-number': 'Wrong number',
  spam: 'Spam',
  other: 'Other',
} as const;

/** Why the composer cannot text this caller, or null when it can. */
export function cannotText(t: ThreadSummary): { title: string; detail: string } | null {
  if (t.optedOut) return { title: 'Texting is off: this caller opted out (STOP).', detail: `Call them back at ${phone(t)} instead.` };
  if (t.lineType === 'landline') return { title: "Landline: this number can't receive texts.", detail: `Call back by phone at ${phone(t)}.` };
  return null;
}
