import { timingSafeEqual } from 'node:crypto';
import { validateSignature, validateV3Signature } from 'plivo';
import { signV2, signV3, type SignParams } from './signature.js';

type Headers = Record<string, string | string[] | undefined>;

function header(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A header may carry several signatures (comma separated) while a token is rotated; any may match. */
function candidates(headerValue: string | undefined): string[] {
  return (headerValue ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Plivo webhook signature check: V3 when any V3 header is present (never falling back to V2 then),
 * otherwise V2 (messaging). `url` is PUBLIC_URL + the request path and query, as registered at Plivo.
 * Candidates are compared in constant time first; the SDK's validator then confirms the match, so
 * attacker-chosen signatures never reach its non-constant-time comparison.
 */
export function verifyPlivoSignature(method: string, url: string, headers: Headers, params: SignParams, token: string): boolean {
  const m = method.toUpperCase();
  if (m !== 'GET' && m !== 'POST') return false;
  const signed = m === 'POST' ? params : {};
  const nonce3 = header(headers, 'x-plivo-signature-v3-nonce');
  const v3 = [...candidates(header(headers, 'x-plivo-signature-v3')), ...candidates(header(headers, 'x-plivo-signature-ma-v3'))];
  if (nonce3 !== undefined || v3.length > 0) {
    if (!nonce3) return false;
    const expected = signV3(m, url, signed, nonce3, token);
    return v3.some((c) => sameBytes(c, expected)) && Boolean(validateV3Signature(m, url, nonce3, token, expected, signed));
  }
  const nonce2 = header(headers, 'x-plivo-signature-v2-nonce');
  const v2 = [...candidates(header(headers, 'x-plivo-signature-v2')), ...candidates(header(headers, 'x-plivo-signature-ma-v2'))];
  if (!nonce2 || v2.length === 0) return false;
  const expected = signV2(url, nonce2, token);
  return v2.some((c) => sameBytes(c, expected)) && Boolean(validateSignature(url, nonce2, expected, token));
}
