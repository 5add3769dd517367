import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context.js';
import { normalizeNumber } from './lookup-body.js';
import type { OutboundCall } from './state.js';
import { sendWebhook } from './webhook.js';
import { parseVerbs } from './xml.js';

/**
 * Plivo's Call API stand-in (POST /v1/Account/{id}/Call/), which the relay calls with fetch for call-backs:
 * answer "call fired" with a request_uuid, then play the call in the background as Plivo would: ring `to`
 * (the staff phone), request answer_url when it answers, follow its Dial to the caller, call the Dial action,
 * and finish with hangup_url. Who answers is set with POST /sandbox/outbound.
 */

const digitsOk = (v: unknown) => (typeof v === 'string' ? normalizeNumber(v) : null);

function authorized(ctx: SandboxContext, req: FastifyRequest<{ Params: { authId: string } }>): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return !!m && m[1] === Buffer.from(`${ctx.opts.authId}:${ctx.opts.authToken}`).toString('base64') && req.params.authId === ctx.opts.authId;
}

export function registerCallApi(app: FastifyInstance, ctx: SandboxContext): void {
  app.post<{ Params: { authId: string } }>('/sandbox/plivo/v1/Account/:authId/Call/', async (req, reply) => {
    const apiError = (error: string) => ({ api_id: randomUUID(), error });
    if (!authorized(ctx, req)) return reply.code(401).send(apiError('authentication failed'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const from = digitsOk(body.from);
    const to = digitsOk(body.to);
    if (!from || (ctx.opts.trackingNumbers.length > 0 && !ctx.opts.trackingNumbers.includes(from))) return reply.code(400).send(apiError('from is not a number on this account'));
    if (!to) return reply.code(400).send(apiError('to is not a valid number'));
    if (typeof body.answer_url !== 'string' || !/^https?:\/\//.test(body.answer_url)) return reply.code(400).send(apiError('answer_url is required'));
    const call: OutboundCall = {
      requestUuid: randomUUID(),
      callUuid: randomUUID(),
      from,
      to,
      answerUrl: body.answer_url,
      hangupUrl: typeof body.hangup_url === 'string' ? body.hangup_url : null,
      at: new Date(),
      dialed: [],
      dialCallerId: null,
      result: 'ringing',
    };
    ctx.state.outboundCalls.push(call);
    const behaviour = { ...ctx.state.outbound };
    setImmediate(() => void play(ctx, call, behaviour).catch((e: unknown) => ctx.log.warn({ err: String(e) }, 'sandbox: outbound call failed')));
    return reply.code(201).send({ api_id: randomUUID(), message: 'call fired', request_uuid: call.requestUuid });
  });
}

async function play(ctx: SandboxContext, call: OutboundCall, who: { staffAnswers: boolean; callerAnswers: boolean }): Promise<void> {
  const fields = { CallUUID: call.callUuid, RequestUUID: call.requestUuid, From: call.from, To: call.to, Direction: 'outbound' };
  const post = (url: string, extra: Record<string, string>) =>
    sendWebhook({ kind: 'voice', url, params: { ...fields, ...extra }, token: ctx.opts.authToken, signal: ctx.bg.signal });
  let cause = 'NORMAL_CLEARING';
  if (!who.staffAnswers) {
    call.result = 'no-answer';
    cause = 'NO_ANSWER';
  } else {
    const answer = await post(call.answerUrl, { CallStatus: 'in-progress', Event: 'StartApp' });
    for (const v of answer.status === 200 ? parseVerbs(answer.body) : []) {
      if (v.name !== 'Dial') continue;
      call.dialed.push(...v.numbers);
      call.dialCallerId = v.attrs.callerId ?? null;
      call.result = who.callerAnswers ? 'connected' : 'bridge-no-answer';
      if (v.attrs.action) {
        await post(new URL(v.attrs.action, call.answerUrl).toString(), {
          CallStatus: 'in-progress',
          DialStatus: who.callerAnswers ? 'completed' : 'no-answer',
          DialALegUUID: call.callUuid,
          DialBLegUUID: who.callerAnswers ? randomUUID() : '',
        });
      }
      break;
    }
    if (call.result === 'ringing') call.result = 'ended';
  }
  if (call.hangupUrl) await post(call.hangupUrl, { CallStatus: who.staffAnswers ? 'completed' : 'no-answer', Event: 'Hangup', HangupCause: cause });
}
