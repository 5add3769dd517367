import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../threads/context.js';
import { requestDigest, WebhookNonces } from './nonces.js';
import type { SignParams } from './signature.js';
import { ThrottledWarning } from './throttled-warning.js';
import { verifyPlivoSignature } from './verify.js';

export interface Refusal {
  status: 403;
  code: string;
  message: string;
}

const clip = (s: string | undefined, n = 200) => (s ?? '').slice(0, n);

/**
 * Who may post a webhook: a valid Plivo signature over PUBLIC_URL (V3 on voice routes), whose nonce has not
 * come before with a different request. V2 signs only the URL and nonce, so without the nonce memory one
 * captured request would let anyone post any body.
 */
export class WebhookGuard {
  private readonly nonces: WebhookNonces;
  private readonly badSignature: ThrottledWarning;
  private readonly v2OnVoice: ThrottledWarning;
  private readonly replay: ThrottledWarning;

  constructor(private readonly ctx: Ctx) {
    this.nonces = new WebhookNonces(ctx.store, ctx.now, ctx.log);
    this.badSignature = new ThrottledWarning(ctx.log, ctx.now);
    this.v2OnVoice = new ThrottledWarning(ctx.log, ctx.now);
    this.replay = new ThrottledWarning(ctx.log, ctx.now);
  }

  /** null if the request may go on; otherwise what to answer (nothing was changed). */
  check(req: FastifyRequest, params: SignParams, voice: boolean): Refusal | null {
    const { publicUrl, plivo } = this.ctx.config;
    const path = req.url.split('?')[0]!;
    if (typeof params !== 'object' || params === null) return { status: 403, code: 'bad-signature', message: 'missing or invalid Plivo signature' };
    const result = verifyPlivoSignature(req.method, publicUrl + req.url, req.headers, params, plivo.authToken, voice);
    if (!result.ok && result.reason === 'v3-required') {
      this.v2OnVoice.warn({ path }, `refused a voice webhook to ${path} signed only with V2 (Plivo signs voice webhooks with V3)`);
      return { status: 403, code: 'bad-signature', message: 'voice webhooks need a V3 Plivo signature' };
    }
    if (!result.ok) {
      const checked = publicUrl + path;
      const host = clip(req.headers.host);
      const fh = req.headers['x-forwarded-host'];
      const fp = req.headers['x-forwarded-proto'];
      const forwarded = { ...(fh ? { forwardedHost: clip(String(fh)) } : {}), ...(fp ? { forwardedProto: clip(String(fp)) } : {}) };
      this.badSignature.warn(
        { reason: result.reason, checked, receivedHost: host, receivedPath: clip(path), ...forwarded },
        `webhook with a ${result.reason} Plivo signature: checked against ${checked}, the request came to ${host}${clip(path)}; check PUBLIC_URL (it must be the exact base URL Plivo calls, scheme and port included)`,
      );
      return { status: 403, code: 'bad-signature', message: 'missing or invalid Plivo signature' };
    }
    const verdict = this.nonces.remember(result.version, result.nonce, requestDigest(req.url, params));
    if (verdict === 'conflict') {
      this.replay.warn({ path, version: result.version }, `refused a webhook to ${path}: its signature nonce already came with a different request (a replay)`);
      return { status: 403, code: 'replayed', message: 'this signature was already used for a different request' };
    }
    return null;
  }
}
