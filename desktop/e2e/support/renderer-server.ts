import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from '../../src/main/csp.js';
import { freePort } from '@ringback/relay/testing/relay-process';

const ROOT = path.resolve(import.meta.dirname, '../../out/renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };

/**
 * The built renderer on 127.0.0.1 (file:// cannot load module scripts), with the same CSP header the app's
 * app:// handler sends, so a CSP mistake fails here too.
 */
export async function serveRenderer(relayUrl: () => string | null): Promise<{ origin: string; close(): Promise<void> }> {
  const port = await freePort();
  const server: Server = createServer(async (req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // Chromium asks for a favicon the app (app://) never serves; not an error worth failing on.
    if (rel === '/favicon.ico') return void res.writeHead(204).end();
    const file = path.normalize(path.join(ROOT, rel));
    if (!file.startsWith(ROOT + path.sep)) return void res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': contentSecurityPolicy(relayUrl()) });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
