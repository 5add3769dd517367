import { afterEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../../contract/booking.js';
import { slotLabel, timeWish } from './time-wish.js';

const chicago = 'America/Chicago';
const london = 'Europe/London';
// 2026-12-02 is a Wednesday; Chicago is on CST (UTC-6) in December.
const wedNoon = new Date('2026-12-02T18:00:00Z');
const wish = (text: string, now = wedNoon, timezone = chicago, hours?: Schedule['hours']) => timeWish(text, { now, timezone, hours });
const win = (text: string, now?: Date, timezone?: string, hours?: Schedule['hours']) => {
  const w = wish(text, now, timezone, hours);
  return w && [w.from, w.to];
};
const z = (s: string) => new Date(s).toISOString();
const weekdays: Schedule['hours'] = { mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']], fri: [['08:00', '17:00']] };

describe('timeWish', () => {
  it('maps days and parts of the day to windows in the location zone', () => {
    expect(wish('can I come in tomorrow morning for a cleaning?')).toEqual({ text: 'tomorrow morning', from: z('2026-12-03T14:00Z'), to: z('2026-12-03T18:00Z') });
    expect(win('next Tue morning')).toEqual([z('2026-12-08T14:00Z'), z('2026-12-08T18:00Z')]);
    expect(win('Friday')).toEqual([z('2026-12-04T06:00Z'), z('2026-12-05T06:00Z')]);
    expect(win('friday afternoon please')).toEqual([z('2026-12-04T18:00Z'), z('2026-12-04T23:00Z')]);
    expect(win('Thursday evening')).toEqual([z('2026-12-03T23:00Z'), z('2026-12-04T02:00Z')]);
    expect(win('tomorrow at lunch')).toEqual([z('2026-12-03T17:30Z'), z('2026-12-03T19:30Z')]);
    expect(win('Dec 8')).toEqual([z('2026-12-08T06:00Z'), z('2026-12-09T06:00Z')]);
    expect(win('on the 10th')).toEqual([z('2026-12-10T06:00Z'), z('2026-12-11T06:00Z')]);
    expect(win('monday or tuesday')).toEqual([z('2026-12-07T06:00Z'), z('2026-12-09T06:00Z')]);
  });

  it('reads "after 3", "before 10", ranges and bare hours as business hours', () => {
    expect(wish('tomorrow after 3')).toEqual({ text: 'tomorrow after 3', from: z('2026-12-03T21:00Z'), to: z('2026-12-04T06:00Z') });
    // With the location's hours the day ends at closing time.
    expect(win('tomorrow after 3', wedNoon, chicago, weekdays)).toEqual([z('2026-12-03T21:00Z'), z('2026-12-03T23:00Z')]);
    // Said at noon: today's "before 10" is gone, so it is tomorrow's; with hours it starts at opening.
    expect(win('before 10')).toEqual([z('2026-12-03T06:00Z'), z('2026-12-03T16:00Z')]);
    expect(win('before 10', wedNoon, chicago, weekdays)).toEqual([z('2026-12-03T14:00Z'), z('2026-12-03T16:00Z')]);
    // "after 3" today is still ahead.
    expect(win('after 3')).toEqual([z('2026-12-02T21:00Z'), z('2026-12-03T06:00Z')]);
    expect(win('tomorrow at 3')).toEqual([z('2026-12-03T21:00Z'), z('2026-12-03T22:00Z')]);
    expect(win('Thursday at 10')).toEqual([z('2026-12-03T16:00Z'), z('2026-12-03T17:00Z')]);
    expect(win('2-4pm tomorrow')).toEqual([z('2026-12-03T20:00Z'), z('2026-12-03T22:00Z')]);
    expect(win('tomorrow between 2 and 4')).toEqual([z('2026-12-03T20:00Z'), z('2026-12-03T22:00Z')]);
    expect(win('after 3pm on friday')).toEqual([z('2026-12-04T21:00Z'), z('2026-12-05T06:00Z')]);
    expect(win('after lunch friday')).toEqual([z('2026-12-04T19:00Z'), z('2026-12-05T06:00Z')]);
    expect(win('tomorrow before lunch')).toEqual([z('2026-12-03T06:00Z'), z('2026-12-03T18:00Z')]);
    expect(win('tomorrow before work')).toEqual([z('2026-12-03T06:00Z'), z('2026-12-03T15:00Z')]);
    expect(win('after work on friday')).toEqual([z('2026-12-04T23:00Z'), z('2026-12-05T06:00Z')]);
    expect(win('thursday after school')).toEqual([z('2026-12-03T21:00Z'), z('2026-12-04T06:00Z')]);
    // A bare "6" inside the opening hours is 6 am only when the office is open then.
    expect(win('tomorrow after 7', wedNoon, chicago, { thu: [['06:00', '12:00']] })).toEqual([z('2026-12-03T13:00Z'), z('2026-12-03T18:00Z')]);
  });

  it('reads weeks and weekends', () => {
    expect(wish('next week')).toEqual({ text: 'next week', from: z('2026-12-07T06:00Z'), to: z('2026-12-14T06:00Z') });
    expect(win('sometime this week')).toEqual([z('2026-12-02T18:00Z'), z('2026-12-07T06:00Z')]);
    expect(win('this weekend')).toEqual([z('2026-12-05T06:00Z'), z('2026-12-07T06:00Z')]);
    // Said on a Sunday, next week starts tomorrow.
    expect(win('next week', new Date('2026-12-06T18:00:00Z'))).toEqual([z('2026-12-07T06:00Z'), z('2026-12-14T06:00Z')]);
  });

  it('reads "around", months and text-message spellings', () => {
    expect(wish('Can I come Monday around 11?')).toEqual({ text: 'Monday around 11', from: z('2026-12-07T16:00Z'), to: z('2026-12-07T18:00Z') });
    expect(win('tomorrow 3ish')).toEqual([z('2026-12-03T20:00Z'), z('2026-12-03T22:00Z')]);
    expect(wish('tmrw morn')).toEqual({ text: 'tomorrow morning', from: z('2026-12-03T14:00Z'), to: z('2026-12-03T18:00Z') });
    expect(win('tues afternoon')).toEqual([z('2026-12-08T18:00Z'), z('2026-12-08T23:00Z')]);
    expect(win('early next week')).toEqual([z('2026-12-07T06:00Z'), z('2026-12-10T06:00Z')]);
    expect(win('late next week')).toEqual([z('2026-12-10T06:00Z'), z('2026-12-14T06:00Z')]);
    expect(win('in january')).toEqual([z('2027-01-01T06:00Z'), z('2027-02-01T06:00Z')]);
    expect(win('sometime next month')).toEqual([z('2027-01-01T06:00Z'), z('2027-02-01T06:00Z')]);
    expect(win('this month')).toEqual([z('2026-12-02T18:00Z'), z('2027-01-01T06:00Z')]);
    // A count is not a clock time.
    expect(win('in about 2 weeks')).toEqual([z('2026-12-16T06:00Z'), z('2026-12-17T06:00Z')]);
  });

  it('reads "asap" and "any time" as from now on', () => {
    expect(wish('asap please')).toEqual({ text: 'asap', from: z('2026-12-02T18:00Z'), to: z('2027-05-31T18:00Z') });
    expect(win('any time works')?.[0]).toBe(z('2026-12-02T18:00Z'));
    expect(wish('whatever is soonest')?.text).toBe('soonest');
    // A day wins over "any time".
    expect(win('any time tomorrow')).toEqual([z('2026-12-03T06:00Z'), z('2026-12-04T06:00Z')]);
  });

  it('is null without a time, including answers to the other questions', () => {
    for (const text of ['2', '1', 'the second one', 'the 2nd one', 'the 1st option', '2nd', 'option 2', 'existing since 2019', 'I have 2 kids', 'yes', 'yes I may', 'new patient', 'a cleaning please', 'my zip is 60614', 'from 60614', 'STOP', '']) {
      expect(wish(text), text).toBeNull();
    }
  });

  it('keeps "today" on the local date late in the evening, when UTC is already tomorrow', () => {
    const late = new Date('2026-12-03T05:30:00Z'); // Wed 23:30 CST
    expect(win('today', late)).toEqual([z('2026-12-03T05:30Z'), z('2026-12-03T06:00Z')]);
    expect(win('tomorrow', late)).toEqual([z('2026-12-03T06:00Z'), z('2026-12-04T06:00Z')]);
    expect(win('tomorrow morning', late)).toEqual([z('2026-12-03T14:00Z'), z('2026-12-03T18:00Z')]);
    // Evening passed: "this evening" is tomorrow's.
    expect(win('this evening', late)).toEqual([z('2026-12-03T23:00Z'), z('2026-12-04T02:00Z')]);
    // Thursday is tomorrow, not a week away.
    expect(win('thursday', late)).toEqual([z('2026-12-03T06:00Z'), z('2026-12-04T06:00Z')]);
  });

  it('keeps wall-clock hours across the US DST changes', () => {
    const beforeSpring = new Date('2026-03-08T02:00:00Z'); // Sat Mar 7, 20:00 CST
    expect(win('tomorrow morning', beforeSpring)).toEqual([z('2026-03-08T13:00Z'), z('2026-03-08T17:00Z')]);
    // Sunday has 23 hours.
    expect(win('tomorrow', beforeSpring)).toEqual([z('2026-03-08T06:00Z'), z('2026-03-09T05:00Z')]);
    expect(win('monday morning', beforeSpring)).toEqual([z('2026-03-09T13:00Z'), z('2026-03-09T17:00Z')]);
    const beforeFall = new Date('2026-11-01T01:00:00Z'); // Sat Oct 31, 20:00 CDT
    // Sunday has 25 hours; 3 pm is CST.
    expect(win('tomorrow', beforeFall)).toEqual([z('2026-11-01T05:00Z'), z('2026-11-02T06:00Z')]);
    expect(win('tomorrow after 3', beforeFall, chicago, { sun: [['09:00', '17:00']] })).toEqual([z('2026-11-01T21:00Z'), z('2026-11-01T23:00Z')]);
    expect(win('next week', beforeFall)).toEqual([z('2026-11-02T06:00Z'), z('2026-11-09T06:00Z')]);
  });

  it('keeps wall-clock hours in London across the UK DST changes', () => {
    expect(win('tomorrow morning', new Date('2026-12-02T12:00:00Z'), london)).toEqual([z('2026-12-03T08:00Z'), z('2026-12-03T12:00Z')]);
    const beforeSpring = new Date('2026-03-28T20:00:00Z'); // Sat 20:00 GMT
    expect(win('tomorrow morning', beforeSpring, london)).toEqual([z('2026-03-29T07:00Z'), z('2026-03-29T11:00Z')]);
    expect(win('tomorrow', beforeSpring, london)).toEqual([z('2026-03-29T00:00Z'), z('2026-03-29T23:00Z')]);
    const beforeFall = new Date('2026-10-24T19:00:00Z'); // Sat 20:00 BST
    expect(win('tomorrow afternoon', beforeFall, london)).toEqual([z('2026-10-25T12:00Z'), z('2026-10-25T17:00Z')]);
    expect(win('tomorrow', beforeFall, london)).toEqual([z('2026-10-24T23:00Z'), z('2026-10-26T00:00Z')]);
  });

  describe('whatever zone the host runs in (chrono #553)', () => {
    const hostZone = process.env.TZ;
    afterEach(() => {
      if (hostZone === undefined) delete process.env.TZ;
      else process.env.TZ = hostZone;
    });
    for (const host of ['UTC', 'Asia/Tokyo', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/London']) {
      it(`gives the same windows on a host in ${host}`, () => {
        process.env.TZ = host;
        const justAfterMidnight = new Date('2026-12-02T06:30:00Z'); // Wed 00:30 CST
        expect(win('Tuesday', justAfterMidnight)).toEqual([z('2026-12-08T06:00Z'), z('2026-12-09T06:00Z')]);
        expect(win('Wednesday', justAfterMidnight)).toEqual([z('2026-12-02T06:30Z'), z('2026-12-03T06:00Z')]);
        expect(win('friday', new Date('2026-12-04T05:30:00Z'))).toEqual([z('2026-12-04T06:00Z'), z('2026-12-05T06:00Z')]); // Thu 23:30
        expect(win('monday morning', new Date('2026-03-08T02:00:00Z'))).toEqual([z('2026-03-09T13:00Z'), z('2026-03-09T17:00Z')]);
        expect(win('3pm', wedNoon)).toEqual([z('2026-12-02T21:00Z'), z('2026-12-02T22:00Z')]);
        expect(win('at 10', wedNoon)).toEqual([z('2026-12-03T16:00Z'), z('2026-12-03T17:00Z')]);
      });
    }
  });
});

describe('slotLabel', () => {
  const slot = { start: '2026-12-08T15:00:00.000Z', end: '2026-12-08T16:00:00.000Z' }; // Tue 09:00 CST
  it('names the day and time in the location zone', () => {
    expect(slotLabel(slot, chicago, wedNoon)).toBe('Tue Dec 8, 9:00 AM');
    expect(slotLabel({ start: '2026-12-08T21:30:00.000Z', end: '2026-12-08T22:00:00.000Z' }, chicago, wedNoon)).toBe('Tue Dec 8, 3:30 PM');
    expect(slotLabel(slot, london, wedNoon)).toBe('Tue Dec 8, 3:00 PM');
  });
  it('says today and tomorrow by the local date', () => {
    // Mon 23:30 CST: UTC is already Tuesday, yet the slot is tomorrow.
    expect(slotLabel(slot, chicago, new Date('2026-12-08T05:30:00Z'))).toBe('Tomorrow, 9:00 AM');
    expect(slotLabel(slot, chicago, new Date('2026-12-08T13:00:00Z'))).toBe('Today, 9:00 AM');
  });
});
