import { describe, expect, it } from 'vitest';
import { aThread } from '../client/fixtures.js';
import { answerRows, assistantActive, handOffLine, shortDay, slotText } from './assistant-format.js';
import type { AssistantState } from '../contract/booking.js';

const plain = (s: string) => s.replace(/\s/g, ' ');
const state = (over: Partial<AssistantState> = {}): AssistantState => ({
  step: 'service', questionId: null, serviceId: null, answers: {}, wish: null, offered: [], textsSinceReply: 1,
  startedAt: '2026-12-01T10:00:00Z', qualifiedAt: null, bookingId: null, handedOff: null, ...over,
});

describe('assistant labels', () => {
  it('names days as a desk does, by the location’s calendar day, not the machine’s', () => {
    const now = Date.parse('2026-12-02T05:30:00Z'); // 23:30 on Dec 1 in Chicago
    const tz = 'America/Chicago';
    expect(shortDay('2026-12-02T05:45:00Z', tz, now)).toBe('today'); // 23:45 Dec 1
    expect(shortDay('2026-12-02T15:00:00Z', tz, now)).toBe('tomorrow');
    expect(shortDay('2026-12-04T15:00:00Z', tz, now)).toBe('Fri');
    expect(shortDay('2026-12-12T15:00:00Z', tz, now)).toBe('Dec 12');
    expect(shortDay('2026-11-30T15:00:00Z', tz, now)).toBe('Nov 30');
  });

  it('reads a slot across the spring-forward night in the zone in force at its end', () => {
    // 2026-03-08 in Chicago: 9:00 CDT is 14:00Z (the day started in CST).
    expect(plain(slotText('2026-03-08T14:00:00Z', '2026-03-08T15:00:00Z', 'America/Chicago'))).toBe('Sun, Mar 8 · 9:00 – 10:00 AM CDT');
  });

  it('keeps answers to questions it has no label for, and ids of unknown choices, rather than hiding them', () => {
    const rows = answerRows(state({ serviceId: 'x-ray', answers: { zip: '78701', patient: 'new' } }), {
      services: [],
      questions: [{ id: 'patient', ask: 'New or existing?', options: [{ id: 'new', label: 'New' }, { id: 'existing', label: 'Existing' }] }],
    });
    expect(rows).toEqual([
      { question: 'Service', answer: 'x-ray' },
      { question: 'New or existing?', answer: 'New' },
      { question: 'zip', answer: '78701' },
    ]);
  });

  it('is active only while open, unclaimed and mid-conversation', () => {
    expect(assistantActive(aThread({ assistant: state() }))).toBe(true);
    expect(assistantActive(aThread())).toBe(false);
    expect(assistantActive(aThread({ assistant: state(), claim: { staffId: 'r', staffName: 'Riley', at: '2026-12-01T10:00:00Z' } }))).toBe(false);
    expect(assistantActive(aThread({ assistant: state(), status: 'resolved' }))).toBe(false);
    expect(assistantActive(aThread({ assistant: state({ step: 'booked' }) }))).toBe(false);
    expect(assistantActive(aThread({ assistant: state({ handedOff: { reason: 'text-cap', at: '2026-12-01T10:00:00Z' } }) }))).toBe(false);
  });

  it('says "Claimed by staff" when the claim that stopped it has since been released', () => {
    expect(handOffLine(aThread({ assistant: state({ step: 'handed-off', handedOff: { reason: 'claimed', at: '2026-12-01T10:00:00Z' } }) }))).toBe('Claimed by staff');
  });
});
