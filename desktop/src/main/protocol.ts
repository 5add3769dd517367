import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, resolveAppFile } from './app-files.js';
import { contentSecurityPolicy } from './csp.js';

/** Must run before app 'ready': app:// behaves like https (secure context, fetch, CORS origin). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serve the built renderer from app://ringback/, with the CSP as a header. */
export function serveApp(root: string, relayUrl: () => string | null): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const file = resolveAppFile(req.url, root);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file.path);
      return new Response(body, {
        headers: { 'content-type': file.type, 'content-security-policy': contentSecurityPolicy(relayUrl()), 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
