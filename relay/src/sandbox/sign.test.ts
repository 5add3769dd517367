import { describe, expect, it } from 'vitest';
import { validateSignature, validateV3Signature } from 'plivo';
import { newNonce, signedHeaders, signV2, signV3, v3BaseString } from './sign.js';

const token = 'my_auth_token';

describe('signV3', () => {
  it('matches the documented worked example (POST with a query and body)', () => {
    const params = { Digits: '1234', To: '+15555555555', From: '+15551111111', CallUUID: '4vbcpem8-0u46-x1ha-9af1-438vc92bf374' };
    expect(v3BaseString('POST', 'https://example.com/abcd?foo=bar', params)).toBe(
      'https://example.com/abcd?foo=bar.CallUUID4vbcpem8-0u46-x1ha-9af1-438vc92bf374Digits1234From+15551111111To+15555555555',
    );
    expect(signV3('POST', 'https://example.com/abcd?foo=bar', params, 'kjsdhfsd87sd7yisud2', token)).toBe(
      'Nlb1ZrTN1nl3nKqEi/MmVAeWDsZ4P5YMSLcK1/yOU6o=',
    );
  });

  it('matches the worked example for a URL without a query', () => {
    const params = { From: '14155550123', To: '14155550100', CallUUID: 'abc-123', Direction: 'inbound', CallStatus: 'ringing' };
    expect(signV3('POST', 'https://relay.example.com/plivo/answer', params, '05429567804466091622', token)).toBe(
      'HsykRtSAmI2Cqts5iYFYJBShCQ8QbRtdyLSXdD4jL5A=',
    );
  });

  const cases: { name: string; method: 'GET' | 'POST'; url: string; params: Record<string, string | string[]> }[] = [
    { name: 'POST, port and no query', method: 'POST', url: 'http://127.0.0.1:8787/plivo/voice/answer', params: { CallUUID: 'x', From: '+15125551077', To: '+15125550100', CallerName: 'Ana María & Co' } },
    { name: 'POST, encoded query', method: 'POST', url: 'http://127.0.0.1:8787/plivo/voice/dial?loc=main&n=a%20b&n=c', params: { DialStatus: 'no-answer', B: ['2', '1'] } },
    { name: 'POST, query but no body', method: 'POST', url: 'https://relay.example.com/plivo/voice/hangup?x=1', params: {} },
    { name: 'POST, explicit default port', method: 'POST', url: 'https://relay.example.com:443/plivo/voice/answer', params: { a: '1' } },
    { name: 'GET with params', method: 'GET', url: 'https://relay.example.com/plivo/voice/answer?tenant=7', params: { From: '+1', CallUUID: 'u' } },
  ];
  for (const c of cases) {
    it(`is accepted by the SDK's validateV3Signature: ${c.name}`, () => {
      const nonce = newNonce();
      const sig = signV3(c.method, c.url, c.params, nonce, token);
      // The SDK wants the URL as requested: for GET that is the URL with the params already in its query.
      const requested = c.method === 'GET' ? `${c.url}${c.url.includes('?') ? '&' : '?'}${new URLSearchParams(c.params as Record<string, string>)}` : c.url;
      const params = c.method === 'GET' ? {} : c.params;
      expect(validateV3Signature(c.method, requested, nonce, token, sig, params)).toBe(true);
      expect(validateV3Signature(c.method, requested, nonce, 'other_token', sig, params)).toBe(false);
    });
  }
});

describe('signV2', () => {
  it('matches the SDK test vector', () => {
    expect(signV2('https://answer.url', '12345', token)).toBe('ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=');
  });

  it('is accepted by validateSignature and ignores the query', () => {
    const nonce = newNonce();
    const sig = signV2('http://127.0.0.1:8787/plivo/sms/status?x=1', nonce, token);
    expect(validateSignature('http://127.0.0.1:8787/plivo/sms/status', nonce, sig, token)).toBe(true);
    expect(validateSignature('http://127.0.0.1:8787/plivo/sms/inbound', nonce, sig, token)).toBe(false);
  });
});

describe('signedHeaders', () => {
  it('gives voice webhooks the V3 family with a 20-digit nonce', () => {
    const url = 'http://127.0.0.1:9/plivo/voice/answer';
    const params = { CallUUID: 'c1', From: '+15125551077', To: '+15125550100' };
    const h = signedHeaders('voice', url, params, token);
    expect(Object.keys(h).sort()).toEqual(['X-Plivo-Signature-Ma-V3', 'X-Plivo-Signature-V3', 'X-Plivo-Signature-V3-Nonce']);
    expect(h['X-Plivo-Signature-V3-Nonce']).toMatch(/^\d{20}$/);
    const nonce = h['X-Plivo-Signature-V3-Nonce']!;
    expect(validateV3Signature('POST', url, nonce, token, h['X-Plivo-Signature-V3']!, params)).toBe(true);
    expect(validateV3Signature('POST', url, nonce, token, h['X-Plivo-Signature-Ma-V3']!, params)).toBe(true);
  });

  it('gives messaging webhooks the V2 family', () => {
    const url = 'http://127.0.0.1:9/plivo/sms/inbound';
    const h = signedHeaders('messaging', url, { Text: 'hi' }, token);
    expect(Object.keys(h).sort()).toEqual(['X-Plivo-Signature-Ma-V2', 'X-Plivo-Signature-V2', 'X-Plivo-Signature-V2-Nonce']);
    const nonce = h['X-Plivo-Signature-V2-Nonce']!;
    expect(nonce).toMatch(/^\d{20}$/);
    expect(validateSignature(url, nonce, h['X-Plivo-Signature-V2']!, token)).toBe(true);
    expect(validateSignature(url, nonce, h['X-Plivo-Signature-Ma-V2']!, token)).toBe(true);
  });
});
