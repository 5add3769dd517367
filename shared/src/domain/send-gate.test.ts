import { describe, it, expect } from 'vitest';
import type { QuietHours } from '../contract/config.js';
import type { LineType, MessageKind } from '../contract/model.js';
import type { ParsedPhone } from './phone.js';
import { gateSend, type SendGateInput } from './send-gate.js';

const quiet: QuietHours = { start: '20:00', end: '09:00', exemptImmediate: true };
const CHI = 'America/Chicago';
const day = new Date('2026-01-06T18:00:00Z'); // 12:00 CST
const night = new Date('2026-01-07T02:05:00Z'); // 20:05 CST
const base: SendGateInput = {
  kind: 'text-back',
  to: { ok: true, e164: '+15125550123' },
  optedOut: false,
  lineType: 'mobile',
  quietHours: quiet,
  timezone: CHI,
  immediate: true,
  now: day,
};
const gate = (over: Partial<SendGateInput>) => gateSend({ ...base, ...over });

describe('gateSend', () => {
  it('lets an ordinary send through', () => {
    expect(gate({})).toEqual({ ok: true });
    expect(gate({ quietHours: null, now: night, immediate: false })).toEqual({ ok: true });
  });
  it('blocks numbers that cannot be texted', () => {
    expect(gate({ to: { ok: false, reason: 'anonymous' }, kind: 'compliance' })).toEqual({ ok: false, reason: 'anonymous' });
    expect(gate({ to: { ok: false, reason: 'invalid-number' } })).toEqual({ ok: false, reason: 'invalid-number' });
    expect(gate({ lineType: 'landline' })).toEqual({ ok: false, reason: 'landline' });
  });
  it.each<MessageKind>(['text-back', 'reply', 'keyword', 'inbound'])('blocks %s to an opted-out number', (kind) => {
    expect(gate({ kind, optedOut: true })).toEqual({ ok: false, reason: 'opted-out' });
  });
  it('lets the opt-out confirmation through, even in quiet hours', () => {
    expect(gate({ kind: 'compliance', optedOut: true })).toEqual({ ok: true });
    expect(gate({ kind: 'compliance', optedOut: true, now: night, immediate: false })).toEqual({ ok: true });
  });
  it('exempts an immediate send from quiet hours when the policy says so', () => {
    expect(gate({ now: night, immediate: true })).toEqual({ ok: true });
    expect(gate({ now: night, immediate: true, quietHours: { ...quiet, exemptImmediate: false } })).toEqual({
      ok: false,
      reason: 'quiet-hours',
      holdUntil: new Date('2026-01-07T15:00:00Z'),
    });
  });
  it('holds a backlog send released at 20:05 recipient time until 09:00 (C-8)', () => {
    expect(gate({ now: night, immediate: false })).toEqual({ ok: false, reason: 'quiet-hours', holdUntil: new Date('2026-01-07T15:00:00Z') });
    expect(gate({ now: night, immediate: false, kind: 'reply' })).toMatchObject({ ok: false, reason: 'quiet-hours' });
  });
  it('computes quiet hours in the recipient zone across DST', () => {
    // 21:00 EST on Mar 7 → 09:00 EDT on Mar 8.
    expect(gate({ now: new Date('2026-03-08T02:00:00Z'), timezone: 'America/New_York', immediate: false })).toEqual({
      ok: false,
      reason: 'quiet-hours',
      holdUntil: new Date('2026-03-08T13:00:00Z'),
    });
    // 20:05 in Chicago is only 19:05 in Phoenix.
    expect(gate({ now: night, timezone: 'America/Phoenix', immediate: false })).toEqual({ ok: true });
  });

  it('property: an opted-out number never gets anything but the compliance message', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const kinds: MessageKind[] = ['text-back', 'reply', 'keyword', 'inbound'];
    const phones: ParsedPhone[] = [{ ok: true, e164: '+15125550123' }, { ok: false, reason: 'anonymous' }, { ok: false, reason: 'invalid-number' }];
    const lines: (LineType | null)[] = ['mobile', 'landline', 'voip', 'toll-free', 'unknown', null];
    const windows: (QuietHours | null)[] = [null, quiet, { ...quiet, exemptImmediate: false }, { start: '00:00', end: '24:00', exemptImmediate: true }, { start: '09:00', end: '09:00', exemptImmediate: true }];
    const zones = [CHI, 'America/New_York', 'America/Phoenix', 'Pacific/Honolulu', 'UTC'];
    for (let i = 0; i < 2000; i++) {
      const input: SendGateInput = {
        kind: pick(kinds),
        to: pick(phones),
        optedOut: true,
        lineType: pick(lines),
        quietHours: pick(windows),
        timezone: pick(zones),
        immediate: rnd() < 0.5,
        now: new Date(Date.parse('2026-01-01T00:00:00Z') + Math.floor(rnd() * 365 * 24 * 60) * 60_000),
      };
      expect(gateSend(input).ok, JSON.stringify(input)).toBe(false);
    }
  });
});
