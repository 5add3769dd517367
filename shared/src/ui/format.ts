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

/** The name when known, else the formatted number. */
export const callerLabel = (t: ThreadSummary): string => t.callerName ?? phone(t);

export const skipReasonText: Record<SkipReason, string> = {
  'opted-out': 'Opted out',
  landline: 'Landline · call back',
  duplicate: 'Already texted',
  'invalid-number': 'Not a textable number',
  anonymous: 'Caller ID hidden',
  'quiet-hours': 'Held: quiet hours',
  expired: 'Held too long',
};

export type Tone = 'red' | 'amber' | 'blue' | 'grey' | 'green';

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
