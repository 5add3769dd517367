import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  smsInboundSchema,
  smsStatusSchema,
  voiceAnswerSchema,
  voiceDialSchema,
  voiceHangupSchema,
  voiceRecordingSchema,
} from '@ringback/shared';
import type { z } from 'zod';
import type { Callbacks } from '../threads/callbacks.js';
import { locationByNumber, settle, type Ctx } from '../threads/context.js';
import type { Calls } from '../threads/calls.js';
import type { Texts } from '../threads/texts.js';
import { confirmSoundXml, emptyXml } from './xml.js';
import { reportMatchesMessage } from './report-check.js';
import { WebhookGuard } from './webhook-guard.js';

/**
 * Plivo's six webhooks. Order matters: signature and nonce (403, nothing stored), then shape (400 with the
 * reason), then the change, then an answer only once the change is on disk (503 if it cannot be saved,
 * so Plivo retries; a retry is a no-op for anything already handled).
 */
export function registerPlivoRoutes(app: FastifyInstance, ctx: Ctx, calls: Calls, texts: Texts, callbacks: Callbacks): void {
  const guard = new WebhookGuard(ctx);
  const hook = <S extends z.ZodType>(
    path: string,
    schema: S,
    handle: (body: z.infer<S>, req: FastifyRequest) => string | void,
    /** A refusal (403, nothing changed) for a well-formed body that is not for what its URL names. */
    mismatch?: (body: z.infer<S>, req: FastifyRequest) => string | null,
  ) => {
    app.post(path, async (req: FastifyRequest, reply: FastifyReply) => {
      const params = (req.body ?? {}) as Record<string, string | string[]>;
      const refusal = guard.check(req, params, path.startsWith('/plivo/voice/'));
      if (refusal) return reply.status(refusal.status).send({ error: { code: refusal.code, message: refusal.message } });
      const parsed = schema.safeParse(params);
      if (!parsed.success) {
        const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
        return reply.status(400).send({ error: { code: 'invalid', message: reason } });
      }
      const wrong = mismatch?.(parsed.data, req);
      if (wrong) return reply.status(403).send({ error: { code: 'mismatch', message: wrong } });
      const xml = handle(parsed.data, req);
      try {
        await settle(ctx);
      } catch (e) {
        req.log.error({ err: String(e) }, 'could not save a webhook; asking Plivo to retry');
        return reply.status(503).send({ error: { code: 'unavailable', message: 'could not save the event; retry later' } });
      }
      if (typeof xml === 'string') return reply.type('application/xml').send(xml);
      return reply.status(200).send('');
    });
  };

  hook('/plivo/voice/answer', voiceAnswerSchema, (b) => calls.answer(b));
  hook('/plivo/voice/dial', voiceDialSchema, (b) => calls.dial(b));
  hook('/plivo/voice/hangup', voiceHangupSchema, (b) => calls.hangup(b));
  hook('/plivo/voice/recording', voiceRecordingSchema, (b) => {
    calls.recording(b);
    return emptyXml();
  });
  hook('/plivo/sms/inbound', smsInboundSchema, (b) => texts.inbound(b));
  hook('/plivo/voice/confirm', voiceAnswerSchema, (b) => {
    const loc = locationByNumber(ctx, b.To) ?? ctx.config.business.locations.find((l) => l.ring.includes(b.To.startsWith('+') ? b.To : `+${b.To}`));
    return confirmSoundXml(loc?.confirmKey ?? '1', loc?.name ?? ctx.config.business.business.name);
  });
  const callbackId = (req: FastifyRequest) => {
    const c = (req.query as Record<string, unknown>).c;
    return typeof c === 'string' ? c : undefined;
  };
  hook('/plivo/voice/callback/answer', voiceAnswerSchema, (_b, req) => callbacks.answered(callbackId(req)));
  hook('/plivo/voice/callback/dial', voiceDialSchema, (b, req) => callbacks.dialed(callbackId(req), b));
  hook('/plivo/voice/callback/hangup', voiceHangupSchema, (b, req) => callbacks.hungUp(callbackId(req), b));
  const reportFor = (req: FastifyRequest) => {
    const m = (req.query as Record<string, unknown>).m;
    return typeof m === 'string' ? m : undefined;
  };
  hook(
    '/plivo/sms/status',
    smsStatusSchema,
    (b, req) => texts.status(b, reportFor(req)),
    (b, req) =>
      reportMatchesMessage(ctx.store.data, reportFor(req), b.MessageUUID, (u) => ctx.indexes.messageIdByUuid(u))
        ? null
        : 'this delivery report names another message than the one in its URL',
  );
}

