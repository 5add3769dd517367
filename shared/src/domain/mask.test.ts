import { describe, expect, it } from 'vitest';
import { maskNumber, maskNumbersIn } from './mask.js';

describe('maskNumber', () => {
  it('keeps the country and area code and the last four digits', () => {
    expect(maskNumber('+15125551077')).toBe('+1512***1077');
    expect(maskNumber('+447700900123')).toBe('+4477***0123');
  });
  it('hides short or odd values entirely and leaves words alone', () => {
    expect(maskNumber('12345')).toBe('***');
    expect(maskNumber('anonymous')).toBe('anonymous');
    expect(maskNumber(null)).toBe('');
  });
});

describe('maskNumbersIn', () => {
  it('masks numbers inside an error message and keeps status codes', () => {
    expect(maskNumbersIn('400: +15125551077 is not a valid dst (code 21211)')).toBe('400: +1512***1077 is not a valid dst (code 21211)');
    expect(maskNumbersIn('call (512) 555-1077 now')).not.toContain('555-1077');
  });
});
