import { describe, it, expect } from 'vitest';
import { classifyInbound, HELP_KEYWORDS, matchKeyword, normalizeInbound, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from './keywords.js';

const mixed = (w: string) => [...w].map((c, i) => (i % 2 ? c.toLowerCase() : c.toUpperCase())).join('');
/** Every spelling a person (or a phone keyboard) produces for one keyword. */
const variants = (w: string) => [w, w.toLowerCase(), mixed(w), `${w}  `, `${w}\n`, ` ${w.toLowerCase()}\r\n`, `${mixed(w)}.`, `${w}!!`];

describe('normalizeInbound', () => {
  it.each([
    ['  stop \n', 'STOP'],
    ['Stop.', 'STOP'],
    ['stop all', 'STOPALL'],
    ['STOP   ALL', 'STOPALL'],
    ['opt-out', 'OPTOUT'],
    ['Opt Out!', 'OPTOUT'],
    ['resume all', 'RESUME ALL'],
    ['ＳＴＯＰ', 'STOP'], // fullwidth
    ['𝐒𝐓𝐎𝐏', 'STOP'], // mathematical bold
    ['S\u200BTOP', 'STOP'], // zero-width space
    ['SТОР', 'STOP'], // Cyrillic Т, О, Р
    ['Arrêt', 'ARRET'],
    ['🛑 STOP 🛑', 'STOP'],
    ['"stop"', 'STOP'],
    ['please   stop\ttexting', 'PLEASE STOP TEXTING'],
    ['', ''],
  ])('%j → %j', (raw, n) => {
    expect(normalizeInbound(raw)).toBe(n);
  });
});

describe('classifyInbound: exact keywords', () => {
  const optOut = [...OPT_OUT_KEYWORDS].flatMap((k) => variants(k).map((v) => [v, k] as const));
  it.each(optOut)('%j is opt-out %s', (text, keyword) => {
    for (const suppressed of [false, true]) {
      expect(classifyInbound(text, suppressed)).toEqual({ kind: 'opt-out', keyword, byIntent: false });
    }
  });

  it.each([
    ['STOP ALL', 'STOPALL'],
    ['stop all', 'STOPALL'],
    ['opt-out', 'OPTOUT'],
    ['OPT OUT', 'OPTOUT'],
    ['Opt-Out.', 'OPTOUT'],
    ['Stop.', 'STOP'],
    ['ＳＴＯＰ', 'STOP'],
    ['stop 🙏', 'STOP'],
  ])('%j is opt-out %s', (text, keyword) => {
    expect(classifyInbound(text, false)).toEqual({ kind: 'opt-out', keyword, byIntent: false });
  });

  const optIn = [...OPT_IN_KEYWORDS].flatMap((k) => variants(k).map((v) => [v, k] as const));
  it.each(optIn)('%j is opt-in %s only while suppressed', (text, keyword) => {
    expect(classifyInbound(text, true)).toEqual({ kind: 'opt-in', keyword, byIntent: false });
    expect(classifyInbound(text, false)).toEqual({ kind: 'message', keyword: null, byIntent: false });
  });

  const help = [...HELP_KEYWORDS].flatMap((k) => variants(k).map((v) => [v, k] as const));
  it.each(help)('%j is help %s', (text, keyword) => {
    expect(classifyInbound(text, false)).toEqual({ kind: 'help', keyword, byIntent: false });
    expect(classifyInbound(text, true)).toEqual({ kind: 'help', keyword, byIntent: false });
  });
});

describe('classifyInbound: revocation in plain words (C-2)', () => {
  it.each([
    'please stop texting me',
    'stop texting me',
    'Stop texting me!!',
    "don't text me",
    'Don’t text me again',
    'do not text me anymore',
    'dont message this number',
    'remove me from your list',
    'Wrong number, remove me',
    'wrong number',
    'unsubscribe me',
    'How do I opt out?',
    'no more texts',
    'please stop',
    'STOP PLEASE',
    'stop stop stop',
    'Stop it now, thanks',
    'stop sending me messages',
    'quit calling me',
    'take me off your list',
    'leave me alone',
    'I revoke my consent',
  ])('%j', (text) => {
    expect(classifyInbound(text, false)).toEqual({ kind: 'opt-out', keyword: null, byIntent: true });
  });
});

describe('classifyInbound: ordinary messages', () => {
  it.each([
    'cancel my appointment',
    'Cancel my appt',
    'Cancel my appt please',
    'can you stop by tomorrow?',
    "I'll stop by at 3",
    "the leak won't stop",
    "The bleeding won't stop, please call me back",
    "don't call me, text me instead",
    "I don't text much, call me",
    'Yes please text me the address',
    'yes',
    'Can you remove me from the waitlist?',
    'end of day works for me',
    'please end',
    'thank you',
    'ok',
    '🛑',
    '',
    // Long messages go to staff even if they contain the words.
    'Hi, I called earlier about my crown, it keeps hurting, can you please stop texting me and call me instead',
  ])('%j', (text) => {
    expect(classifyInbound(text, false)).toEqual({ kind: 'message', keyword: null, byIntent: false });
  });
  it('an opt-in word inside a sentence is a message even when suppressed', () => {
    expect(classifyInbound('yes I want to book', true).kind).toBe('message');
  });
});

describe('matchKeyword', () => {
  const keywords = { HOURS: 'We are open 8-5.', BOOK: 'Book at https://x.test', '24H': 'Emergency line' };
  it.each([
    ['hours', 'HOURS'],
    ['  Hours?\n', 'HOURS'],
    ['ＨＯＵＲＳ', 'HOURS'],
    ['book.', 'BOOK'],
    ['24h', '24H'],
    ['hours please', null],
    ['what are your hours', null],
    ['constructor', null],
    ['', null],
  ])('%j → %j', (text, name) => {
    expect(matchKeyword(text, keywords)).toBe(name);
  });
});
