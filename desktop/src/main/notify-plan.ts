import type { ThreadSummary } from '@ringback/shared';
import { assistantActive, decideAlert, defaultAlertSettings, handedToDesk, handOffText, type AlertSettings, type AlertSound, type Snooze } from '@ringback/shared/client';
import { isPaused } from './pause.js';

export type TriggerKind = 'missed' | 'reply';
export interface Trigger {
  kind: TriggerKind;
  thread: ThreadSummary;
  /** When it happened (the miss or the reply), epoch ms. */
  at: number;
}

/** One notification on screen. `key` is per thread (updated in place) or the burst's. */
export interface Display {
  key: string;
  title: string;
  body: string;
  /** What a click opens; null opens the queue. */
  threadId: string | null;
  sound: AlertSound;
}

/** The user's alert choices and the zone their quiet times are in. */
export interface AlertContext {
  settings: AlertSettings;
  timezone: string;
}
const defaultAlerts: AlertContext = { settings: defaultAlertSettings(), timezone: 'UTC' };

export interface PlanState {
  /** Missed-call notices shown recently, for burst grouping. */
  recentMissed: { threadId: string; label: string; at: number }[];
  /** Keys currently on screen. */
  shown: string[];
}

export interface PlanConfig {
  burstThreshold: number;
  burstWindowMs: number;
  /** Older changes (a resync after a long outage) are not news any more. */
  staleMs: number;
}

export const defaultPlanConfig: PlanConfig = { burstThreshold: 3, burstWindowMs: 2 * 60_000, staleMs: 10 * 60_000 };
export const emptyPlanState = (): PlanState => ({ recentMissed: [], shown: [] });

export const callerName = (t: ThreadSummary): string => t.callerName ?? t.callerDisplay;

/** Does this change deserve a notification for me? Never for threads claimed by someone else. */
export function triggerFor(prev: ThreadSummary | undefined, next: ThreadSummary, meId: string): Trigger | null {
  if (next.status !== 'open') return null;
  if (next.claim && next.claim.staffId !== meId) return null;
  if (prev && prev.seq >= next.seq) return null;
  // A reply the booking assistant is answering is not news for the desk (its hand-off, with a reason, is the news).
  const reply = next.lastMessage?.direction === 'in' && next.lastMessage.at !== prev?.lastMessage?.at && !assistantActive(next) ? next.lastMessage : null;
  const missed = next.lastMissedAt && next.lastMissedAt !== prev?.lastMissedAt ? next.lastMissedAt : null;
  if (reply && (!missed || reply.at >= missed)) return { kind: 'reply', thread: next, at: Date.parse(reply.at) };
  if (!missed && handedToDesk(prev, next)) return { kind: 'reply', thread: next, at: Date.parse(next.assistant!.handedOff!.at) };
  if (missed) return { kind: 'missed', thread: next, at: Date.parse(missed) };
  return null;
}

function missedBody(t: ThreadSummary): string {
  const tb = t.textBack;
  if (t.lineType === 'landline' || tb?.reason === 'landline') return 'Landline: call back by phone';
  if (t.optedOut || tb?.reason === 'opted-out') return 'Opted out of texts: call back by phone';
  if (tb?.state === 'sent' || tb?.state === 'delivered') return 'Texted back automatically';
  if (tb?.state === 'failed') return 'Text-back failed: call back';
  if (t.voicemail) return 'Left a voicemail';
  return t.missedCount > 1 ? `Called ${t.missedCount} times` : 'Waiting for a callback';
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const urgentWords = (t: ThreadSummary) => (t.urgentWords?.length ? `: ${t.urgentWords.join(', ')}` : '');

/**
 * Turn a batch of triggers (those that arrived within a second or so) into what to show and what to close:
 * one notification per thread, replaced in place; three or more missed calls within two minutes become one
 * "N missed calls in the last M min"; nothing while paused. The alert rules (shared) pick the sound and leave out
 * what "urgent only" and quiet times hold back; urgent callers always get their own notification.
 */
export function plan(
  state: PlanState,
  triggers: readonly Trigger[],
  now: number,
  pausedUntil: number | null,
  alerts: AlertContext = defaultAlerts,
  cfg: PlanConfig = defaultPlanConfig,
): { state: PlanState; show: Display[]; close: string[] } {
  const recentMissed = state.recentMissed.filter((m) => now - m.at <= cfg.burstWindowMs);
  if (isPaused(pausedUntil, now)) return { state: { ...state, recentMissed }, show: [], close: [] };

  // Latest trigger per thread wins; stale ones are dropped.
  const latest = new Map<string, Trigger>();
  for (const t of triggers) {
    if (now - t.at > cfg.staleMs) continue;
    const had = latest.get(t.thread.id);
    if (!had || t.at >= had.at) latest.set(t.thread.id, t);
  }

  const show: Display[] = [];
  const close: string[] = [];
  const shown = new Set(state.shown);
  const missedNow: { t: Trigger; sound: AlertSound }[] = [];

  for (const t of latest.values()) {
    const urgent = t.thread.urgent === true;
    const d = decideAlert({ kind: t.kind, urgent }, alerts.settings, new Date(now), alerts.timezone);
    if (!d.show) continue;
    const key = `thread:${t.thread.id}`;
    if (t.kind === 'reply') {
      // A hand-off says why; its last text may be the assistant's own.
      const handOff = t.thread.assistant?.handedOff && t.thread.lastMessage?.direction !== 'in' ? t.thread.assistant.handedOff : null;
      const text = handOff ? handOffText[handOff.reason] : (t.thread.lastMessage?.text ?? '');
      const title = `${urgent ? 'URGENT · ' : ''}${handOff ? 'Assistant handed over' : 'Reply from'} ${callerName(t.thread)}`;
      show.push({ key, title, body: clip(text.replace(/\s+/g, ' ').trim(), 140), threadId: t.thread.id, sound: d.sound });
    } else if (!d.groupable) {
      show.push({ key, title: `URGENT · Missed call · ${callerName(t.thread)}${urgentWords(t.thread)}`, body: missedBody(t.thread), threadId: t.thread.id, sound: d.sound });
    } else {
      missedNow.push({ t, sound: d.sound });
      const i = recentMissed.findIndex((m) => m.threadId === t.thread.id);
      if (i >= 0) recentMissed.splice(i, 1);
      recentMissed.push({ threadId: t.thread.id, label: callerName(t.thread), at: t.at });
    }
  }

  if (missedNow.length && recentMissed.length >= cfg.burstThreshold) {
    const sorted = [...recentMissed].sort((a, b) => b.at - a.at);
    const minutes = Math.max(1, Math.ceil((now - sorted[sorted.length - 1]!.at) / 60_000));
    const names = sorted.slice(0, 3).map((m) => m.label);
    const more = sorted.length - names.length;
    show.push({
      key: 'burst',
      title: `${sorted.length} missed calls in the last ${minutes} min`,
      body: names.join(', ') + (more > 0 ? ` and ${more} more` : ''),
      threadId: null,
      sound: missedNow[0]!.sound,
    });
    // The single notices the burst now stands for go away, unless a reply of theirs is being shown.
    const replying = new Set(show.filter((d) => d.threadId).map((d) => d.key));
    for (const m of sorted) {
      const key = `thread:${m.threadId}`;
      if (shown.has(key) && !replying.has(key)) close.push(key);
    }
  } else {
    for (const { t, sound } of missedNow) show.push({ key: `thread:${t.thread.id}`, title: `Missed call · ${callerName(t.thread)}`, body: missedBody(t.thread), threadId: t.thread.id, sound });
  }

  for (const k of close) shown.delete(k);
  for (const d of show) shown.add(d.key);
  return { state: { recentMissed, shown: [...shown] }, show, close };
}

/** A notification was dismissed or clicked: forget it so a later one for that thread is new. */
export const forget = (state: PlanState, key: string): PlanState => ({ ...state, shown: state.shown.filter((k) => k !== key) });

/** A reminder the user set on a thread ("Remind me at 2:00 PM"): its own notification that opens the thread. */
export function reminderDisplay(s: Snooze, now: number, pausedUntil: number | null, alerts: AlertContext): Display {
  // Shown even while paused (the user asked for it; a skipped one would be lost), then silently.
  const d = decideAlert({ kind: 'reminder', urgent: false }, alerts.settings, new Date(now), alerts.timezone);
  const sound = isPaused(pausedUntil, now) ? 'none' : d.sound;
  return { key: `thread:${s.threadId}`, title: `Reminder: call ${s.caller || 'the caller'} back`, body: 'You asked to be reminded about this caller.', threadId: s.threadId, sound };
}
