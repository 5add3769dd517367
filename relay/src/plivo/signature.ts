import { createHmac } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';

/**
 * Plivo webhook signatures (research/plivo.md §2), computed exactly as the SDK's validators do: the relay
 * compares against them in constant time, and the sandbox signs its webhooks with them.
 */

export type SignParams = Record<string, string | string[]>;

const hmac = (token: string, text: string): string => createHmac('sha256', token).update(text, 'utf8').digest('base64');
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? [...v] : [v]);

/**
 * Splits a URL like the SDK's uri-parser does: scheme + authority exactly as written (an explicit :443 or :80 is
 * kept, unlike WHATWG URL), the raw path, and the query decoded with node:querystring.
 */
function splitUrl(url: string): { base: string; query: Record<string, string[]> } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!m) throw new Error(`cannot sign a URL that is not absolute: ${url}`);
  const [, scheme, authority, path = '', rawQuery = ''] = m;
  // build-url (used by the SDK) drops a trailing slash of the authority only; the path is kept verbatim.
  const base = `${scheme}://${authority}${path}`;
  // No prototype, so keys such as "constructor" are plain keys; the SDK's parser drops "__proto__", and so do we.
  const query: Record<string, string[]> = Object.create(null);
  for (const [k, v] of Object.entries(parseQuery(rawQuery))) if (k !== '__proto__') query[k] = list(v);
  return { base, query };
}

const sortedQuery = (q: Record<string, string[]>): string =>
  Object.keys(q)
    .sort()
    .flatMap((k) => [...(q[k] ?? [])].sort().map((v) => `${k}=${v}`))
    .join('&');

/** The string V3 signs (before `.nonce`): URL, sorted query, then for POST the sorted body as key+value runs. */
export function v3BaseString(method: 'GET' | 'POST', url: string, params: SignParams): string {
  const { base, query } = splitUrl(url);
  if (method === 'GET') {
    for (const [k, v] of Object.entries(params)) query[k] = [...(query[k] ?? []), ...list(v)];
    const qs = sortedQuery(query);
    return qs ? `${base}?${qs}` : base;
  }
  const hasBody = Object.keys(params).length > 0;
  const qs = sortedQuery(query);
  let s = base;
  if (qs || hasBody) s += `?${qs}`;
  if (qs && hasBody) s += '.';
  const body = Object.keys(params)
    .sort()
    .flatMap((k) => list(params[k]).sort().map((v) => `${k}${v}`))
    .join('');
  return s + body;
}

export function signV3(method: 'GET' | 'POST', url: string, params: SignParams, nonce: string, token: string): string {
  return hmac(token, `${v3BaseString(method, url, params)}.${nonce}`);
}

/** V2 signs only scheme://host[:port]/path and the nonce: no query, no body, no separator. */
export function signV2(url: string, nonce: string, token: string): string {
  return hmac(token, splitUrl(url).base + nonce);
}

