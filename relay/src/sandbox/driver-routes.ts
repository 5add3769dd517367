import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { lineTypes, type LineType } from '@ringback/shared';
import { runCall } from './call-flow.js';
import { maskNumber, type SandboxContext } from './context.js';
import { badRequest, InputError, object, optBool, optInt, optList, optStr, str, type Obj } from './input.js';
import { normalizeNumber } from './lookup-body.js';
import { acceptMessage } from './outbound.js';
import { messageIntent, smsUnits } from './sms-facts.js';
import { deliveryOutcomes, type DeliveryOutcome } from './state.js';
import { voicemailWav } from './wav.js';
import { sendWebhook } from './webhook.js';
import { parseVerbs } from './xml.js';

/**
 * The JSON API that drives the simulated line from tests and from the dev-phone page: place calls, text as a
 * caller, see what the relay sent, set line types, inject faults, read counters.
 */

type Handler = (body: Obj, req: FastifyRequest) => Promise<unknown> | unknown;

/** Input problems become 400 `{error:{code,message}}` here, whatever error handler the relay installed. */
const json =
  (h: Handler) =>
  async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    try {
      return await h(object(req.body), req);
    } catch (err) {
      if (err instanceof InputError) return reply.code(400).send(badRequest(err.message));
      throw err;
    }
  };

function trackingNumber(ctx: SandboxContext, o: Obj, key: string): string {
  const n = normalizeNumber(str(o, key, 32));
  if (!n) throw new InputError(`${key} must be a phone number like +15125550100`);
  if (ctx.opts.trackingNumbers.length > 0 && !ctx.opts.trackingNumbers.includes(n)) {
    throw new InputError(`${key} ${n} is not one of the business's tracking numbers (${ctx.opts.trackingNumbers.join(', ')})`);
  }
  return n;
}

function handset(o: Obj, key: string): string {
  const n = normalizeNumber(str(o, key, 32));
  if (!n) throw new InputError(`${key} must be a phone number like +15125551077`);
  return n;
}

export function registerDriverRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { state } = ctx;

  app.post(
    '/sandbox/calls',
    json(async (o) => {
      const to = trackingNumber(ctx, o, 'to');
      // Caller ID may be withheld ("anonymous"), so any short string is a valid From; numbers are normalised.
      const rawFrom = str(o, 'from', 32);
      const from = normalizeNumber(rawFrom) ?? rawFrom;
      const answered = optBool(o, 'answered');
      if (answered === undefined) throw new InputError('answered is required (true or false)');
      const voicemail = optInt(o, 'voicemail', 0, 3600);
      const hangupWhileRinging = optBool(o, 'hangupWhileRinging');
      const landline = optBool(o, 'landline');
      const deskVoicemail = optBool(o, 'deskVoicemail');
      const callerName = optStr(o, 'callerName', 64);
      const pauseMs = optInt(o, 'pauseMs', 0, 5000);
      if (landline) state.lineTypes.set(from, 'landline');
      ctx.log.info({ from: maskNumber(from), answered, voicemail: voicemail ?? 0, hangupWhileRinging: !!hangupWhileRinging }, 'sandbox: placing a call');
      return runCall(ctx, { from, to, answered, voicemail, hangupWhileRinging, callerName, pauseMs, deskVoicemail });
    }),
  );

  app.post(
    '/sandbox/sms',
    json(async (o) => {
      const from = handset(o, 'from');
      const to = trackingNumber(ctx, o, 'to');
      const text = str(o, 'text', 1600);
      const intent = messageIntent(text);
      // Plivo records the opt-out on its side before forwarding the message, so do the same.
      if (intent === 'optout') state.optOut(from, to);
      if (intent === 'optin') state.optIn(from, to);
      const messageUuid = randomUUID();
      const units = smsUnits(text);
      const res = await sendWebhook({
        kind: 'messaging',
        url: `${ctx.base()}/plivo/sms/inbound`,
        params: { From: from, To: to, Text: text, Type: 'sms', MessageUUID: messageUuid, Units: String(units), TotalRate: '0.00000', TotalAmount: '0.00000', MessageIntent: intent },
        token: ctx.opts.authToken,
        signal: ctx.bg.signal,
        timeoutMs: 8_000,
      });
      // The relay may answer with <Message> XML; Plivo sends those replies, so the sandbox does too.
      if (res.status >= 200 && res.status < 300) {
        for (const v of parseVerbs(res.body)) {
          if (v.name !== 'Message' || !v.text) continue;
          const src = normalizeNumber(v.attrs.src ?? '') ?? to;
          const dst = normalizeNumber(v.attrs.dst ?? '') ?? from;
          acceptMessage(ctx, { from: src, to: dst, text: v.text, callbackUrl: v.attrs.callbackUrl ?? null, callbackMethod: v.attrs.callbackMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST' });
        }
      }
      return { messageUuid, status: res.status, body: res.body };
    }),
  );

  app.get<{ Querystring: { to?: string } }>('/sandbox/messages', async (req) => {
    const to = req.query.to ? normalizeNumber(req.query.to) : null;
    const messages = state.messages
      .filter((m) => !to || m.to === to)
      .map((m) => ({ uuid: m.uuid, from: m.from, to: m.to, text: m.text, at: m.at.toISOString(), status: m.state, errorCode: m.errorCode }));
    return { messages };
  });

  app.post(
    '/sandbox/numbers',
    json((o) => {
      const number = handset(o, 'number');
      const type = str(o, 'type', 20);
      if (!(lineTypes as readonly string[]).includes(type)) throw new InputError(`type must be one of ${lineTypes.join(', ')}`);
      state.lineTypes.set(number, type as LineType);
      return { number, type };
    }),
  );

  app.post(
    '/sandbox/faults',
    json((o) => {
      const messageStatus = optList(o, 'messageStatus', (v) => (Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599 ? (v as number) : undefined), 'HTTP error statuses (400-599)');
      const hang = optInt(o, 'hang', 0, 1000);
      const delivery = optList(o, 'delivery', (v) => (deliveryOutcomes.includes(v as DeliveryOutcome) ? (v as DeliveryOutcome) : undefined), deliveryOutcomes.join('/'));
      state.setFaults({ messageStatus, hang, delivery });
      return state.faults();
    }),
  );
  app.get('/sandbox/faults', async () => state.faults());
  app.delete('/sandbox/faults', async () => {
    state.clearFaults();
    return state.faults();
  });

  app.get('/sandbox/stats', async () => ({ ...state.stats }));

  app.post(
    '/sandbox/outbound',
    json((o) => {
      const staffAnswers = optBool(o, 'staffAnswers');
      const callerAnswers = optBool(o, 'callerAnswers');
      if (staffAnswers !== undefined) state.outbound.staffAnswers = staffAnswers;
      if (callerAnswers !== undefined) state.outbound.callerAnswers = callerAnswers;
      return { ...state.outbound };
    }),
  );
  app.get('/sandbox/outbound-calls', async () => ({
    calls: state.outboundCalls.map((c) => ({ ...c, at: c.at.toISOString() })),
  }));

  app.post('/sandbox/reset', async () => {
    state.reset();
    return { ok: true };
  });

  app.get<{ Params: { file: string } }>('/sandbox/recordings/:file', async (req, reply) => {
    const id = /^(.+)\.wav$/.exec(req.params.file)?.[1];
    if (!id || !state.recordings.has(id)) return reply.code(404).send({ error: { code: 'not_found', message: 'no such recording' } });
    return reply.header('content-type', 'audio/wav').header('cache-control', 'public, max-age=86400').send(voicemailWav());
  });
}
