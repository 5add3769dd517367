import { describe, expect, it } from 'vitest';
import type { Choice } from '../../contract/booking.js';
import { bookingIntent, pickChoice, pickIndex, yesNo } from './understand.js';

const services: Choice[] = [
  { id: 'cleaning', label: 'Cleaning', synonyms: ['clean', 'hygiene', 'checkup'] },
  { id: 'emergency', label: 'Pain or emergency', synonyms: ['pain', 'toothache'] },
  { id: 'consultation', label: 'Consultation', synonyms: ['consult', 'whitening'] },
];
const patient: Choice[] = [
  { id: 'new', label: 'New patient', synonyms: ['first time', 'never been'] },
  { id: 'existing', label: 'Existing patient', synonyms: ['been before', 'returning'] },
];

describe('pickChoice', () => {
  it.each([
    ['2', 'emergency'],
    ['#3', 'consultation'],
    ['3.', 'consultation'],
    ['the second one', 'emergency'],
    ['second', 'emergency'],
    ['1st please', 'cleaning'],
    ["I'll take the first", 'cleaning'],
    ['option 2', 'emergency'],
    ['last', 'consultation'],
    ['one', 'cleaning'],
    ['Cleaning', 'cleaning'],
    ['a cleaning please', 'cleaning'],
    ['can I come in tomorrow morning for a cleaning?', 'cleaning'],
    ['need a checkup', 'cleaning'],
    ['CONSULTATION!!', 'consultation'],
    ['I have a toothache', 'emergency'],
    ['two cleanings', 'cleaning'],
  ])('%s → %s', (text, id) => expect(pickChoice(text, services)).toBe(id));

  it.each([['4'], ['0'], ['a cleaning or a consultation'], ['hello'], [''], ['1 or 2'], ['tomorrow at 2 for a cleaning and whitening']])(
    '%s → null (none, out of range, or several)',
    (text) => expect(pickChoice(text, services)).toBeNull(),
  );

  it('the longer match wins when two options share a word', () => {
    expect(pickChoice('existing patient', patient)).toBe('existing');
    expect(pickChoice("I'm a new patient", patient)).toBe('new');
    expect(pickChoice("I've been before", patient)).toBe('existing');
    expect(pickChoice('patient', patient)).toBeNull();
  });
});

describe('pickIndex', () => {
  it('reads positions only from messages that are nothing else', () => {
    expect(pickIndex('2', 3)).toBe(2);
    expect(pickIndex('tomorrow at 2', 3)).toBeNull();
    expect(pickIndex('2 works for me, thanks', 3)).toBe(2);
    expect(pickIndex('3', 2)).toBeNull();
  });
});

describe('yesNo', () => {
  it.each([
    ['yes', 'yes'],
    ['Yep!', 'yes'],
    ['sounds good', 'yes'],
    ['ok', 'yes'],
    ['no', 'no'],
    ['nope, sorry', 'no'],
    ["can't do that", 'no'],
    ['yes no', null],
    ['what time?', null],
  ])('%s → %s', (text, v) => expect(yesNo(text)).toBe(v));
});

describe('bookingIntent', () => {
  it.each([
    ['please cancel my appointment', 'cancel'],
    ["I can't make it", 'cancel'],
    ['can we move it to Friday?', 'move'],
    ['need to reschedule', 'move'],
    ['thanks!', null],
    ['cancel and reschedule', null],
  ])('%s → %s', (text, v) => expect(bookingIntent(text)).toBe(v));
});

describe('pickChoice with overlapping labels', () => {
  const kinds: Choice[] = [
    { id: 'cleaning', label: 'Cleaning', synonyms: [] },
    { id: 'deep', label: 'Deep cleaning', synonyms: [] },
  ];
  it('a match inside a longer one counts for the longer', () => {
    expect(pickChoice('a deep cleaning please', kinds)).toBe('deep');
    expect(pickChoice('a cleaning please', kinds)).toBe('cleaning');
  });
});
