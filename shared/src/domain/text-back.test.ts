import { describe, it, expect } from 'vitest';
import type { LineType } from '../contract/model.js';
import { decideTextBack, isDuplicateTextBack, type TextBackInput } from './text-back.js';

const now = new Date('2026-01-06T15:00:00Z');
const base: TextBackInput = {
  caller: { ok: true, e164: '+15125550123' },
  optedOut: false,
  lineType: 'mobile',
  lastTextBackAt: null,
  dedupeMinutes: 30,
  hadVoicemail: false,
  afterHours: false,
  now,
};
const decide = (over: Partial<TextBackInput>) => decideTextBack({ ...base, ...over });
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

describe('decideTextBack', () => {
  it('sends the missed template by default', () => {
    expect(decide({})).toEqual({ send: true, template: 'missed' });
  });
  it('picks voicemail over afterHours over missed', () => {
    expect(decide({ hadVoicemail: true, afterHours: true })).toEqual({ send: true, template: 'voicemail' });
    expect(decide({ afterHours: true })).toEqual({ send: true, template: 'afterHours' });
  });
  it('skips withheld and invalid numbers first', () => {
    const all = { optedOut: true, lineType: 'landline' as const, lastTextBackAt: minutesAgo(1) };
    expect(decide({ ...all, caller: { ok: false, reason: 'anonymous' } })).toEqual({ send: false, reason: 'anonymous' });
    expect(decide({ ...all, caller: { ok: false, reason: 'invalid-number' } })).toEqual({ send: false, reason: 'invalid-number' });
  });
  it('then opted out, then landline, then duplicate', () => {
    expect(decide({ optedOut: true, lineType: 'landline', lastTextBackAt: minutesAgo(1) })).toEqual({ send: false, reason: 'opted-out' });
    expect(decide({ lineType: 'landline', lastTextBackAt: minutesAgo(1) })).toEqual({ send: false, reason: 'landline' });
    expect(decide({ lastTextBackAt: minutesAgo(1) })).toEqual({ send: false, reason: 'duplicate' });
  });
  it.each<LineType | null>(['mobile', 'voip', 'toll-free', 'unknown', null])('sends to line type %s', (lineType) => {
    expect(decide({ lineType }).send).toBe(true);
  });
});

describe('isDuplicateTextBack', () => {
  it.each([
    [null, 30, false],
    [minutesAgo(0), 30, true],
    [minutesAgo(29.9), 30, true],
    [minutesAgo(30), 30, false], // the window is [last, last + dedupe)
    [minutesAgo(31), 30, false],
    [minutesAgo(1), 0, false], // 0 disables dedupe
    [new Date(now.getTime() + 60_000).toISOString(), 30, true], // clock skew: a future one still counts
    ['not a date', 30, false],
  ])('last %s, window %d min → %s', (last, minutes, dup) => {
    expect(isDuplicateTextBack(last, minutes, now)).toBe(dup);
  });
});
