import { describe, expect, it } from 'vitest';
import type { ThreadSummary } from '@ringback/shared';
import { defaultAlertSettings, type AlertSettings } from '@ringback/shared/client';
import { emptyPlanState, plan, reminderDisplay, triggerFor, type Trigger } from './notify-plan.js';

const T0 = Date.parse('2026-03-02T20:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function thread(id: string, over: Partial<ThreadSummary> = {}): ThreadSummary {
  return {
    id,
    seq: 1,
    locationId: 'main',
    trackingNumber: '+15125550100',
    caller: `+1512555${id.padStart(4, '0')}`,
    callerDisplay: `(512) 555-${id.padStart(4, '0')}`,
    callerName: null,
    status: 'open',
    openedAt: iso(T0),
    updatedAt: iso(T0),
    lastMissedAt: iso(T0),
    missedCount: 1,
    lineType: 'mobile',
    optedOut: false,
    textBack: { state: 'sent', reason: null, messageId: 'm', at: iso(T0) },
    voicemail: null,
    claim: null,
    resolution: null,
    lastMessage: null,
    ...over,
  };
}
const missed = (id: string, at = T0, over: Partial<ThreadSummary> = {}): Trigger => ({ kind: 'missed', thread: thread(id, { lastMissedAt: iso(at), ...over }), at });

describe('which changes notify', () => {
  it('a new missed call and a new reply do; other changes do not', () => {
    const a = thread('1');
    expect(triggerFor(undefined, a, 'me')?.kind).toBe('missed');
    expect(triggerFor(a, { ...a, seq: 2, textBack: { state: 'delivered', reason: null, messageId: 'm', at: iso(T0) } }, 'me')).toBeNull();
    const replied = { ...a, seq: 3, lastMessage: { direction: 'in' as const, text: 'call me', at: iso(T0 + 60_000) } };
    expect(triggerFor(a, replied, 'me')).toMatchObject({ kind: 'reply', at: T0 + 60_000 });
    expect(triggerFor(a, { ...a, seq: 4, lastMissedAt: iso(T0 + 120_000), missedCount: 2 }, 'me')?.kind).toBe('missed');
    // Our own outgoing text is not news.
    expect(triggerFor(a, { ...a, seq: 5, lastMessage: { direction: 'out', text: 'hi', at: iso(T0 + 1) } }, 'me')).toBeNull();
  });

  it('never for threads claimed by someone else, nor resolved, nor an older copy', () => {
    const a = thread('1', { seq: 5 });
    const theirs = { ...a, seq: 6, lastMissedAt: iso(T0 + 1), claim: { staffId: 'riley', staffName: 'Riley', at: iso(T0) } };
    expect(triggerFor(a, theirs, 'me')).toBeNull();
    expect(triggerFor(a, { ...theirs, claim: { ...theirs.claim, staffId: 'me' } }, 'me')?.kind).toBe('missed');
    expect(triggerFor(a, { ...a, seq: 6, status: 'resolved', lastMissedAt: iso(T0 + 1) }, 'me')).toBeNull();
    expect(triggerFor(a, { ...a, seq: 4, lastMissedAt: iso(T0 + 1) }, 'me')).toBeNull();
  });
});

describe('the booking assistant', () => {
  const talking = { step: 'offer' as const, questionId: null, serviceId: 'cleaning', answers: {}, wish: null, offered: [], textsSinceReply: 0, startedAt: iso(T0), qualifiedAt: null, bookingId: null, handedOff: null };
  it('replies it answers are not news; its hand-off to nobody is, saying why', () => {
    const a = thread('1', { seq: 2, assistant: talking });
    const replied = { ...a, seq: 3, lastMessage: { direction: 'in' as const, text: '2', at: iso(T0 + 60_000) } };
    expect(triggerFor(a, replied, 'me')).toBeNull();
    const handed = {
      ...replied,
      seq: 4,
      assistant: { ...talking, step: 'handed-off' as const, handedOff: { reason: 'calendar-down' as const, at: iso(T0 + 61_000) } },
      lastMessage: { direction: 'out' as const, text: 'Someone from the front desk will text you shortly.', at: iso(T0 + 61_000), kind: 'assistant' as const },
    };
    const trigger = triggerFor(replied, handed, 'me');
    expect(trigger).toMatchObject({ kind: 'reply', at: T0 + 61_000 });
    const { show } = plan(emptyPlanState(), [trigger!], T0 + 62_000, null);
    expect(show).toEqual([expect.objectContaining({ key: 'thread:1', title: 'Assistant handed over (512) 555-0001', body: 'Calendar unreachable' })]);
    // A colleague's claim is their hand-off, not mine to hear about.
    expect(triggerFor(replied, { ...handed, claim: { staffId: 'riley', staffName: 'Riley', at: iso(T0) } }, 'me')).toBeNull();
  });
});

describe('notification plan', () => {
  it('one notification per thread, keyed so it is updated in place', () => {
    const r = plan(emptyPlanState(), [missed('1')], T0 + 1000, null);
    expect(r.show).toEqual([{ key: 'thread:1', title: 'Missed call · (512) 555-0001', body: 'Texted back automatically', threadId: '1', sound: 'chime' }]);
    const reply: Trigger = { kind: 'reply', thread: thread('1', { lastMessage: { direction: 'in', text: 'Can you\ncall me back?', at: iso(T0 + 5000) } }), at: T0 + 5000 };
    const r2 = plan(r.state, [reply], T0 + 6000, null);
    expect(r2.show).toEqual([{ key: 'thread:1', title: 'Reply from (512) 555-0001', body: 'Can you call me back?', threadId: '1', sound: 'chime' }]);
    expect(r2.state.shown).toEqual(['thread:1']);
  });

  it('says what to do when no text went out', () => {
    const r = plan(emptyPlanState(), [missed('1', T0, { lineType: 'landline', textBack: { state: 'skipped', reason: 'landline', messageId: null, at: null } }), missed('2', T0, { callerName: 'Ana Ruiz', textBack: { state: 'failed', reason: null, messageId: 'x', at: null } })], T0, null);
    expect(r.show.map((d) => `${d.title} / ${d.body}`)).toEqual(['Missed call · (512) 555-0001 / Landline: call back by phone', 'Missed call · Ana Ruiz / Text-back failed: call back']);
  });

  it('a burst of missed calls becomes one grouped notification, replacing the singles', () => {
    let s = emptyPlanState();
    s = plan(s, [missed('1', T0)], T0, null).state;
    s = plan(s, [missed('2', T0 + 30_000)], T0 + 30_000, null).state;
    const r = plan(s, [missed('3', T0 + 60_000), missed('4', T0 + 61_000)], T0 + 62_000, null);
    expect(r.show).toEqual([{ key: 'burst', title: '4 missed calls in the last 2 min', body: '(512) 555-0004, (512) 555-0003, (512) 555-0002 and 1 more', threadId: null, sound: 'chime' }]);
    expect(r.close.sort()).toEqual(['thread:1', 'thread:2']);
    expect(r.state.shown).toEqual(['burst']);
    // The next one updates the same burst notification.
    const r2 = plan(r.state, [missed('5', T0 + 90_000)], T0 + 90_000, null);
    expect(r2.show.map((d) => [d.key, d.title])).toEqual([['burst', '5 missed calls in the last 2 min']]);
  });

  it('many at once in one batch: one notification, not one each', () => {
    const batch = ['1', '2', '3', '4', '5', '6'].map((id) => missed(id, T0));
    const r = plan(emptyPlanState(), batch, T0 + 500, null);
    expect(r.show).toHaveLength(1);
    expect(r.show[0]!.title).toBe('6 missed calls in the last 1 min');
  });

  it('calls spread out are not a burst', () => {
    let s = emptyPlanState();
    const titles: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = plan(s, [missed(String(i), T0 + i * 3 * 60_000)], T0 + i * 3 * 60_000, null);
      s = r.state;
      titles.push(...r.show.map((d) => d.key));
    }
    expect(titles).toEqual(['thread:0', 'thread:1', 'thread:2', 'thread:3']);
  });

  it('quiet while paused, and the pause does not queue them up for later', () => {
    const paused = plan(emptyPlanState(), [missed('1'), missed('2'), missed('3')], T0, T0 + 60_000);
    expect(paused.show).toEqual([]);
    const after = plan(paused.state, [missed('4', T0 + 61_000)], T0 + 61_000, T0 + 60_000);
    expect(after.show.map((d) => d.key)).toEqual(['thread:4']);
  });

  it('ignores stale changes (a resync after a long outage)', () => {
    expect(plan(emptyPlanState(), [missed('1', T0)], T0 + 11 * 60_000, null).show).toEqual([]);
  });
});

describe('alert settings in the plan', () => {
  const TZ = 'America/Chicago'; // T0 is 14:00 there
  const ctx = (over: Partial<AlertSettings> = {}) => ({ settings: { ...defaultAlertSettings(), ...over }, timezone: TZ });
  const urgentReply = (id: string, at: number): Trigger => ({
    kind: 'reply',
    thread: thread(id, { urgent: true, urgentWords: ['bleeding'], lastMessage: { direction: 'in', text: 'my gum is bleeding', at: iso(at) } }),
    at,
  });

  it('an urgent caller keeps their own notification and sound through a burst, and is never folded into it', () => {
    let s = emptyPlanState();
    s = plan(s, [urgentReply('9', T0)], T0, null, ctx()).state;
    const urgentMissed: Trigger = { ...missed('8', T0 + 1000, { urgent: true, urgentWords: ['leak'] }) };
    const r = plan(s, [missed('1', T0 + 1000), missed('2', T0 + 1000), missed('3', T0 + 1000), urgentMissed], T0 + 2000, null, ctx());
    expect(r.show.map((d) => [d.key, d.title, d.sound])).toEqual([
      ['thread:8', 'URGENT · Missed call · (512) 555-0008: leak', 'bell'],
      ['burst', '3 missed calls in the last 1 min', 'chime'],
    ]);
    expect(r.close).not.toContain('thread:9');
    expect(r.state.shown).toContain('thread:9');
  });

  it('urgent only: ordinary callers are not shown, urgent ones are', () => {
    const r = plan(emptyPlanState(), [missed('1'), urgentReply('2', T0)], T0 + 1000, null, ctx({ urgentOnly: true }));
    expect(r.show.map((d) => [d.title, d.sound])).toEqual([['URGENT · Reply from (512) 555-0002', 'bell']]);
  });

  it('a quiet time silences or hides ordinary callers and leaves urgent ones loud', () => {
    const noon = { days: ['mon' as const], from: '13:00', to: '15:00' };
    const silent = plan(emptyPlanState(), [missed('1'), urgentReply('2', T0)], T0 + 1000, null, ctx({ quietTimes: [{ ...noon, mode: 'no-sound' }] }));
    expect(silent.show.map((d) => d.sound)).toEqual(['bell', 'none']);
    const hidden = plan(emptyPlanState(), [missed('1'), urgentReply('2', T0)], T0 + 1000, null, ctx({ quietTimes: [{ ...noon, mode: 'no-popups' }] }));
    expect(hidden.show.map((d) => d.key)).toEqual(['thread:2']);
    const muted = plan(emptyPlanState(), [missed('1'), urgentReply('2', T0)], T0 + 1000, null, ctx({ quietTimes: [{ ...noon, mode: 'mute-all' }] }));
    expect(muted.show).toEqual([]);
  });

  it('a reminder opens its thread, and is shown silently while paused', () => {
    const s = { threadId: 't7', at: T0, caller: 'Ana Ruiz' };
    expect(reminderDisplay(s, T0, null, ctx())).toEqual({ key: 'thread:t7', title: 'Reminder: call Ana Ruiz back', body: 'You asked to be reminded about this caller.', threadId: 't7', sound: 'chime' });
    expect(reminderDisplay(s, T0, T0 + 60_000, ctx()).sound).toBe('none');
  });
});
