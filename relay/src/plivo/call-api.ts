import type { PlivoSettings } from '../config/load.js';

/**
 * Plivo's Call API (outbound calls), called with fetch: the SDK hard-codes api.plivo.com for voice
 * (plivo.md §1), so PLIVO_API_URL (the sandbox in tests) would be ignored by it.
 */
export interface CallApi {
  /** Rings `to` from `from`; Plivo requests answerUrl once it is answered. Resolves with Plivo's request_uuid. */
  makeCall(input: { from: string; to: string; answerUrl: string; hangupUrl: string }): Promise<string>;
}

const digits = (n: string) => n.replace(/^\+/, '');

export function createCallApi(settings: PlivoSettings, timeoutMs = 10_000): CallApi {
  const basic = `Basic ${Buffer.from(`${settings.authId}:${settings.authToken}`).toString('base64')}`;
  return {
    async makeCall({ from, to, answerUrl, hangupUrl }) {
      const res = await fetch(`${settings.apiUrl}/v1/Account/${encodeURIComponent(settings.authId)}/Call/`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: JSON.stringify({
          from: digits(from),
          to: digits(to),
          answer_url: answerUrl,
          answer_method: 'POST',
          hangup_url: hangupUrl,
          hangup_method: 'POST',
          ring_timeout: 30,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await res.json().catch(() => ({}))) as { request_uuid?: string; error?: unknown };
      if (!res.ok || typeof body.request_uuid !== 'string') {
        throw new Error(`Plivo answered ${res.status}${body.error ? `: ${String(body.error)}` : ''}`);
      }
      return body.request_uuid;
    },
  };
}
