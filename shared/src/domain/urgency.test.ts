import { describe, expect, it } from 'vitest';
import { scoreUrgency, urgentWordList } from './urgency.js';

describe('scoreUrgency', () => {
  const home = urgentWordList('home-services');
  it.each([
    ['Our basement is FLOODING!!', ['flooding']],
    ['no heat since last night, can you come today?', ['today', 'no heat']],
    ['pipe is leaking', ['leaking']],
  ])('%s', (text, words) => {
    const r = scoreUrgency(text, home);
    expect(r.words.sort()).toEqual([...words].sort());
    expect(r.score).toBe(words.length);
  });
  it('matches whole words only', () => {
    expect(scoreUrgency('we need paint for the nowhere room', urgentWordList('dental')).score).toBe(0);
    expect(scoreUrgency('tooth pain and swelling', urgentWordList('dental')).words).toEqual(['pain', 'swelling']);
  });
  it('adds configured words and ignores case and accents', () => {
    expect(scoreUrgency('Dolor fuerte', urgentWordList('general', ['DOLOR'])).words).toEqual(['dolor']);
    expect(scoreUrgency('URGENTÉ', ['urgente']).score).toBe(1);
  });
  it('a dental office hears pain, not booking talk', () => {
    const dental = urgentWordList('dental');
    expect(scoreUrgency('my gum is bleeding and swollen', dental).words).toEqual(['swollen', 'bleeding']);
    expect(scoreUrgency('can you call me today?', dental).score).toBe(0);
    expect(scoreUrgency('can you call me today?', urgentWordList('general')).words).toEqual(['today']);
  });
  it('an ordinary reply is not urgent', () => {
    expect(scoreUrgency('Thursday afternoon works, thanks', urgentWordList('medical')).score).toBe(0);
  });
});
