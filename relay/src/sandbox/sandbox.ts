import type { FastifyInstance } from 'fastify';
import { Background } from './background.js';
import { registerClassifierSim } from './classifier-sim.js';
import type { SandboxContext, SandboxOptions } from './context.js';
import { registerDevPhone } from './dev-phone.js';
import { registerDriverRoutes } from './driver-routes.js';
import { normalizeNumber } from './lookup-body.js';
import { registerCallApi } from './outbound-call.js';
import { registerPlivoRest } from './rest-routes.js';
import { SandboxState } from './state.js';

export type { DeskView, SandboxLog, SandboxOptions } from './context.js';

/** The account id the sandbox line uses unless the relay picks another. */
export const SANDBOX_AUTH_ID = 'MASANDBOX000000000000';

/** Where to point the relay's Plivo clients in sandbox mode (DESIGN "Configuration": PLIVO_API_URL, PLIVO_LOOKUP_URL). */
export function sandboxPlivoUrls(publicUrl: string): { apiUrl: string; lookupUrl: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return { apiUrl: `${base}/sandbox/plivo`, lookupUrl: `${base}/sandbox/plivo/lookup` };
}

const silent = { info: () => undefined, warn: () => undefined };

/**
 * Adds the sandbox line to the relay's fastify instance (which already has @fastify/formbody): the Plivo REST
 * stand-in under /sandbox/plivo, the JSON driving API under /sandbox/*, a
 * stand-in for the booking classifier's model at /sandbox/classifier/v1/chat/completions, and the dev-phone page at /sandbox.
 * Webhooks go out over real HTTP to `publicUrl` + '/plivo/...', signed with `authToken`.
 */
export async function registerSandbox(app: FastifyInstance, opts: SandboxOptions): Promise<void> {
  const trackingNumbers = opts.trackingNumbers.map((n) => normalizeNumber(n) ?? n);
  const ctx: SandboxContext = {
    opts: { ...opts, trackingNumbers },
    base: () => (typeof opts.publicUrl === 'function' ? opts.publicUrl() : opts.publicUrl).replace(/\/+$/, ''),
    state: new SandboxState(),
    bg: new Background(),
    log: opts.log ?? silent,
  };
  // preClose, not onClose: onClose runs only after in-flight requests finish, and a hung Message POST never does.
  app.addHook('preClose', async () => ctx.bg.close());
  registerPlivoRest(app, ctx);
  registerCallApi(app, ctx);
  registerDriverRoutes(app, ctx);
  registerClassifierSim(app);
  await registerDevPhone(app, ctx);
}
