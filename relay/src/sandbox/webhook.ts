import { signedHeaders, type WebhookKind } from './sign.js';

/** One signed, form-encoded webhook request, as Plivo makes it. */

export interface WebhookResult {
  url: string;
  /** HTTP status, or 0 when the relay could not be reached. */
  status: number;
  /** Response text, or the network error. */
  body: string;
}

export interface WebhookRequest {
  kind: WebhookKind;
  url: string;
  params: Record<string, string>;
  token: string;
  method?: 'GET' | 'POST';
  /** Aborts the request when the sandbox closes. */
  signal?: AbortSignal;
  /** Plivo waits 8 s for messaging webhooks and up to 40 s for voice; the sandbox does not need that long. */
  timeoutMs?: number;
}

export async function sendWebhook(req: WebhookRequest): Promise<WebhookResult> {
  const method = req.method ?? 'POST';
  let url = req.url;
  let body: string | undefined;
  if (method === 'GET') {
    const qs = new URLSearchParams(req.params).toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  } else {
    body = new URLSearchParams(req.params).toString();
  }
  // GET signs the URL it requests; POST signs the URL plus the decoded body.
  const headers: Record<string, string> = {
    'User-Agent': 'PlivoHTTP/1.0 (ringback-sandbox)',
    ...signedHeaders(req.kind, method === 'GET' ? url : req.url, method === 'GET' ? {} : req.params, req.token, method),
  };
  if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const signals = [AbortSignal.timeout(req.timeoutMs ?? 15_000), ...(req.signal ? [req.signal] : [])];
  try {
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.any(signals), redirect: 'manual' });
    return { url: req.url, status: res.status, body: await res.text() };
  } catch (err) {
    const e = err as { message?: string; cause?: { code?: string; message?: string } };
    const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
    return { url: req.url, status: 0, body: `request failed: ${reason}` };
  }
}
