import { describe, expect, it } from 'vitest';
import { aMessage, aThread } from '@ringback/shared/client/fixtures';
import type { AssistantState } from '@ringback/shared';
import { burstNote, foldMissed, handOffNote, missedCallNote, reminderNote, replyNote } from './notify-rules';

const claimed = (staffId: string) => ({ staffId, staffName: staffId, at: '' });

describe('notification rules', () => {
  it('notifies a new missed call once per call, keyed by thread so it updates in place', () => {
    const t = aThread({ lastMissedAt: '2026-01-01T10:00:00Z' });
    expect(missedCallNote(undefined, t, 'me')).toMatchObject({ id: 't1', title: 'Missed call · (512) 555-1077' });
    expect(missedCallNote(t, { ...t, seq: 2 }, 'me')).toBeNull();
    expect(missedCallNote(t, { ...t, lastMissedAt: '2026-01-01T10:05:00Z', missedCount: 2 }, 'me')?.title).toContain('(2 calls)');
  });
  it('stays quiet while the booking assistant answers the caller, and says why when it hands the caller to the desk', () => {
    const talking: AssistantState = { step: 'question', questionId: 'patient', serviceId: 'cleaning', answers: {}, wish: null, offered: [], textsSinceReply: 0, startedAt: '2026-01-01T10:00:00Z', qualifiedAt: null, bookingId: null, handedOff: null };
    const t = aThread({ seq: 2, assistant: talking });
    expect(replyNote(t, aMessage({ text: 'new' }), 'me')).toBeNull();
    const handed = aThread({ seq: 3, assistant: { ...talking, step: 'handed-off', handedOff: { reason: 'off-script', at: '2026-01-01T10:03:00Z' } } });
    expect(handOffNote(t, handed)).toMatchObject({ id: 't1', title: 'Assistant handed over (512) 555-1077', message: 'Caller went off script', kind: 'reply', urgent: false });
    expect(replyNote(handed, aMessage({ text: 'can someone call me' }), 'me')).not.toBeNull();
    // A claim is not news for the desk, nor a booking, nor a thread it never had.
    expect(handOffNote(t, { ...handed, claim: claimed('riley') })).toBeNull();
    expect(handOffNote(t, aThread({ seq: 3, status: 'resolved', assistant: { ...talking, step: 'booked' } }))).toBeNull();
    expect(handOffNote(aThread(), handed)).toBeNull();
  });
  it("stays quiet for a colleague's thread", () => {
    expect(missedCallNote(undefined, aThread({ claim: claimed('riley') }), 'me')).toBeNull();
    expect(replyNote(aThread({ claim: claimed('riley') }), aMessage(), 'me')).toBeNull();
  });
  it('notifies replies on my and unclaimed threads, not our own texts', () => {
    expect(replyNote(aThread({ claim: claimed('me') }), aMessage({ text: 'yes please' }), 'me')).toMatchObject({ title: 'Reply from (512) 555-1077', message: 'yes please' });
    expect(replyNote(aThread(), aMessage({ direction: 'out' }), 'me')).toBeNull();
  });
  it('folds a burst of missed calls into one notification', () => {
    const now = Date.now();
    expect(burstNote([now - 1000, now - 2000], now)).toBeNull();
    expect(burstNote([now - 1000, now - 2000, now - 60_000, now - 10 * 60_000], now)?.title).toBe('3 missed calls in the last 2 min');
  });
  it('urgent callers get their own note, marked urgent, so the watcher never folds them into a burst', () => {
    const t = aThread({ lastMissedAt: '2026-01-01T10:00:00Z', urgent: true, urgentWords: ['bleeding'] });
    expect(missedCallNote(undefined, t, 'me')).toMatchObject({ id: 't1', title: 'URGENT · Missed call · (512) 555-1077', urgent: true, kind: 'missed' });
    expect(replyNote(t, aMessage({ text: 'my gum is bleeding' }), 'me')).toMatchObject({ title: 'URGENT · Reply from (512) 555-1077', urgent: true, kind: 'reply' });
    expect(missedCallNote(undefined, aThread({ lastMissedAt: '2026-01-01T10:00:00Z' }), 'me')?.urgent).toBe(false);
  });
  it('a reminder replaces the thread\'s own notification, so a click opens that thread', () => {
    expect(reminderNote({ threadId: 't9', at: 0, caller: 'Ana Ruiz' })).toEqual({
      id: 't9',
      title: 'Reminder: call Ana Ruiz back',
      message: 'You asked to be reminded about this caller.',
      kind: 'reminder',
      urgent: false,
    });
  });
  it('an urgent missed call stays its own notification in a burst and does not count towards one', () => {
    const now = Date.now();
    const plain = missedCallNote(undefined, aThread({ id: 't2', lastMissedAt: '2026-01-01T10:00:00Z' }), 'me')!;
    const urgent = missedCallNote(undefined, aThread({ id: 't3', lastMissedAt: '2026-01-01T10:00:00Z', urgent: true }), 'me')!;
    const two = [now - 2000, now - 1000];
    expect(foldMissed(urgent, two, now)).toEqual({ note: urgent, missedAts: two });
    const third = foldMissed(plain, two, now);
    expect(third.note.id).toBe('ringback-burst');
    expect(third.missedAts).toHaveLength(3);
    expect(foldMissed(plain, [], now).note).toBe(plain);
  });
});
