import { describe, expect, it } from 'vitest';
import type { Metrics, ThreadSummary } from '@ringback/shared';
import { duration, figures, funnelStrip, hours, leaderboard, minutes, nowTiles, timings, waitingRows } from './wall-model.js';

/** The seed relay's Metrics: no hours, staff or p90 claim (the wall must still work against it). */
const seed = {
  from: '', to: '', inbound: 30, missed: 20, texted: 18, delivered: 17, replied: 9, claimed: 12, booked: 5, revenue: 1750,
  openUnclaimed: 2, breachingSla: 1, medianTimeToTextSec: 0.84, p90TimeToTextSec: 2.2, medianTimeToClaimSec: 150,
} as unknown as Metrics;

describe('wall model', () => {
  it('figures with their share, and money', () => {
    const f = figures(seed);
    expect(f.map((x) => `${x.label} ${x.text} ${x.note ?? ''}`.trim())).toEqual([
      'Missed 20',
      'Texted 18 90% of missed',
      'Delivered 17 94% of texted',
      'Replied 9 50% of texted',
      'Claimed 12 60% of missed',
      'Booked 5 25% of missed',
      'Recovered $1,750 booked today',
    ]);
    expect(f.find((x) => x.key === 'missed')!.tone).toBe('amber');
  });

  it('no shares on a quiet day', () => {
    const quiet = { ...seed, missed: 0, texted: 0, delivered: 0, replied: 0, claimed: 0, booked: 0, revenue: 0 } as Metrics;
    expect(figures(quiet).every((f) => f.tone === 'plain' && (f.note === null || f.key === 'revenue'))).toBe(true);
  });

  it('timings hide what the relay does not send, dash what it cannot compute, and flag the SLA', () => {
    expect(timings(seed, 5).map((t) => [t.label, t.text, t.over])).toEqual([
      ['Median time to text', '0.8 s', false],
      ['p90 time to text', '2.2 s', false],
      ['Median time to claim', '3 min', false],
    ]);
    const later = { ...seed, medianTimeToClaimSec: 400, p90TimeToClaimSec: null } as Metrics;
    expect(timings(later, 5).slice(2).map((t) => [t.text, t.over])).toEqual([['7 min', true], ['—', false]]);
  });

  it('funnel strip: null without the field; each step with its share of the one before, who booked, the median to book', () => {
    expect(funnelStrip(seed)).toBeNull();
    const m = {
      ...seed,
      funnel: { missed: 20, texted: 18, replied: 9, qualified: 6, booked: 4, bookedBy: { assistant: 3, self: 0, staff: 1 }, medianTimeToBookingSec: 2280, p90TimeToBookingSec: 7200 },
    } as unknown as Metrics;
    const f = funnelStrip(m)!;
    expect(f.steps.map((s) => `${s.label} ${s.value} ${s.rate ?? ''}`.trim())).toEqual(['Missed 20', 'Texted 18 90%', 'Responded 9 50%', 'Qualified 6 67%', 'Booked 4 67%']);
    expect(f.steps.find((s) => s.key === 'booked')!.tone).toBe('green');
    expect(f.by).toBe('3 assistant · 1 staff');
    expect(f.timeToBooking).toBe('38 min');
    expect(f.variants).toBeNull();
    const ab = funnelStrip({
      ...m,
      funnel: {
        ...(m as unknown as { funnel: object }).funnel,
        byVariant: [
          { experiment: 'assistant-ab', variant: 'off', texted: 10, booked: 1, rate: 0.1 },
          { experiment: 'assistant-ab', variant: 'on', texted: 10, booked: 4, rate: 0.4 },
          { experiment: 'hook', variant: 'B', texted: 0, booked: 1, rate: null },
        ],
      },
    } as unknown as Metrics)!;
    expect(ab.variants).toBe('A/B booked: off 10% · on 40%');
    const quiet = funnelStrip({ ...m, funnel: { missed: 2, texted: 0, replied: 0, qualified: 0, booked: 0, bookedBy: { assistant: 0, self: 0, staff: 0 }, medianTimeToBookingSec: null, p90TimeToBookingSec: null } } as unknown as Metrics)!;
    expect(quiet.steps.map((s) => s.rate)).toEqual([null, '0%', null, null, null]);
    expect(quiet.steps.every((s) => s.tone === 'plain')).toBe(true);
    expect([quiet.by, quiet.timeToBooking]).toEqual([null, null]);
  });

  it('durations read naturally', () => {
    expect([0.02, 0.84, 42, 150, 3600, 3900].map(duration)).toEqual(['< 0.1 s', '0.8 s', '42 s', '3 min', '1 h', '1 h 5 min']);
  });

  it('hours: null without the field; otherwise the working day with the usual line', () => {
    expect(hours(seed, 14)).toBeNull();
    const m = { ...seed, byHour: [{ hour: 9, missed: 3, answered: 5 }, { hour: 20, missed: 1, answered: 0 }], usualByHour: [{ hour: 10, missed: 1.5 }] } as unknown as Metrics;
    const h = hours(m, 14)!;
    expect(h[0]).toEqual({ hour: 8, label: '8a', missed: 0, usual: 0, over: false });
    expect(h.at(-1)).toEqual({ hour: 20, label: '8p', missed: 1, usual: 0, over: false });
    expect(h.find((b) => b.hour === 9)!.over).toBe(true); // 3 against a usual 0 on a day with history
    const noHistory = { ...m, usualByHour: [] } as unknown as Metrics;
    expect(hours(noHistory, 14)!.some((b) => b.over)).toBe(false);
    expect(h.find((b) => b.hour === 10)!.usual).toBe(1.5);
    expect(hours({ ...m, usualByHour: null } as Metrics, 14)![0]!.usual).toBeNull();
  });

  it('leaderboard: null without the field, idle staff left out, bookings first', () => {
    expect(leaderboard(seed)).toBeNull();
    const m = {
      ...seed,
      staff: [
        { staffId: 'a', name: 'Sam', claimed: 6, replied: 6, booked: 3 },
        { staffId: 'b', name: 'Riley', claimed: 9, replied: 8, booked: 4 },
        { staffId: 'c', name: 'Idle', claimed: 0, replied: 0, booked: 0 },
      ],
    } as unknown as Metrics;
    expect(leaderboard(m)!.map((r) => r.name)).toEqual(['Riley', 'Sam']);
  });
});

describe('the wall about right now', () => {
  const now = Date.parse('2026-01-06T14:30:00Z');
  const minAgo = (m: number) => new Date(now - m * 60_000).toISOString();
  let n = 0;
  const t = (over: Partial<ThreadSummary>): ThreadSummary =>
    ({
      id: `t${++n}`, seq: n, locationId: 'main', trackingNumber: '+15125550100', caller: `+1512555${String(1000 + n)}`, callerDisplay: `(512) 555-${1000 + n}`,
      callerName: null, status: 'open', openedAt: minAgo(1), updatedAt: minAgo(1), lastMissedAt: minAgo(1), missedCount: 1, lineType: null, optedOut: false,
      textBack: null, voicemail: null, claim: null, resolution: null, lastMessage: null, escalation: null, ...over,
    }) as ThreadSummary;
  const late = (m: number) => ({ lastMissedAt: minAgo(m), escalation: { reason: 'unclaimed' as const, since: minAgo(m), at: minAgo(m - 5) } });
  const claim = { staffId: 's1', staffName: 'Riley', at: minAgo(1) };

  it('tiles: waiting, past SLA by the relay mark (not the clock), urgent, oldest wait in clock time', () => {
    const night = t({ lastMissedAt: minAgo(420) }); // 1:30 AM call at 8:30: the relay says within the SLA
    const threads = [night, t(late(12)), t({ urgent: true }), t({ urgent: true, claim }), t({ claim }), t({ status: 'resolved', lastMissedAt: minAgo(600) })];
    const tiles = nowTiles(threads, now, 5);
    expect(tiles.map((f) => [f.label, f.text, f.tone])).toEqual([
      ['Waiting now', '3', 'amber'],
      ['Past SLA', '1', 'red'],
      ['Urgent', '2', 'red'],
      ['Oldest wait', '7 h', 'amber'], // clock time, but amber: the relay counts no open minute past the SLA
    ]);
    expect(tiles.find((f) => f.key === 'urgent')!.note).toBe('1 not claimed');
    expect(tiles.find((f) => f.key === 'oldest')!.steady).toBe(true);
    expect(nowTiles([t(late(61))], now, 5).find((f) => f.key === 'oldest')!).toMatchObject({ text: '1 h 1 min', tone: 'red' });
  });

  it('tiles on a quiet morning', () => {
    expect(nowTiles([], now, 5).map((f) => [f.text, f.tone, f.note])).toEqual([
      ['0', 'green', 'all caught up'],
      ['0', 'plain', 'claim within 5 open min'],
      ['0', 'plain', 'none open'],
      ['—', 'plain', 'nobody waiting'],
    ]);
  });

  it('rows: urgent first, then the queue order; "+N more" never hides an urgent caller', () => {
    const calm = Array.from({ length: 9 }, (_, i) => t({ lastMissedAt: minAgo(30 - i) }));
    const wrote = t({ lastMissedAt: minAgo(2), lastMessage: { direction: 'in', text: 'hi', at: minAgo(1) } as ThreadSummary['lastMessage'] });
    const overdue = t(late(40));
    const urgentNewest = t({ urgent: true, lastMissedAt: minAgo(0) });
    const { rows, more } = waitingRows([...calm, wrote, overdue, urgentNewest, t({ claim })], now, 5, 'America/Chicago', 4);
    expect(rows.map((r) => r.id)).toEqual([urgentNewest.id, overdue.id, wrote.id, calm[0]!.id]);
    expect(more).toBe(8);
    // More urgent callers than rows: all of them show.
    const urgents = Array.from({ length: 5 }, (_, i) => t({ urgent: true, lastMissedAt: minAgo(i) }));
    const r2 = waitingRows([...calm, ...urgents], now, 5, 'America/Chicago', 3);
    expect(r2.rows).toHaveLength(5);
    expect(r2.rows.every((r) => r.urgent)).toBe(true);
    expect(r2.more).toBe(9);
  });

  it('minutes read naturally', () => {
    expect([0, 14, 60, 125].map(minutes)).toEqual(['0 min', '14 min', '1 h', '2 h 5 min']);
  });
});
