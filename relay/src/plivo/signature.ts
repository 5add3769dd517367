import { createHmac } from 'node:crypto';

/** Plivo's webhook signatures (research/plivo.md §2), computed the way the SDK's validators do. */
export type SignedParams = Record<string, unknown>;

const hmac = (key: string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest('base64');

function values(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null).map(String);
}

function sortedPairs(m: Record<string, string[]>, sep: string, join: string): string {
  return Object.keys(m)
    .sort()
    .flatMap((k) => [...m[k]!].sort().map((v) => `${k}${sep}${v}`))
    .join(join);
}

export function v3BaseString(method: 'GET' | 'POST', url: string, params: SignedParams): string {
  const u = new URL(url);
  const base = `${u.protocol}//${u.host}${u.pathname}`;
  const query: Record<string, string[]> = {};
  for (const [k, v] of u.searchParams) (query[k] ??= []).push(v);
  const body: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(params)) body[k] = values(v);
  if (method === 'GET') {
    for (const [k, v] of Object.entries(body)) (query[k] ??= []).push(...v);
    const qs = sortedPairs(query, '=', '&');
    return qs ? `${base}?${qs}` : base;
  }
  const qs = sortedPairs(query, '=', '&');
  const hasBody = Object.keys(body).length > 0;
  let s = base;
  if (qs || hasBody) s += `?${qs}`;
  if (qs && hasBody) s += '.';
  return s + sortedPairs(body, '', '');
}

export function signV3(method: 'GET' | 'POST', url: string, params: SignedParams, nonce: string, token: string): string {
  return hmac(token, `${v3BaseString(method, url, params)}.${nonce}`);
}

export function signV2(url: string, nonce: string, token: string): string {
  const u = new URL(url);
  // The SDK signs "https://host" for a URL written without a path, not "https://host/".
  const path = u.pathname === '/' && !/^[a-z]+:\/\/[^/?#]+\//i.test(url) ? '' : u.pathname;
  return hmac(token, `${u.protocol}//${u.host}${path}${nonce}`);
}
