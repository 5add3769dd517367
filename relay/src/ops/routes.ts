import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearer } from '../http/auth.js';
import { staffByToken } from '../staff/tokens.js';
import type { Store } from '../store/store.js';
import { DomainError } from '../threads/errors.js';
import type { WebhookResult } from './health.js';
import type { Ops } from './ops.js';

const FIGURES = new Set(['/api/metrics', '/api/staffing', '/api/experiments', '/api/reports/monthly', '/reports/monthly']);

const webhookResult = (status: number): WebhookResult =>
  status < 300 ? 'ok' : status === 403 ? 'bad-signature' : status === 400 ? 'invalid' : status === 503 ? 'unavailable' : 'error';

/**
 * /healthz (open: it shows no caller data), /metrics (loopback, or a token), and the timing of every
 * Plivo webhook and figures request, taken when the answer has gone out.
 */
export function registerOps(app: FastifyInstance, ops: Ops, store: Store, metricsToken: string | undefined): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route) return;
    if (route.startsWith('/plivo/')) ops.webhook(route, webhookResult(reply.statusCode), reply.elapsedTime);
    else if (FIGURES.has(route)) ops.metrics.figuresSeconds.observe({ route }, reply.elapsedTime / 1000);
  });

  // 503 only when nothing can be saved: a wrong PUBLIC_URL is "degraded", and a load balancer must not
  // restart a relay over it (the restart cannot fix it, and would drop the calls it still forwards).
  app.get('/healthz', async (_req, reply) => {
    const body = ops.report();
    return reply.status(body.status === 'down' ? 503 : 200).send(body);
  });

  app.get('/metrics', async (req, reply) => {
    if (!metricsAllowed(req, store, metricsToken)) {
      throw new DomainError(401, 'unauthorized', 'Metrics are open on loopback only; elsewhere send Authorization: Bearer <RINGBACK_METRICS_TOKEN or a manager token>.');
    }
    const text = await ops.metrics.registry.metrics();
    return reply.type(ops.metrics.registry.contentType).send(text);
  });
}

/** A loopback client, unless a reverse proxy on this host forwarded it; else the metrics token or a manager. */
export function metricsAllowed(req: FastifyRequest, store: Store, metricsToken: string | undefined): boolean {
  const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined || req.headers['x-real-ip'] !== undefined;
  if (!proxied && isLoopback(req.socket.remoteAddress)) return true;
  const token = bearer(req.headers.authorization);
  if (!token) return false;
  if (metricsToken && sameSecret(token, metricsToken)) return true;
  return staffByToken(store, token)?.role === 'manager';
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
