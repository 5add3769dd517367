import { describe, expect, it } from 'vitest';
import { aThread } from '@ringback/shared/client/fixtures';
import { badgeFor, BADGE_RED } from './badge';

const now = Date.now();
const ago = (min: number) => new Date(now - min * 60_000).toISOString();

describe('toolbar badge', () => {
  it('counts unclaimed threads, amber while within the SLA', () => {
    const open = [aThread({ id: 'a', lastMissedAt: ago(1) }), aThread({ id: 'b', claim: { staffId: 'x', staffName: 'R', at: ago(1) } })];
    expect(badgeFor({ kind: 'threads', open, now, claimMinutes: 5 })).toMatchObject({ text: '1', color: '#a35f00' });
  });
  it('turns red when one breaches the claim SLA', () => {
    const b = badgeFor({ kind: 'threads', open: [aThread({ lastMissedAt: ago(6) })], now, claimMinutes: 5 });
    expect(b).toMatchObject({ text: '1', color: BADGE_RED });
    expect(b.title).toContain('1 over SLA');
  });
  it('leaves out callers the booking assistant is serving, and counts them again once it hands over', () => {
    const talking = { step: 'offer' as const, questionId: null, serviceId: 'cleaning', answers: {}, wish: null, offered: [], textsSinceReply: 1, startedAt: ago(2), qualifiedAt: null, bookingId: null, handedOff: null };
    expect(badgeFor({ kind: 'threads', open: [aThread({ lastMissedAt: ago(1), assistant: talking })], now, claimMinutes: 5 }).text).toBe('');
    const handed = { ...talking, step: 'handed-off' as const, handedOff: { reason: 'off-script' as const, at: ago(0) } };
    expect(badgeFor({ kind: 'threads', open: [aThread({ lastMissedAt: ago(1), assistant: handed })], now, claimMinutes: 5 }).text).toBe('1');
  });
  it('is empty when caught up and says when it cannot know', () => {
    expect(badgeFor({ kind: 'threads', open: [], now, claimMinutes: 5 }).text).toBe('');
    expect(badgeFor({ kind: 'unauthorized' }).text).toBe('!');
    expect(badgeFor({ kind: 'offline' }).text).toBe('?');
  });
});
