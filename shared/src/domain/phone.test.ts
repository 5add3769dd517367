import { describe, it, expect } from 'vitest';
import { formatPhone, parsePhone } from './phone.js';

describe('parsePhone', () => {
  it.each([
    ['+15125550100', '+15125550100'],
    ['+15125551077', '+15125551077'],
    ['15125550123', '+15125550123'], // Plivo From: E.164 without '+'
    ['14155550123', '+14155550123'],
    ['(512) 555-0123', '+15125550123'],
    ['512-555-0123', '+15125550123'],
    ['5125550123', '+15125550123'], // national, not Peru (+51)
    ['+1 512 555 0123', '+15125550123'],
    ['  +15125550123\n', '+15125550123'],
    ['+447700900123', '+447700900123'], // Ofcom drama range: isValid() says no, isPossible() says yes
    ['447700900123', '+447700900123'],
    ['+447400123456', '+447400123456'],
    ['sip:+15125550123@phone.plivo.com', '+15125550123'],
  ])('accepts %j', (raw, e164) => {
    expect(parsePhone(raw)).toEqual({ ok: true, e164 });
  });

  it.each(['abc', '123', '+1', '+', '12', '1-800-FLOWERS', '+1512555012345678', '++15125550123'])('rejects %j', (raw) => {
    expect(parsePhone(raw)).toEqual({ ok: false, reason: 'invalid-number' });
  });

  it.each(['', '   ', 'anonymous', 'Anonymous', 'ANONYMOUS', 'restricted', 'Private', 'unknown', 'UNAVAILABLE', 'blocked', 'sip:anonymous@sip.plivo.com', 'SIP:Restricted@x', 'sip:alice@example.com'])(
    'treats %j as withheld',
    (raw) => {
      expect(parsePhone(raw)).toEqual({ ok: false, reason: 'anonymous' });
    },
  );

  it('uses the default country for national numbers', () => {
    expect(parsePhone('07400 123456', 'GB')).toEqual({ ok: true, e164: '+447400123456' });
    expect(parsePhone('020 7946 0123', 'gb')).toEqual({ ok: true, e164: '+442079460123' });
  });

  it('does not throw on an unknown default country', () => {
    expect(parsePhone('123', 'XX')).toEqual({ ok: false, reason: 'invalid-number' });
    expect(parsePhone('15125550123', 'XX')).toEqual({ ok: true, e164: '+15125550123' });
  });
});

describe('formatPhone', () => {
  it('formats home-country numbers nationally', () => {
    expect(formatPhone('+15125551077')).toBe('(512) 555-1077');
    expect(formatPhone('+447400123456', 'GB')).toBe('07400 123456');
    expect(formatPhone('+447700900123', 'GB')).toBe('07700 900123'); // no country in metadata, calling code matches
  });
  it('formats foreign numbers internationally', () => {
    expect(formatPhone('+447700900123')).toBe('+44 7700 900123');
    expect(formatPhone('+15125551077', 'GB')).toBe('+1 512 555 1077');
  });
  it('returns unparsable input unchanged', () => {
    expect(formatPhone('anonymous')).toBe('anonymous');
    expect(formatPhone('abc')).toBe('abc');
    expect(formatPhone('')).toBe('');
  });
});
