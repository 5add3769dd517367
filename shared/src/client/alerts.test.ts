import { describe, expect, it } from 'vitest';
import { toneWav } from './alert-sound.js';
import {
  clearSnooze,
  decideAlert,
  defaultAlertSettings,
  dueSnoozes,
  inQuietTime,
  nextSnoozeAt,
  quietNow,
  setSnooze,
  snoozeUntil,
  storedSnoozes,
  type AlertSettings,
  type QuietTime,
} from './alerts.js';
import { readAlertSettings } from './alert-schema.js';

const TZ = 'America/Chicago';
const at = (iso: string) => new Date(iso);
const everyNight: QuietTime = { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '22:00', to: '07:00', mode: 'no-sound' };
const withQuiet = (...q: QuietTime[]): AlertSettings => ({ ...defaultAlertSettings(), quietTimes: q });

describe('quiet times', () => {
  it('wrap midnight: 23:30 and 06:59 are quiet, 07:00 and 21:59 are not (Chicago, CST)', () => {
    expect(inQuietTime(everyNight, at('2026-01-15T05:30:00Z'), TZ)).toBe(true); // 23:30 Wed
    expect(inQuietTime(everyNight, at('2026-01-15T12:59:00Z'), TZ)).toBe(true); // 06:59 Thu
    expect(inQuietTime(everyNight, at('2026-01-15T13:00:00Z'), TZ)).toBe(false); // 07:00
    expect(inQuietTime(everyNight, at('2026-01-16T03:59:00Z'), TZ)).toBe(false); // 21:59
  });

  it('a night past midnight belongs to the day it starts on', () => {
    const friday: QuietTime = { ...everyNight, days: ['fri'] };
    expect(inQuietTime(friday, at('2026-01-17T08:00:00Z'), TZ)).toBe(true); // Sat 02:00, Friday's night
    expect(inQuietTime(friday, at('2026-01-16T08:00:00Z'), TZ)).toBe(false); // Fri 02:00 is Thursday's night
    expect(inQuietTime(friday, at('2026-01-17T05:00:00Z'), TZ)).toBe(true); // Fri 23:00
  });

  it('follow the local clock over the spring DST change', () => {
    // 8 March 2026: 02:00 CST → 03:00 CDT. 12:30Z is 07:30 CDT (not quiet); a fixed -6 offset would say 06:30.
    expect(inQuietTime(everyNight, at('2026-03-08T12:30:00Z'), TZ)).toBe(false);
    expect(inQuietTime(everyNight, at('2026-03-08T11:30:00Z'), TZ)).toBe(true); // 06:30 CDT
    // 1 November 2026: back to CST. 12:30Z is 06:30 CST (quiet); a fixed -5 offset would say 07:30.
    expect(inQuietTime(everyNight, at('2026-11-01T12:30:00Z'), TZ)).toBe(true);
  });

  it('a same-day window and an empty one', () => {
    const lunch: QuietTime = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:00', to: '13:00', mode: 'no-popups' };
    expect(inQuietTime(lunch, at('2026-01-15T18:30:00Z'), TZ)).toBe(true); // Thu 12:30
    expect(inQuietTime(lunch, at('2026-01-17T18:30:00Z'), TZ)).toBe(false); // Sat
    expect(inQuietTime({ ...lunch, to: '12:00' }, at('2026-01-15T18:00:00Z'), TZ)).toBe(false);
  });

  it('the strongest of overlapping windows wins', () => {
    const s = withQuiet(everyNight, { ...everyNight, from: '23:00', to: '05:00', mode: 'mute-all' });
    expect(quietNow(s, at('2026-01-15T04:30:00Z'), TZ)).toBe('no-sound'); // 22:30
    expect(quietNow(s, at('2026-01-15T06:00:00Z'), TZ)).toBe('mute-all'); // 00:00
  });
});

describe('decideAlert', () => {
  const day = at('2026-01-15T16:00:00Z'); // Thu 10:00
  const night = at('2026-01-15T06:00:00Z'); // Thu 00:00
  const missed = { kind: 'missed' as const, urgent: false };
  const urgent = { kind: 'reply' as const, urgent: true };

  it('by day: the chosen sounds; missed calls may group, urgent never', () => {
    const s = { ...defaultAlertSettings(), sound: 'chime' as const, urgentSound: 'bell' as const };
    expect(decideAlert(missed, s, day, TZ)).toEqual({ show: true, sound: 'chime', groupable: true });
    expect(decideAlert({ kind: 'reply', urgent: false }, s, day, TZ)).toEqual({ show: true, sound: 'chime', groupable: false });
    expect(decideAlert(urgent, s, day, TZ)).toEqual({ show: true, sound: 'bell', groupable: false });
    expect(decideAlert({ kind: 'missed', urgent: true }, s, day, TZ).groupable).toBe(false);
  });

  it('urgent only: ordinary callers are not shown, urgent ones are', () => {
    const s = { ...defaultAlertSettings(), urgentOnly: true };
    expect(decideAlert(missed, s, day, TZ).show).toBe(false);
    expect(decideAlert(urgent, s, day, TZ)).toMatchObject({ show: true, sound: 'bell' });
  });

  it('quiet times: no sound, no popups, urgent still loud unless mute all', () => {
    expect(decideAlert(missed, withQuiet(everyNight), night, TZ)).toEqual({ show: true, sound: 'none', groupable: true });
    expect(decideAlert(missed, withQuiet({ ...everyNight, mode: 'no-popups' }), night, TZ).show).toBe(false);
    expect(decideAlert(urgent, withQuiet({ ...everyNight, mode: 'no-popups' }), night, TZ)).toMatchObject({ show: true, sound: 'bell' });
    expect(decideAlert(urgent, withQuiet({ ...everyNight, mode: 'mute-all' }), night, TZ).show).toBe(false);
    expect(decideAlert(missed, withQuiet(everyNight), day, TZ).sound).toBe('chime');
  });

  it('a reminder the user asked for shows even when urgent only or muted, silently in a quiet time', () => {
    const s = { ...withQuiet(everyNight), urgentOnly: true };
    expect(decideAlert({ kind: 'reminder', urgent: false }, s, day, TZ)).toEqual({ show: true, sound: 'chime', groupable: false });
    expect(decideAlert({ kind: 'reminder', urgent: false }, s, night, TZ)).toMatchObject({ show: true, sound: 'none' });
    const muted = { ...withQuiet({ ...everyNight, mode: 'mute-all' }) };
    expect(decideAlert({ kind: 'reminder', urgent: false }, muted, night, TZ)).toMatchObject({ show: true, sound: 'none' });
  });
});

describe('snoozes', () => {
  it('"in 30 min" and "at 2:00 PM" later today', () => {
    const now = Date.parse('2026-01-15T16:00:00Z'); // 10:00 CST
    expect(snoozeUntil({ inMinutes: 30 }, now, TZ)).toBe(now + 30 * 60_000);
    expect(snoozeUntil({ at: '14:00' }, now, TZ)).toBe(Date.parse('2026-01-15T20:00:00Z'));
  });

  it('a time already past is tomorrow, on the local clock across the DST change', () => {
    // Sat 7 March 15:00 CST; tomorrow 14:00 is CDT (19:00Z), not 24 h later (20:00Z).
    expect(snoozeUntil({ at: '14:00' }, Date.parse('2026-03-07T21:00:00Z'), TZ)).toBe(Date.parse('2026-03-08T19:00:00Z'));
  });

  it('one reminder per thread; due ones split from the waiting', () => {
    let list = setSnooze([], { threadId: 'a', at: 300, caller: 'Ana' });
    list = setSnooze(list, { threadId: 'b', at: 100, caller: 'Bo' });
    list = setSnooze(list, { threadId: 'a', at: 200, caller: 'Ana' });
    expect(list.map((s) => [s.threadId, s.at])).toEqual([
      ['b', 100],
      ['a', 200],
    ]);
    expect(nextSnoozeAt(list)).toBe(100);
    const { due, waiting } = dueSnoozes(list, 150);
    expect(due.map((s) => s.threadId)).toEqual(['b']);
    expect(waiting.map((s) => s.threadId)).toEqual(['a']);
    expect(clearSnooze(list, 'a').map((s) => s.threadId)).toEqual(['b']);
    expect(nextSnoozeAt([])).toBeNull();
  });

  it('the light reader takes only well-formed reminders', () => {
    expect(storedSnoozes({ snoozes: [{ threadId: 't', at: 5, caller: 'Ana' }, { threadId: '', at: 1 }, { threadId: 'x', at: -1 }, null, { threadId: 'y', at: 2 }] })).toEqual([
      { threadId: 't', at: 5, caller: 'Ana' },
      { threadId: 'y', at: 2, caller: '' },
    ]);
    expect(storedSnoozes('junk')).toEqual([]);
    expect(storedSnoozes({ snoozes: 'x' })).toEqual([]);
  });

  it('damaged stored settings fall back to the defaults', () => {
    expect(readAlertSettings({ sound: 'siren' })).toEqual(defaultAlertSettings());
    expect(readAlertSettings(undefined)).toEqual(defaultAlertSettings());
    expect(readAlertSettings({ quietTimes: [{ days: ['mon'], from: '25:00', to: '07:00' }] }).quietTimes).toEqual([]);
    expect(readAlertSettings({ urgentOnly: true }).urgentOnly).toBe(true);
  });
});

describe('toneWav', () => {
  it('is a valid PCM WAV whose data length matches its header, and the bell is longer', () => {
    for (const s of ['chime', 'bell'] as const) {
      const w = toneWav(s);
      const v = new DataView(w.buffer);
      expect(String.fromCharCode(...w.subarray(0, 4))).toBe('RIFF');
      expect(String.fromCharCode(...w.subarray(8, 12))).toBe('WAVE');
      expect(v.getUint32(40, true)).toBe(w.length - 44);
      expect(w.some((b, i) => i > 44 && b !== 0)).toBe(true);
    }
    expect(toneWav('bell').length).toBeGreaterThan(toneWav('chime').length);
  });
});
