import { describe, expect, it } from 'vitest';
import { busyFromIcs, clipAndMerge } from './busy-from-ics.js';

const CHICAGO = 'America/Chicago';
const ms = (iso: string) => Date.parse(iso);
const iso = (r: { start: number; end: number }[]) => r.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]);
const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];

// US clocks go forward on Sunday 2026-03-08: Chicago is UTC-6 before, UTC-5 after.
const MARCH = [ms('2026-03-01T00:00:00Z'), ms('2026-03-24T00:00:00Z')] as const;

describe('busy time from calendar objects', () => {
  it('expands a weekly series in its own zone across the DST change and honours EXDATE', () => {
    const weekly = cal(
      ...vevent('weekly', 'DTSTART;TZID=America/Chicago:20260223T090000', 'DTEND;TZID=America/Chicago:20260223T100000',
        'RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=America/Chicago:20260309T090000', 'SUMMARY:Staff meeting'),
    );
    const r = busyFromIcs([weekly], ...MARCH, CHICAGO);
    expect(iso(r.intervals)).toEqual([
      ['2026-03-02T15:00:00.000Z', '2026-03-02T16:00:00.000Z'],
      ['2026-03-16T14:00:00.000Z', '2026-03-16T15:00:00.000Z'],
      ['2026-03-23T14:00:00.000Z', '2026-03-23T15:00:00.000Z'],
    ]);
    expect(r.unreadable).toBe(0);
  });

  it('series running for years land on the right days and hours (fast-forwarded, not walked from DTSTART)', () => {
    const old = [
      // Every other Tuesday since 2018-01-09, 12:00-13:00 Chicago: 2026-03-10 is 426 weeks on (one), 03-03 and 03-17 are not.
      cal(...vevent('fortnight', 'DTSTART;TZID=America/Chicago:20180109T120000', 'DTEND;TZID=America/Chicago:20180109T130000', 'RRULE:FREQ=WEEKLY;INTERVAL=2')),
      // Daily since 2015 at 07:00 UTC, weekdays only, with an occurrence from 2016 moved into the window.
      cal(
        ...vevent('daily', 'DTSTART:20150105T070000Z', 'DTEND:20150105T071500Z', 'RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR'),
        ...vevent('daily', 'RECURRENCE-ID:20160105T070000Z', 'DTSTART:20260307T100000Z', 'DTEND:20260307T110000Z'),
      ),
    ];
    const t0 = Date.now();
    const r = busyFromIcs(old, ms('2026-03-05T00:00:00Z'), ms('2026-03-11T00:00:00Z'), CHICAGO);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(iso(r.intervals)).toEqual([
      ['2026-03-05T07:00:00.000Z', '2026-03-05T07:15:00.000Z'], // Thu
      ['2026-03-06T07:00:00.000Z', '2026-03-06T07:15:00.000Z'], // Fri
      ['2026-03-07T10:00:00.000Z', '2026-03-07T11:00:00.000Z'], // Sat: the moved 2016 occurrence
      ['2026-03-09T07:00:00.000Z', '2026-03-09T07:15:00.000Z'], // Mon
      ['2026-03-10T07:00:00.000Z', '2026-03-10T07:15:00.000Z'], // Tue
      ['2026-03-10T17:00:00.000Z', '2026-03-10T18:00:00.000Z'], // the fortnightly Tuesday, 12:00 CDT
    ]);
  });

  it('uses the VTIMEZONE of an object whose TZID is not a zone name the platform knows', () => {
    const outlook = cal(
      'BEGIN:VTIMEZONE', 'TZID:Central Standard Time',
      'BEGIN:STANDARD', 'DTSTART:16011104T020000', 'RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11', 'TZOFFSETFROM:-0500', 'TZOFFSETTO:-0600', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:16010311T020000', 'RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3', 'TZOFFSETFROM:-0600', 'TZOFFSETTO:-0500', 'END:DAYLIGHT',
      'END:VTIMEZONE',
      ...vevent('o1', 'DTSTART;TZID=Central Standard Time:20260310T080000', 'DTEND;TZID=Central Standard Time:20260310T083000'),
    );
    expect(iso(busyFromIcs([outlook], ...MARCH, CHICAGO).intervals)).toEqual([['2026-03-10T13:00:00.000Z', '2026-03-10T13:30:00.000Z']]);
  });

  it('reads a moved occurrence from its override and skips a cancelled one', () => {
    const series = cal(
      ...vevent('daily', 'DTSTART:20260302T170000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=4'),
      ...vevent('daily', 'RECURRENCE-ID:20260303T170000Z', 'DTSTART:20260303T200000Z', 'DTEND:20260303T203000Z'),
      ...vevent('daily', 'RECURRENCE-ID:20260304T170000Z', 'DTSTART:20260304T170000Z', 'DTEND:20260304T180000Z', 'STATUS:CANCELLED'),
    );
    expect(iso(busyFromIcs([series], ...MARCH, CHICAGO).intervals)).toEqual([
      ['2026-03-02T17:00:00.000Z', '2026-03-02T18:00:00.000Z'],
      ['2026-03-03T20:00:00.000Z', '2026-03-03T20:30:00.000Z'],
      ['2026-03-05T17:00:00.000Z', '2026-03-05T18:00:00.000Z'],
    ]);
  });

  it('skips transparent and cancelled events; an all-day event blocks the local day; floating times are local', () => {
    const objects = [
      cal(...vevent('free', 'DTSTART:20260305T150000Z', 'DTEND:20260305T160000Z', 'TRANSP:TRANSPARENT')),
      cal(...vevent('off', 'DTSTART:20260305T170000Z', 'DTEND:20260305T180000Z', 'STATUS:CANCELLED')),
      // Two all-day days that straddle the DST change: 24 h then 23 h long in Chicago.
      cal(...vevent('closed', 'DTSTART;VALUE=DATE:20260307', 'DTEND;VALUE=DATE:20260309')),
      cal(...vevent('floating', 'DTSTART:20260312T090000', 'DTEND:20260312T093000')),
      cal(...vevent('no-end', 'DTSTART;VALUE=DATE:20260320')),
    ];
    expect(iso(busyFromIcs(objects, ...MARCH, CHICAGO).intervals)).toEqual([
      ['2026-03-07T06:00:00.000Z', '2026-03-09T05:00:00.000Z'],
      ['2026-03-12T14:00:00.000Z', '2026-03-12T14:30:00.000Z'],
      ['2026-03-20T05:00:00.000Z', '2026-03-21T05:00:00.000Z'],
    ]);
  });

  it('clips to the window, merges overlaps, counts unreadable objects and caps a degenerate rule', () => {
    const objects = [
      cal(...vevent('a', 'DTSTART:20260228T230000Z', 'DTEND:20260301T010000Z')),
      cal(...vevent('b', 'DTSTART:20260301T003000Z', 'DTEND:20260301T020000Z')),
      cal(...vevent('c', 'DTSTART:20260301T020000Z', 'DTEND:20260301T023000Z')),
      'not a calendar',
      // Every second since 2000: the window is never reached within the cap, and the read still ends.
      cal(...vevent('storm', 'DTSTART:20000101T000000Z', 'DTEND:20000101T000001Z', 'RRULE:FREQ=SECONDLY')),
    ];
    const t0 = Date.now();
    const r = busyFromIcs(objects, ...MARCH, CHICAGO);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(iso(r.intervals)).toEqual([['2026-03-01T00:00:00.000Z', '2026-03-01T02:30:00.000Z']]);
    expect(r.unreadable).toBe(1);
    expect(clipAndMerge([{ start: 5, end: 9 }, { start: 1, end: 3 }, { start: 3, end: 4 }], 2, 8)).toEqual([
      { start: 2, end: 4 },
      { start: 5, end: 8 },
    ]);
  });
});
