import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { Client, Response as PlivoResponse, validateSignature, validateV3Signature } from 'plivo';
import { registerSandbox } from './sandbox.js';

/**
 * Test-only: a fastify app with the sandbox plus stub /plivo/* webhook routes standing in for the relay. Every
 * stub checks the signature with the real plivo SDK (403 when it fails, like the relay) and answers canned XML
 * built with the SDK. This exercises the sandbox only; the real relay has its own tests.
 */

export const AUTH_ID = 'MASANDBOX000000000000';
export const AUTH_TOKEN = 'sandbox-secret-token-0001';
export const TRACKING = '+15125550100';
export const DESK = '+15125550199';
export const CALLER = '+15125551077';

export interface Hit {
  path: string;
  params: Record<string, string>;
  signature: 'V3' | 'V2' | 'none';
  valid: boolean;
}

export interface HarnessOptions {
  /** The answer URL plays a greeting and records instead of ringing the desk. */
  afterHours?: boolean;
  /** Statuses the /plivo/sms/status stub answers with, in order, before answering 200. */
  statusReplies?: number[];
  /** XML the /plivo/sms/inbound stub answers with. */
  inboundReply?: string;
  /** Paths whose stub answers this status instead (after the signature check). */
  failPaths?: Record<string, number>;
}

export interface Harness {
  app: FastifyInstance;
  base: string;
  hits: Hit[];
  client(options?: { timeout?: number }): Client;
  json<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  waitFor(pred: (hits: Hit[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const app = Fastify();
  await app.register(formbody);
  let base = '';
  const hits: Hit[] = [];
  const statusReplies = [...(options.statusReplies ?? [])];

  const check = (path: string, headers: Record<string, string | string[] | undefined>, params: Record<string, string>): Hit => {
    const h = (n: string) => (typeof headers[n] === 'string' ? (headers[n] as string) : undefined);
    const url = base + path;
    const n3 = h('x-plivo-signature-v3-nonce');
    if (n3) {
      const valid = !!validateV3Signature('POST', url, n3, AUTH_TOKEN, h('x-plivo-signature-v3') ?? '', params)
        && !!validateV3Signature('POST', url, n3, AUTH_TOKEN, h('x-plivo-signature-ma-v3') ?? '', params);
      return { path, params, signature: 'V3', valid };
    }
    const n2 = h('x-plivo-signature-v2-nonce');
    if (n2) {
      const valid = !!validateSignature(url, n2, h('x-plivo-signature-v2') ?? '', AUTH_TOKEN)
        && !!validateSignature(url, n2, h('x-plivo-signature-ma-v2') ?? '', AUTH_TOKEN);
      return { path, params, signature: 'V2', valid };
    }
    return { path, params, signature: 'none', valid: false };
  };

  const xml = (build: (r: any) => void) => {
    const r = PlivoResponse();
    build(r);
    return r.toXML() as string;
  };
  const voicemailXml = () =>
    xml((r) => {
      r.addSpeak('Sorry we missed you. Leave a message and we will text you.', { voice: 'WOMAN' });
      r.addRecord({ action: `${base}/plivo/voice/recording`, method: 'POST', maxLength: 60, redirect: 'true' });
      r.addHangup();
    });

  const answers: Record<string, (p: Record<string, string>) => string> = {
    '/plivo/voice/answer': () =>
      options.afterHours
        ? voicemailXml()
        : xml((r) => r.addDial({ action: `${base}/plivo/voice/dial`, method: 'POST', timeout: 20, redirect: 'true' }).addNumber(DESK)),
    '/plivo/voice/dial': (p) => (p.DialStatus === 'completed' ? xml(() => undefined) : voicemailXml()),
    '/plivo/voice/recording': () => xml((r) => r.addSpeak('Thank you.', { voice: 'WOMAN' }).addHangup()),
    '/plivo/voice/hangup': () => '',
    '/plivo/sms/inbound': () => options.inboundReply ?? '',
    '/plivo/sms/status': () => '',
  };
  for (const [path, answer] of Object.entries(answers)) {
    app.post(path, async (req, reply) => {
      const params = { ...(req.body as Record<string, string>) };
      const hit = check(path, req.headers, params);
      hits.push(hit);
      if (!hit.valid) return reply.code(403).send('bad signature');
      const forced = path === '/plivo/sms/status' ? statusReplies.shift() : options.failPaths?.[path];
      if (forced) return reply.code(forced).send('forced');
      const body = answer(params);
      return body ? reply.type('application/xml').send(body) : reply.send('');
    });
  }

  await registerSandbox(app, {
    publicUrl: () => base,
    authId: AUTH_ID,
    authToken: AUTH_TOKEN,
    trackingNumbers: [TRACKING],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${addr.port}`;

  return {
    app,
    base,
    hits,
    client: (o = {}) => new Client(AUTH_ID, AUTH_TOKEN, { url: `${base}/sandbox/plivo/v1/Account/${AUTH_ID}`, ...o }),
    async json(method, path, body) {
      const res = await fetch(base + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async waitFor(pred, what, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      while (!pred(hits)) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; hits: ${JSON.stringify(hits.map((h) => [h.path, h.params.Status ?? '']))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => app.close(),
  };
}
