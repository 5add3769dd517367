import { z } from 'zod';
import { weekdays } from '../contract/config.js';
import { alertSounds, defaultAlertSettings, MAX_QUIET_TIMES, MAX_SNOOZES, quietModes, type AlertChoices, type AlertSettings, type QuietTime, type Snooze } from './alerts.js';

// The stored and IPC shapes of the alert settings; kept apart from the rules so windows that only apply them
// do not ship zod.

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour clock)');

export const quietTimeSchema = z.strictObject({
  days: z.array(z.enum(weekdays)).min(1).max(7),
  from: clock,
  to: clock,
  mode: z.enum(quietModes).default('no-sound'),
}) satisfies z.ZodType<QuietTime, unknown>;

export const snoozeSchema = z.strictObject({
  threadId: z.string().min(1).max(200),
  at: z.number().int().nonnegative(),
  caller: z.string().max(200).default(''),
}) satisfies z.ZodType<Snooze, unknown>;

export const alertSettingsSchema = z.object({
  sound: z.enum(alertSounds).default('chime'),
  urgentSound: z.enum(alertSounds).default('bell'),
  urgentOnly: z.boolean().default(false),
  quietTimes: z.array(quietTimeSchema).max(MAX_QUIET_TIMES).default([]),
  snoozes: z.array(snoozeSchema).max(MAX_SNOOZES).default([]),
}) satisfies z.ZodType<AlertSettings, unknown>;

export const alertChoicesSchema = alertSettingsSchema.omit({ snoozes: true }).strict() satisfies z.ZodType<AlertChoices, unknown>;

/** Stored settings from a file or chrome.storage: anything damaged falls back to the defaults, never throws. */
export function readAlertSettings(raw: unknown): AlertSettings {
  const r = alertSettingsSchema.safeParse(raw ?? {});
  return r.success ? r.data : defaultAlertSettings();
}
