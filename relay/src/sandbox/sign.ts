import { randomInt } from 'node:crypto';
import { signV2, signV3, type SignParams } from '../plivo/signature.js';

export { signV2, signV3, v3BaseString, type SignParams } from '../plivo/signature.js';
export type WebhookKind = 'voice' | 'messaging';

/** Plivo's nonces are 20 decimal digits. */
export function newNonce(): string {
  let s = '';
  for (let i = 0; i < 20; i++) s += String(randomInt(10));
  return s;
}

/**
 * The signature headers Plivo sends: voice webhooks carry V3, messaging webhooks V2. The sandbox is a single main
 * account, so the account signature and the main-account (Ma) signature use the same token.
 * `method` only matters for V3 GET webhooks, where params travel in the query instead of the body.
 */
export function signedHeaders(
  kind: WebhookKind,
  url: string,
  params: SignParams,
  token: string,
  method: 'GET' | 'POST' = 'POST',
): Record<string, string> {
  const nonce = newNonce();
  if (kind === 'voice') {
    const sig = signV3(method, url, params, nonce, token);
    return { 'X-Plivo-Signature-V3': sig, 'X-Plivo-Signature-Ma-V3': sig, 'X-Plivo-Signature-V3-Nonce': nonce };
  }
  const sig = signV2(url, nonce, token);
  return { 'X-Plivo-Signature-V2': sig, 'X-Plivo-Signature-Ma-V2': sig, 'X-Plivo-Signature-V2-Nonce': nonce };
}
