import { pickChoice, type Contact, type Question } from '@ringback/shared';
import { describe, expect, it } from 'vitest';
import { answerQuestion, knownAnswer, slotChoices } from './assistant-answers.js';

const patient: Question = {
  id: 'patient',
  ask: 'New or existing?',
  options: [
    { id: 'new', label: 'New patient', synonyms: [] },
    { id: 'existing', label: 'Existing patient', synonyms: [] },
  ],
  knownForContacts: 'existing',
};
const contact = (tags: string[]): Contact => ({ id: 'c1', name: 'Dana', phone: '+15125551077', tags, notes: '', customerSince: null, createdAt: '', updatedAt: '' });

describe('answerQuestion', () => {
  it('options by number or words; free text by pattern and service area', () => {
    expect(answerQuestion(patient, '2')).toEqual({ ok: true, value: 'existing' });
    expect(answerQuestion(patient, 'dunno')).toEqual({ ok: false, reason: 'unclear' });
    const zip: Question = { id: 'zip', ask: 'ZIP?', pattern: '\\d{5}', allowed: ['78701'] };
    expect(answerQuestion(zip, 'it is 78701 thanks')).toEqual({ ok: true, value: '78701' });
    expect(answerQuestion(zip, '7 8 7 0 1')).toEqual({ ok: true, value: '78701' });
    expect(answerQuestion(zip, '90210')).toEqual({ ok: false, reason: 'not-allowed' });
    expect(answerQuestion(zip, 'downtown')).toEqual({ ok: false, reason: 'unclear' });
    expect(answerQuestion({ id: 'note', ask: 'Anything else?' }, '  my kid too ')).toEqual({ ok: true, value: 'my kid too' });
  });
});

describe('knownAnswer', () => {
  it('a contact is an existing patient unless a tag names another option; strangers are asked', () => {
    expect(knownAnswer(patient, contact([]))).toBe('existing');
    expect(knownAnswer(patient, contact(['new']))).toBe('new');
    expect(knownAnswer(patient, undefined)).toBeNull();
    expect(knownAnswer({ ...patient, knownForContacts: undefined }, contact([]))).toBeNull();
    expect(knownAnswer({ ...patient, knownForContacts: 'vip' }, contact([]))).toBeNull();
  });
});

describe('slotChoices', () => {
  const now = new Date('2026-12-03T05:00:00Z');
  const offered = [
    { start: '2026-12-03T14:00:00.000Z', end: '2026-12-03T15:00:00.000Z' },
    { start: '2026-12-03T15:30:00.000Z', end: '2026-12-03T16:30:00.000Z' },
    { start: '2026-12-03T20:00:00.000Z', end: '2026-12-03T21:00:00.000Z' },
  ];
  const choices = slotChoices(offered, 'America/Chicago', now);
  it.each([
    ['2', '1'],
    ['the 9:30', '1'],
    ['8am please', '0'],
    ['2pm', '2'],
    ['2 pm works', '2'],
    ['Tomorrow, 2:00 PM', '2'],
    ['tomorrow', null],
  ])('%s → %s', (text, id) => expect(pickChoice(text, choices)).toBe(id));
});
