import { timingSafeEqual } from 'node:crypto';
// The validators alone: the package's main entry loads the whole REST client (~20 MB) with them.
import { validateSignature } from 'plivo/dist/utils/security.js';
import { validateV3Signature } from 'plivo/dist/utils/v3Security.js';
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

/** Which signature matched, and its nonce (the relay remembers it); or why none did. */
export type SignatureCheck = { ok: true; version: 'v2' | 'v3'; nonce: string } | { ok: false; reason: 'missing' | 'wrong' | 'v3-required' };

/** Plivo's nonces are 20 digits; anything much longer is not theirs and would only bloat the nonce memory. */
const MAX_NONCE = 128;

/**
 * Plivo webhook signature check: V3 when any V3 header is present (never falling back to V2 then),
 * otherwise V2 (messaging) unless `requireV3` (voice: Plivo signs those with V3, and V2 covers no body).
 * `url` is PUBLIC_URL + the request path and query, as registered at Plivo.
 * Candidates are compared in constant time first; the SDK's validator then confirms the match, so
 * attacker-chosen signatures never reach its non-constant-time comparison.
 */
export function verifyPlivoSignature(
  method: string,
  url: string,
  headers: Headers,
  params: SignParams,
  token: string,
  requireV3 = false,
): SignatureCheck {
  const m = method.toUpperCase();
  if (m !== 'GET' && m !== 'POST') return { ok: false, reason: 'wrong' };
  const signed = m === 'POST' ? params : {};
  const nonce3 = header(headers, 'x-plivo-signature-v3-nonce');
  const v3 = [...candidates(header(headers, 'x-plivo-signature-v3')), ...candidates(header(headers, 'x-plivo-signature-ma-v3'))];
  if (nonce3 !== undefined || v3.length > 0) {
    if (!nonce3 || nonce3.length > MAX_NONCE || v3.length === 0) return { ok: false, reason: 'missing' };
    const expected = signV3(m, url, signed, nonce3, token);
    const valid = v3.some((c) => sameBytes(c, expected)) && Boolean(validateV3Signature(m, url, nonce3, token, expected, signed));
    return valid ? { ok: true, version: 'v3', nonce: nonce3 } : { ok: false, reason: 'wrong' };
  }
  const nonce2 = header(headers, 'x-plivo-signature-v2-nonce');
  const v2 = [...candidates(header(headers, 'x-plivo-signature-v2')), ...candidates(header(headers, 'x-plivo-signature-ma-v2'))];
  if (!nonce2 || v2.length === 0 || nonce2.length > MAX_NONCE) return { ok: false, reason: 'missing' };
  if (requireV3) return { ok: false, reason: 'v3-required' };
  const expected = signV2(url, nonce2, token);
  const valid = v2.some((c) => sameBytes(c, expected)) && Boolean(validateSignature(url, nonce2, expected, token));
  return valid ? { ok: true, version: 'v2', nonce: nonce2 } : { ok: false, reason: 'wrong' };
}
