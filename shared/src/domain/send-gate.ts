import type { QuietHours } from '../contract/config.js';
import type { LineType, MessageKind, SkipReason } from '../contract/model.js';
import { inWindow, nextWindowEnd } from './hours.js';
import type { ParsedPhone } from './phone.js';

export interface SendGateInput {
  kind: MessageKind; // 'text-back' | 'reply' | 'keyword' | 'compliance'
  to: ParsedPhone;
  optedOut: boolean;
  lineType: LineType | null;
  quietHours: QuietHours | null; // from config.textBack.quietHours
  timezone: string; // recipient's presumed zone (the location's)
  immediate: boolean; // sent within seconds of the caller's own action
  now: Date;
}

export type SendGateResult = { ok: true } | { ok: false; reason: SkipReason | 'quiet-hours'; holdUntil?: Date };

/**
 * Policy of the single chokepoint every outgoing SMS passes (reliability.md C-3, C-4, C-8). A blocked result
 * means no Plivo call at all. The one exception to suppression is the opt-out confirmation ('compliance');
 * the caller makes sure only one is ever sent, within 5 minutes of the STOP.
 */
export function gateSend(input: SendGateInput): SendGateResult {
  const { kind, to, quietHours, timezone, now } = input;
  if (!to.ok) return { ok: false, reason: to.reason };
  if (input.optedOut && kind !== 'compliance') return { ok: false, reason: 'opted-out' };
  if (input.lineType === 'landline') return { ok: false, reason: 'landline' };
  if (quietHours && inWindow(quietHours.start, quietHours.end, timezone, now)) {
    // C-8: an immediate answer to the caller's own action may be exempt (policy); backlog and follow-ups wait.
    const exempt = kind === 'compliance' || (input.immediate && quietHours.exemptImmediate);
    if (!exempt) return { ok: false, reason: 'quiet-hours', holdUntil: nextWindowEnd(quietHours.start, quietHours.end, timezone, now) };
  }
  return { ok: true };
}
