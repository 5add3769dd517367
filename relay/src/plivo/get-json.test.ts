import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson } from './get-json.js';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(null));
  server = null;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, connections: () => connections };
}

describe('getJson (Lookup)', () => {
  it('gives the status and the parsed body, sends the headers, and reuses one connection', async () => {
    const seen: (string | undefined)[] = [];
    const { url, connections } = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(req.url === '/missing' ? '' : JSON.stringify({ carrier: { type: 'mobile' } }));
    });
    expect(await getJson(`${url}/v1/Number/x`, { authorization: 'Basic abc' }, 1000)).toEqual({ status: 200, body: { carrier: { type: 'mobile' } } });
    expect(await getJson(`${url}/missing`, {}, 1000)).toEqual({ status: 404, body: null });
    expect(seen).toEqual(['Basic abc', undefined]);
    expect(connections()).toBe(1);
  });

  it('gives up after its timeout when the server never answers (no request can hang a send)', async () => {
    const { url } = await serve(() => {}); // holds every request open
    const t0 = performance.now();
    await expect(getJson(`${url}/slow`, {}, 300)).rejects.toThrow(/no answer from 127\.0\.0\.1:\d+ within 0\.3 s/);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3000);
  });

  it('gives up at its deadline on a server that drips its answer a byte at a time', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
    });
    const t0 = performance.now();
    await expect(getJson(`${url}/drip`, {}, 400)).rejects.toThrow(/no answer from .* within 0\.4 s/);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('refuses an answer far larger than any Lookup answer instead of holding it all', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"carrier":"${'x'.repeat(10 * 1024 * 1024)}"}`);
    });
    await expect(getJson(`${url}/flood`, {}, 5000)).rejects.toThrow(/answered more than 64 KB/);
  });

  it('says so when the body is not JSON', async () => {
    const { url } = await serve((_, res) => res.end('<html>gateway</html>'));
    await expect(getJson(`${url}/x`, {}, 1000)).rejects.toThrow(/answered 200 with a body that is not JSON/);
  });
});
