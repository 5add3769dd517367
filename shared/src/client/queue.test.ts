import { describe, expect, it } from 'vitest';
import { aThread } from './fixtures.js';
import { breachesSla, isFiltered, matchesFilter, noFilter, queueCounts, queueRows, rowState, type QueueFilter } from './queue.js';

const now = Date.parse('2026-03-02T16:00:00Z');
const ago = (min: number) => new Date(now - min * 60_000).toISOString();
const ctx = { meId: 'me', now, claimMinutes: 5, timezone: 'America/Chicago' };
const claim = (staffId: string) => ({ staffId, staffName: staffId === 'me' ? 'Ana' : 'Riley', at: ago(1) });

describe('queue views', () => {
  const open = [
    aThread({ id: 'fresh', lastMissedAt: ago(2) }),
    aThread({ id: 'late', lastMissedAt: ago(9) }),
    aThread({ id: 'mine', lastMissedAt: ago(30), claim: claim('me') }),
    aThread({ id: 'theirs', lastMissedAt: ago(40), claim: claim('riley') }),
    aThread({ id: 'replied', lastMissedAt: ago(1), lastMessage: { direction: 'in', text: 'hi', at: ago(0) } }),
  ];
  const resolved = [
    aThread({ id: 'today', status: 'resolved', resolution: { outcome: 'booked', value: 1, staffId: 'me', staffName: 'Ana', at: ago(60) } }),
    aThread({ id: 'yesterday', status: 'resolved', resolution: { outcome: 'spam', value: 0, staffId: 'me', staffName: 'Ana', at: ago(60 * 30) } }),
  ];

  it('sorts by urgency (past SLA, caller waiting on us, unclaimed, mine, others) then wait', () => {
    expect(queueRows('open', open, resolved, ctx).map((t) => t.id)).toEqual(['late', 'replied', 'fresh', 'mine', 'theirs']);
  });

  it('filters each view and counts them, with SLA breaches', () => {
    expect(queueRows('unclaimed', open, resolved, ctx).map((t) => t.id)).toEqual(['late', 'replied', 'fresh']);
    expect(queueRows('mine', open, resolved, ctx).map((t) => t.id)).toEqual(['mine']);
    expect(queueRows('done', open, resolved, ctx).map((t) => t.id)).toEqual(['today']);
    expect(queueCounts(open, resolved, ctx)).toEqual({ unclaimed: 3, mine: 1, open: 5, done: 1, breached: 1 });
  });

  it('names the row state that drives its colour', () => {
    expect(open.map((t) => rowState(t, 'me', now, 5))).toEqual(['unclaimed', 'breached', 'mine', 'theirs', 'unclaimed']);
    expect(breachesSla(open[2]!, now, 5)).toBe(false);
  });
});

describe("the relay's triage and SLA marks", () => {
  it('urgent threads rise to the top, above those past SLA', () => {
    const open = [
      aThread({ id: 'late', lastMissedAt: ago(30) }),
      aThread({ id: 'urgent', lastMissedAt: ago(1), urgent: true, urgentWords: ['flooding'] }),
      aThread({ id: 'theirs-urgent', lastMissedAt: ago(40), urgent: true, claim: claim('riley') }),
    ];
    expect(queueRows('open', open, [], ctx).map((t) => t.id)).toEqual(['urgent', 'late', 'theirs-urgent']);
  });
  it("the relay's escalation mark (open hours only) wins over the local clock when present", () => {
    expect(breachesSla(aThread({ lastMissedAt: ago(30), escalation: null }), now, 5)).toBe(false);
    expect(breachesSla(aThread({ lastMissedAt: ago(1), escalation: { reason: 'unclaimed', at: ago(0), since: ago(1) } }), now, 5)).toBe(true);
    expect(breachesSla(aThread({ lastMissedAt: ago(30) }), now, 5)).toBe(true);
  });
});

describe('matchesFilter', () => {
  const f = (over: Partial<QueueFilter>): QueueFilter => ({ ...noFilter, ...over });
  const ana = aThread({ caller: '+15125551077', callerName: 'RUIZ ANA', locationId: 'north', voicemail: { url: 'x', durationSec: 3 } });
  const land = aThread({ caller: '+17375550100', lineType: 'landline', urgent: true, lastMessage: { direction: 'in', text: 'hi', at: new Date().toISOString() } });
  it('finds names in any order and case, and numbers however they are typed', () => {
    expect(matchesFilter(ana, f({ q: 'ana ruiz' }))).toBe(true);
    expect(matchesFilter(ana, f({ q: 'ANA' }))).toBe(true);
    expect(matchesFilter(ana, f({ q: '(512) 555-10' }))).toBe(true);
    expect(matchesFilter(ana, f({ q: '1077' }))).toBe(true);
    expect(matchesFilter(ana, f({ q: '+1 512 555 1077' }))).toBe(true);
    expect(matchesFilter(ana, f({ q: '0100' }))).toBe(false);
    expect(matchesFilter(ana, f({ q: 'bob' }))).toBe(false);
  });
  it('every flag must hold, and the location must match', () => {
    expect(matchesFilter(ana, f({ voicemail: true }))).toBe(true);
    expect(matchesFilter(ana, f({ voicemail: true, urgent: true }))).toBe(false);
    expect(matchesFilter(land, f({ urgent: true, replied: true, landline: true }))).toBe(true);
    expect(matchesFilter(ana, f({ location: 'north' }))).toBe(true);
    expect(matchesFilter(land, f({ location: 'north' }))).toBe(false);
    expect(isFiltered(noFilter)).toBe(false);
    expect(isFiltered(f({ q: '  ' }))).toBe(false);
    expect(isFiltered(f({ landline: true }))).toBe(true);
  });
});
