import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.js';

/** The dev phone: one static page, its settings injected as JSON at the marker. */

const MARKER = '/*SANDBOX_CONFIG*/null';
export const DEFAULT_CALLER = '+15125551077';

/** JSON that is safe inside <script>: no `</script>`, no HTML comment openers, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export async function registerDevPhone(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const template = await readFile(new URL('./dev-phone.html', import.meta.url), 'utf8');
  if (!template.includes(MARKER)) throw new Error('dev-phone.html lost its config marker');
  const config = {
    trackingNumbers: ctx.opts.trackingNumbers,
    defaultCaller: DEFAULT_CALLER,
    // Sandbox mode only: the page shows the front desk's live view with this staff token.
    demoToken: ctx.opts.demoToken ?? null,
  };
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
}
