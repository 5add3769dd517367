import type { TemplateName } from '../contract/config.js';
import type { LineType, SkipReason } from '../contract/model.js';
import type { ParsedPhone } from './phone.js';

export interface TextBackInput {
  caller: ParsedPhone; // from parsePhone
  optedOut: boolean;
  lineType: LineType | null; // from Lookup (null = unknown/lookup failed → try to send)
  lastTextBackAt: string | null; // ISO time of the last text-back sent to this caller (same location)
  dedupeMinutes: number;
  hadVoicemail: boolean;
  afterHours: boolean;
  now: Date;
}

export type TextBackDecision = { send: true; template: TemplateName } | { send: false; reason: SkipReason };

/** True when a text-back went out in the last `dedupeMinutes` (0 disables). A future-dated one counts too. */
export function isDuplicateTextBack(lastTextBackAt: string | null, dedupeMinutes: number, now: Date): boolean {
  if (lastTextBackAt === null || dedupeMinutes <= 0) return false;
  const last = Date.parse(lastTextBackAt);
  return Number.isFinite(last) && now.getTime() - last < dedupeMinutes * 60_000;
}

/**
 * DESIGN "Missed call → text-back rules". Skip reasons are checked in a fixed order so staff see the most
 * fundamental one: no number at all, then consent, then the line cannot take SMS, then the cooldown.
 * Only a Lookup that says 'landline' skips; unknown or failed lookups still try, since a missed text costs more.
 */
export function decideTextBack(input: TextBackInput): TextBackDecision {
  if (!input.caller.ok) return { send: false, reason: input.caller.reason };
  if (input.optedOut) return { send: false, reason: 'opted-out' };
  if (input.lineType === 'landline') return { send: false, reason: 'landline' };
  if (isDuplicateTextBack(input.lastTextBackAt, input.dedupeMinutes, input.now)) return { send: false, reason: 'duplicate' };
  const template: TemplateName = input.hadVoicemail ? 'voicemail' : input.afterHours ? 'afterHours' : 'missed';
  return { send: true, template };
}
