import { describe, expect, it } from 'vitest';
import { messageIntent, smsUnits } from './sms-facts.js';

describe('messageIntent', () => {
  it('recognises whole-message compliance keywords in any case', () => {
    expect(messageIntent('STOP')).toBe('optout');
    expect(messageIntent('  stop ')).toBe('optout');
    expect(messageIntent('Stop all')).toBe('optout');
    expect(messageIntent('unsubscribe')).toBe('optout');
    expect(messageIntent('START')).toBe('optin');
    expect(messageIntent('help')).toBe('help');
  });

  it('gives no intent to sentences that merely contain a keyword', () => {
    expect(messageIntent('please stop calling')).toBe('');
    expect(messageIntent('STOP!')).toBe('');
    expect(messageIntent('')).toBe('');
  });
});

describe('smsUnits', () => {
  it('counts GSM-7 and UCS-2 parts', () => {
    expect(smsUnits('')).toBe(1);
    expect(smsUnits('a'.repeat(160))).toBe(1);
    expect(smsUnits('a'.repeat(161))).toBe(2);
    expect(smsUnits('€'.repeat(80))).toBe(1); // 160 septets
    expect(smsUnits('é'.repeat(160) + 'ç')).toBe(3); // ç is not GSM: UCS-2, 161 units / 67
    expect(smsUnits('😀'.repeat(35))).toBe(1);
    expect(smsUnits('😀'.repeat(36))).toBe(2);
  });
});
