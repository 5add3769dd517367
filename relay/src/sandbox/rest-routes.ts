import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context.js';
import { lookupBody, normalizeNumber } from './lookup-body.js';
import { acceptMessage } from './outbound.js';
import { mdrTime, parseFilterTime } from './plivo-time.js';
import type { SentMessage } from './state.js';

/**
 * The slice of Plivo's REST API the relay uses, served under /sandbox/plivo so the real plivo SDK can be pointed
 * at it (`url: publicUrl + '/sandbox/plivo/v1/Account/' + authId`), plus Lookup, which the relay calls with fetch.
 * Replies copy Plivo's shapes, including its quirks: MDR numbers carry no '+', errors are `{api_id, error}`.
 */

/** A hung Message POST is released after this long even if the client never gives up. */
const HANG_MAX_MS = 10 * 60_000;
const RATE = '0.00550';
const PAGE_MAX = 20; // Plivo's maximum page size for the Message list

type Query = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const apiError = (error: string) => ({ api_id: randomUUID(), error });
const digits = (e164: string) => e164.replace(/^\+/, '');

function authorized(ctx: SandboxContext, req: FastifyRequest, pathAuthId?: string): boolean {
  const h = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(h);
  if (!m) return false;
  const expected = Buffer.from(`${ctx.opts.authId}:${ctx.opts.authToken}`).toString('base64');
  return m[1] === expected && (pathAuthId === undefined || pathAuthId === ctx.opts.authId);
}

function mdr(ctx: SandboxContext, m: SentMessage): Record<string, unknown> {
  return {
    error_code: m.errorCode,
    from_number: digits(m.from),
    to_number: digits(m.to),
    message_direction: 'outbound',
    message_state: m.state,
    message_time: mdrTime(m.at),
    message_type: 'sms',
    message_uuid: m.uuid,
    resource_uri: `/v1/Account/${ctx.opts.authId}/Message/${m.uuid}/`,
    total_amount: (Number(RATE) * m.units).toFixed(5),
    total_rate: RATE,
    units: m.units,
  };
}

function httpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

async function createMessage(ctx: SandboxContext, req: FastifyRequest<{ Params: { authId: string } }>, reply: FastifyReply) {
  const { state, opts } = ctx;
  state.stats.messagePosts++;
  if (!authorized(ctx, req, req.params.authId)) return reply.code(401).send(apiError('authentication failed'));

  const fault = state.takeMessageFault();
  if (fault?.kind === 'status') {
    const reason = fault.status >= 500 ? 'simulated server error' : fault.status === 429 ? 'too many requests' : 'simulated request error';
    ctx.log.info({ status: fault.status }, 'sandbox: Message POST answered with an injected fault');
    return reply.code(fault.status).send(apiError(reason));
  }

  const body = (req.body ?? {}) as Record<string, unknown>;
  const src = typeof body.src === 'string' ? normalizeNumber(body.src) : null;
  if (typeof body.src !== 'string' || body.src === '') return reply.code(400).send(apiError('src parameter not present'));
  if (!src || (opts.trackingNumbers.length > 0 && !opts.trackingNumbers.includes(src))) {
    return reply.code(400).send(apiError(`src ${String(body.src)} is not a number on this account`));
  }
  if (typeof body.dst !== 'string' || body.dst === '') return reply.code(400).send(apiError('dst parameter not present'));
  if (typeof body.text !== 'string' || body.text === '') return reply.code(400).send(apiError('text parameter not present'));
  if (body.type !== undefined && body.type !== 'sms') return reply.code(400).send(apiError('the sandbox line only sends type sms'));
  if (body.url !== undefined && (typeof body.url !== 'string' || !httpUrl(body.url))) {
    return reply.code(400).send(apiError('url must be an http(s) URL'));
  }
  const method = body.method === undefined ? 'POST' : String(body.method).toUpperCase();
  if (method !== 'POST' && method !== 'GET') return reply.code(400).send(apiError('method must be GET or POST'));

  // dst may list several numbers joined by '<'; Plivo queues the valid ones and reports the rest.
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const raw of body.dst.split('<')) {
    const n = normalizeNumber(raw);
    if (n) valid.push(n);
    else invalid.push(raw);
  }
  if (valid.length === 0) return reply.code(400).send(apiError(`invalid destination number: ${body.dst}`));

  const callbackUrl = typeof body.url === 'string' ? body.url : null;
  const uuids = valid.map((to) => acceptMessage(ctx, { from: src, to, text: body.text as string, callbackUrl, callbackMethod: method }).uuid);

  if (fault?.kind === 'hang') {
    // Accepted and recorded, but the answer never comes: the relay's send outcome is unknown.
    ctx.log.info({ uuids }, 'sandbox: Message POST left hanging (injected fault)');
    ctx.bg.hold(req.raw.socket, HANG_MAX_MS);
    reply.hijack();
    return;
  }
  return reply.code(202).send({
    api_id: randomUUID(),
    message: 'message(s) queued',
    message_uuid: uuids,
    ...(invalid.length ? { invalid_number: invalid } : {}),
  });
}

function listMessages(ctx: SandboxContext, req: FastifyRequest<{ Params: { authId: string }; Querystring: Query }>, reply: FastifyReply) {
  if (!authorized(ctx, req, req.params.authId)) return reply.code(401).send(apiError('authentication failed'));
  const q = req.query;
  const filters: ((m: SentMessage) => boolean)[] = [];
  const num = (key: 'to' | 'from', raw: string | undefined) => {
    if (raw === undefined) return;
    const want = digits(raw.trim());
    filters.push((m) => digits(m[key]) === want);
  };
  num('to', first(q.to_number));
  num('from', first(q.from_number));
  const direction = first(q.message_direction);
  if (direction !== undefined && direction !== 'outbound') filters.push(() => false); // only outbound is recorded
  const stateFilter = first(q.message_state);
  if (stateFilter !== undefined) filters.push((m) => m.state === stateFilter);
  const cmp = { message_time__gt: (a: number, b: number) => a > b, message_time__gte: (a: number, b: number) => a >= b, message_time__lt: (a: number, b: number) => a < b, message_time__lte: (a: number, b: number) => a <= b };
  for (const [key, test] of Object.entries(cmp)) {
    const raw = first(q[key]);
    if (raw === undefined) continue;
    const t = parseFilterTime(raw);
    if (t === null) return reply.code(400).send(apiError(`${key} must look like YYYY-MM-DD HH:MM[:SS[.ffffff]]`));
    filters.push((m) => test(m.at.getTime(), t));
  }
  const limit = Math.min(PAGE_MAX, Math.max(1, Number(first(q.limit) ?? PAGE_MAX) || PAGE_MAX));
  const offset = Math.max(0, Number(first(q.offset) ?? 0) || 0);

  // Plivo lists newest first.
  const all = ctx.state.messages.filter((m) => filters.every((f) => f(m))).reverse();
  const page = all.slice(offset, offset + limit);
  const link = (o: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (k !== 'limit' && k !== 'offset' && first(v) !== undefined) params.set(k, first(v)!);
    params.set('limit', String(limit));
    params.set('offset', String(o));
    return `/v1/Account/${ctx.opts.authId}/Message/?${params}`;
  };
  return reply.send({
    api_id: randomUUID(),
    meta: {
      limit,
      offset,
      total_count: all.length,
      next: offset + limit < all.length ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    },
    objects: page.map((m) => mdr(ctx, m)),
  });
}

function getMessage(ctx: SandboxContext, req: FastifyRequest<{ Params: { authId: string; uuid: string } }>, reply: FastifyReply) {
  if (!authorized(ctx, req, req.params.authId)) return reply.code(401).send(apiError('authentication failed'));
  const m = ctx.state.messages.find((x) => x.uuid === req.params.uuid);
  if (!m) return reply.code(404).send(apiError('not found'));
  return reply.send({ api_id: randomUUID(), ...mdr(ctx, m) });
}

function lookup(ctx: SandboxContext, req: FastifyRequest<{ Params: { number: string }; Querystring: Query }>, reply: FastifyReply) {
  ctx.state.stats.lookups++;
  const lookupError = (status: number, error_code: number, message: string) =>
    reply.code(status).send({ api_id: randomUUID(), error_code, message });
  if (!authorized(ctx, req)) return lookupError(401, 20003, 'authentication failed');
  if (first(req.query.type) !== 'carrier') return lookupError(400, 20400, "type must be 'carrier'");
  const e164 = normalizeNumber(req.params.number);
  if (!e164) return lookupError(404, 20404, 'phone number is invalid');
  return reply.send(lookupBody(e164, ctx.state.lineType(e164)));
}

export function registerPlivoRest(app: FastifyInstance, ctx: SandboxContext): void {
  // GET routes: the SDK sends `""` with Content-Type application/json even on GET. Fastify 5 treats GET as
  // bodyless and never runs a body parser for it, so nothing special is needed (covered by a test).
  const account = '/sandbox/plivo/v1/Account/:authId';
  app.post<{ Params: { authId: string } }>(`${account}/Message/`, (req, reply) => createMessage(ctx, req, reply));
  app.get<{ Params: { authId: string }; Querystring: Query }>(`${account}/Message/`, (req, reply) => listMessages(ctx, req, reply));
  app.get<{ Params: { authId: string; uuid: string } }>(`${account}/Message/:uuid/`, (req, reply) => getMessage(ctx, req, reply));
  app.get<{ Params: { number: string }; Querystring: Query }>('/sandbox/plivo/lookup/v1/Number/:number', (req, reply) => lookup(ctx, req, reply));
  // The SDK's accounts.get() asks for "<account>//" (`config check --online` uses it to try the credentials).
  for (const url of [`${account}/`, `${account}//`]) {
    app.get<{ Params: { authId: string } }>(url, (req, reply) => {
      if (!authorized(ctx, req, req.params.authId)) return reply.code(401).send(apiError('authentication failed'));
      return reply.send({ api_id: randomUUID(), auth_id: ctx.opts.authId, name: 'Ringback sandbox', cash_credits: '100.00000', billing_mode: 'prepaid' });
    });
  }
}
