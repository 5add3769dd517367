import type { Weekday } from '../contract/config.js';
import { clockMinutes, localTime } from '../domain/hours.js';

/**
 * Alert rules both staff apps apply to each incoming event: whether to notify, with which sound, and whether the
 * notice may be folded into "N missed calls". Pure and free of zod (it ships in every window's bundle); the stored
 * shape is checked by `alert-schema.ts`. The apps own the clock, the storage and the actual popups.
 */

export const alertSounds = ['chime', 'bell', 'none'] as const;
export type AlertSound = (typeof alertSounds)[number];

/** What a quiet time holds back: the sound only, popups too, or everything (urgent callers included). */
export const quietModes = ['no-sound', 'no-popups', 'mute-all'] as const;
export type QuietMode = (typeof quietModes)[number];

/** A weekly window, e.g. weekdays 12:00–13:00 or every night 22:00–07:00 (wraps midnight; `days` name its start). */
export interface QuietTime {
  days: Weekday[];
  /** 'HH:MM', 24-hour clock. */
  from: string;
  to: string;
  mode: QuietMode;
}

/** "Remind me at 2:00 PM" on one thread, kept on this computer / in this browser. */
export interface Snooze {
  threadId: string;
  /** When the reminder fires, epoch ms. */
  at: number;
  /** Who the reminder is about, for the notification's title. */
  caller: string;
}

export const MAX_QUIET_TIMES = 14;
export const MAX_SNOOZES = 200;

export interface AlertSettings {
  sound: AlertSound;
  urgentSound: AlertSound;
  urgentOnly: boolean;
  quietTimes: QuietTime[];
  snoozes: Snooze[];
}
/** What a settings screen edits: reminders are set from threads instead. */
export type AlertChoices = Omit<AlertSettings, 'snoozes'>;
export const defaultAlertSettings = (): AlertSettings => ({ sound: 'chime', urgentSound: 'bell', urgentOnly: false, quietTimes: [], snoozes: [] });

/** The instant a local date's wall-clock minute happens (guess with the offset at the guess, then correct). */
function localInstant(date: string, minutes: number, timezone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  const offset = (t: number) => {
    const l = localTime(new Date(t), timezone);
    return Date.parse(`${l.date}T00:00:00Z`) + l.minutes * 60_000 - Math.floor(t / 60_000) * 60_000;
  };
  return wall - offset(wall - offset(wall));
}

export const weekOrder: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const prevDay = (d: Weekday): Weekday => weekOrder[(weekOrder.indexOf(d) + 6) % 7]!;

/** Is `q` in force at `now`? A window past midnight belongs to the day it starts on. */
export function inQuietTime(q: QuietTime, now: Date, timezone: string): boolean {
  const { weekday, minutes } = localTime(now, timezone);
  const from = clockMinutes(q.from);
  const to = clockMinutes(q.to);
  if (from === to) return false;
  if (from < to) return q.days.includes(weekday) && from <= minutes && minutes < to;
  return (q.days.includes(weekday) && minutes >= from) || (q.days.includes(prevDay(weekday)) && minutes < to);
}

const strength: Record<QuietMode, number> = { 'no-sound': 1, 'no-popups': 2, 'mute-all': 3 };

/** The strongest quiet time in force, or null. */
export function quietNow(s: Pick<AlertSettings, 'quietTimes'>, now: Date, timezone: string): QuietMode | null {
  let mode: QuietMode | null = null;
  for (const q of s.quietTimes) if (inQuietTime(q, now, timezone) && (!mode || strength[q.mode] > strength[mode])) mode = q.mode;
  return mode;
}

export interface AlertEvent {
  kind: 'missed' | 'reply' | 'reminder';
  urgent: boolean;
}

export interface AlertDecision {
  show: boolean;
  sound: AlertSound;
  /** May join a "N missed calls" notice. Urgent callers never do: they get their own notification. */
  groupable: boolean;
}

const hidden: AlertDecision = { show: false, sound: 'none', groupable: false };

/**
 * Urgent callers are always shown on their own with the urgent sound, except in a "mute all" quiet time.
 * Others: nothing when "urgent only"; in a quiet time no sound, or no popup. A reminder the user set is always
 * shown (they asked for it, and a skipped one would be lost), silently in any quiet time.
 */
export function decideAlert(ev: AlertEvent, s: AlertSettings, now: Date, timezone: string): AlertDecision {
  const quiet = quietNow(s, now, timezone);
  if (ev.kind === 'reminder') return { show: true, sound: quiet ? 'none' : s.sound, groupable: false };
  if (quiet === 'mute-all') return hidden;
  if (ev.urgent) return { show: true, sound: s.urgentSound, groupable: false };
  if (s.urgentOnly || quiet === 'no-popups') return hidden;
  return { show: true, sound: quiet === 'no-sound' ? 'none' : s.sound, groupable: ev.kind === 'missed' };
}

export type SnoozeChoice = { inMinutes: number } | { at: string };

/**
 * When a reminder chosen now fires: "in 30 min", or the next time the local clock shows `at` (today if still
 * ahead, else tomorrow), DST-safe.
 */
export function snoozeUntil(choice: SnoozeChoice, now: number, timezone: string): number {
  if ('inMinutes' in choice) return now + Math.max(1, Math.round(choice.inMinutes)) * 60_000;
  const minutes = clockMinutes(choice.at);
  const today = localTime(new Date(now), timezone).date;
  const t = localInstant(today, minutes, timezone);
  if (t > now) return t;
  // Noon tomorrow names tomorrow's date whatever the DST shift.
  const tomorrow = localTime(new Date(localInstant(today, 12 * 60, timezone) + 86_400_000), timezone).date;
  return localInstant(tomorrow, minutes, timezone);
}

/** Add or replace a thread's reminder; the list stays bounded (the soonest are kept). */
export function setSnooze(list: readonly Snooze[], s: Snooze): Snooze[] {
  return [...list.filter((x) => x.threadId !== s.threadId), s].sort((a, b) => a.at - b.at).slice(0, MAX_SNOOZES);
}

export const clearSnooze = (list: readonly Snooze[], threadId: string): Snooze[] => list.filter((x) => x.threadId !== threadId);

/**
 * The reminders in a stored alert-settings object, for screens that only show and set them (the side panel keeps
 * zod out of its bundle); what is not a reminder is left out. Full checks: `readAlertSettings`.
 */
export function storedSnoozes(raw: unknown): Snooze[] {
  const list = (raw as { snoozes?: unknown } | null | undefined)?.snoozes;
  if (!Array.isArray(list)) return [];
  return list
    .filter((s): s is Snooze => !!s && typeof s.threadId === 'string' && s.threadId !== '' && Number.isSafeInteger(s.at) && s.at >= 0)
    .map((s) => ({ threadId: s.threadId.slice(0, 200), at: s.at, caller: typeof s.caller === 'string' ? s.caller.slice(0, 200) : '' }))
    .slice(0, MAX_SNOOZES);
}

/** Reminders that are due at `now` and those still waiting. */
export function dueSnoozes(list: readonly Snooze[], now: number): { due: Snooze[]; waiting: Snooze[] } {
  return { due: list.filter((s) => s.at <= now), waiting: list.filter((s) => s.at > now) };
}

/** When the next reminder fires, or null. */
export const nextSnoozeAt = (list: readonly Snooze[]): number | null => (list.length ? Math.min(...list.map((s) => s.at)) : null);
