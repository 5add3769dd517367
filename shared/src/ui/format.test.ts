import { describe, expect, it } from 'vitest';
import { displayName, highlight } from './format.js';

describe('displayName', () => {
  it.each([
    ['SMITH ROBERT', 'Robert Smith'],
    ['SMITH, ROBERT', 'Robert Smith'],
    ["O'NEIL MARY-KATE", "Mary-Kate O'Neil"],
    ['GARCIA MARIA ELENA', 'Garcia Maria Elena'],
    ['WIRELESS CALLER', 'Wireless Caller'],
    ['ACME PLUMBING LLC', 'Acme Plumbing Llc'],
    ['Ana Ruiz', 'Ana Ruiz'],
    ['de la Cruz, ana', 'de la Cruz, ana'],
    ['  SMITH   ROBERT ', 'Robert Smith'],
    ['555 1234', '555 1234'],
  ])('%s → %s', (raw, shown) => expect(displayName(raw)).toBe(shown));
});

describe('highlight', () => {
  const hits = (text: string, words: string[]) => highlight(text, words).filter((p) => p.hit).map((p) => p.text);
  it('marks whole words and phrases in any case, keeping the text intact', () => {
    const parts = highlight('My gum is Bleeding and swollen', ['bleeding', 'swollen']);
    expect(parts.map((p) => p.text).join('')).toBe('My gum is Bleeding and swollen');
    expect(hits('My gum is Bleeding and swollen', ['bleeding', 'swollen'])).toEqual(['Bleeding', 'swollen']);
    expect(hits('a broken  tooth, ouch', ['broken tooth'])).toEqual(['broken  tooth']);
  });
  it('does not mark inside other words and treats regex characters literally', () => {
    expect(hits('painting the room', ['pain'])).toEqual([]);
    expect(hits('need help (asap)', ['(asap)', 'a.p'])).toEqual(['(asap)']);
    expect(highlight('no words', [])).toEqual([{ text: 'no words', hit: false }]);
  });
});
