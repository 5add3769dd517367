import { describe, expect, it } from 'vitest';
import { checkSettings, originPattern } from './settings.js';

describe('client settings validation', () => {
  it('accepts http(s) relays and trims', () => {
    expect(checkSettings(' https://rb.example.com/ ', ' tok ')).toEqual({ ok: true, settings: { relayUrl: 'https://rb.example.com', token: 'tok' } });
    expect(checkSettings('http://127.0.0.1:8787/ringback/', 'x')).toMatchObject({ ok: true, settings: { relayUrl: 'http://127.0.0.1:8787/ringback' } });
  });
  it('refuses other schemes, junk, and an empty token', () => {
    expect(checkSettings('ftp://x', 't')).toMatchObject({ ok: false, field: 'relayUrl' });
    expect(checkSettings('javascript:alert(1)', 't')).toMatchObject({ ok: false, field: 'relayUrl' });
    expect(checkSettings('not a url', 't')).toMatchObject({ ok: false, field: 'relayUrl' });
    expect(checkSettings('https://x', '   ')).toMatchObject({ ok: false, field: 'token' });
  });
  it('builds the host permission pattern for the origin only', () => {
    expect(originPattern('https://rb.example.com/sub')).toBe('https://rb.example.com/*');
  });
});
