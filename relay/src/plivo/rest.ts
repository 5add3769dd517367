import type { Client } from 'plivo';
import type { LineType } from '@ringback/shared';
import type { PlivoSettings } from '../config/load.js';
import { getJson } from './get-json.js';

/** What a failed Plivo REST call means for a retry. */
export interface SendFailure {
  /** 'retry': Plivo did not take it (5xx, 429, refused connection). 'unknown': it may have been sent
   *  (timeout, reset). 'rejected': Plivo refused it for good (4xx). */
  kind: 'retry' | 'unknown' | 'rejected';
  status: number | null;
  message: string;
}

/** The SDK rejects with strings, plain Errors and its own error objects (research/plivo.md §6). */
export function classifyPlivoError(e: unknown): SendFailure {
  if (typeof e === 'string' || (e instanceof Error && !('status' in e) && /ECONN|ETIMEDOUT|timeout|socket hang up|EPIPE|ENOTFOUND|EAI_AGAIN/i.test(e.message))) {
    const message = (typeof e === 'string' ? e : e.message).split('\n')[0] ?? 'network error';
    // Refused or unresolvable: the request never reached Plivo, so sending again cannot duplicate.
    const neverSent = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(message);
    return { kind: neverSent ? 'retry' : 'unknown', status: null, message };
  }
  const x = e as { status?: unknown; message?: unknown };
  const status = typeof x?.status === 'number' ? x.status : Number(/status code (\d{3})/.exec(String(x?.message ?? ''))?.[1]) || null;
  const message = String(x?.message ?? e);
  if (status === null) return { kind: 'unknown', status, message };
  if (status >= 500 || status === 429) return { kind: 'retry', status, message };
  return { kind: 'rejected', status, message };
}

export interface SentMessage {
  uuid: string;
  to: string;
  at: string;
}

export interface PlivoRest {
  sendSms(from: string, to: string, text: string, statusUrl: string): Promise<string>;
  /** Outbound messages to a number since a time, to settle a send whose outcome is unknown. */
  recentMessagesTo(to: string, since: Date): Promise<SentMessage[]>;
  lookupLineType(e164: string): Promise<LineType>;
}

const plivoTime = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

export function createPlivoRest(settings: PlivoSettings, timeoutMs = 10_000): PlivoRest {
  // The REST client (~20 MB with its dependencies) loads with the first send, not at start.
  let loading: Promise<Client> | null = null;
  const sdk = () =>
    (loading ??= import('plivo').then(
      ({ Client }) => new Client(settings.authId, settings.authToken, { url: `${settings.apiUrl}/v1/Account/${settings.authId}`, timeout: timeoutMs } as never),
    ));
  const basic = `Basic ${Buffer.from(`${settings.authId}:${settings.authToken}`).toString('base64')}`;

  return {
    async sendSms(from, to, text, statusUrl) {
      // Positional form: the object form drops falsy options and is missing from the types (plivo.md §5).
      const res = await (await sdk()).messages.create(from, to, text, { type: 'sms', url: statusUrl, method: 'POST' });
      const uuid = (res as { messageUuid?: string[] }).messageUuid?.[0];
      if (!uuid) throw Object.assign(new Error('Plivo accepted the message but returned no message_uuid'), { status: 502 });
      return uuid;
    },

    async recentMessagesTo(to, since) {
      const res = (await (await sdk()).messages.list({
        message_direction: 'outbound',
        to_number: to.replace(/^\+/, ''),
        message_time__gte: plivoTime(since),
        limit: 20,
      } as never)) as unknown as { messageUuid?: string; toNumber?: string; messageTime?: string }[];
      return [...res].map((m) => ({ uuid: String(m.messageUuid), to: String(m.toNumber ?? to), at: String(m.messageTime ?? '') }));
    },

    async lookupLineType(e164) {
      // The SDK hard-codes Lookup's host, so it is called directly (DESIGN: PLIVO_LOOKUP_URL).
      const res = await getJson(`${settings.lookupUrl}/v1/Number/${encodeURIComponent(e164)}?type=carrier`, { authorization: basic }, 5_000);
      if (res.status === 404) return 'unknown';
      if (res.status < 200 || res.status > 299) throw new Error(`Lookup answered ${res.status}`);
      const body = (res.body ?? {}) as { carrier?: { type?: string } };
      switch (body.carrier?.type) {
        case 'fixed':
          return 'landline';
        case 'mobile':
          return 'mobile';
        case 'voip':
          return 'voip';
        case 'toll-free':
          return 'toll-free';
        default:
          return 'unknown';
      }
    },
  };
}
