import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopbackHost } from '../config/mode.js';
import type { SandboxContext } from './context.js';

/** The dev phone: one static page, its settings injected as JSON at the marker. It never carries a token. */

const MARKER = '/*SANDBOX_CONFIG*/null';
export const DEFAULT_CALLER = '+15125551077';

/** JSON that is safe inside <script>: no `</script>`, no HTML comment openers, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The Host header's name, without the port ("[::1]:8787" → "[::1]"). */
function hostName(header: string | undefined): string {
  if (!header) return '';
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d*$/, '');
}

/**
 * Only this machine may read the desk view: a loopback peer, asking for a loopback name. The Host check stops a
 * web page whose own name was rebound to 127.0.0.1 (DNS rebinding) from reading it through the user's browser.
 */
function fromThisMachine(req: FastifyRequest): boolean {
  return isLoopbackHost(req.socket.remoteAddress ?? '') && isLoopbackHost(hostName(req.headers.host));
}

export async function registerDevPhone(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const template = await readFile(new URL('./dev-phone.html', import.meta.url), 'utf8');
  if (!template.includes(MARKER)) throw new Error('dev-phone.html lost its config marker');
  const deskView = ctx.opts.deskView;
  const config = { trackingNumbers: ctx.opts.trackingNumbers, defaultCaller: DEFAULT_CALLER, deskView: !!deskView };
  const html = template.replace(MARKER, scriptJson(config));
  app.get('/sandbox', async (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      // Inline script and styles are the page's own; everything else may only come from the relay itself.
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; media-src 'self' http: https:; " +
          "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      )
      .send(html),
  );
  if (!deskView) return;
  app.get('/sandbox/desk', async (req, reply) => {
    if (!fromThisMachine(req)) {
      return reply.code(403).send({ error: { code: 'forbidden', message: 'the sandbox desk view is served only to this machine, at 127.0.0.1 or localhost' } });
    }
    return reply.header('cache-control', 'no-store').send(deskView());
  });
}
