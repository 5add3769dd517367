import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
/** Lookup's answers are a few hundred bytes: anything this large is not one. */
const MAX_BODY = 64 * 1024;

/**
 * GET a JSON answer over node's own http(s) with keep-alive, failing when the whole answer has not come within
 * `timeoutMs` or outgrows MAX_BODY (a server that drips or floods cannot hold a send). Used for Lookup at every new caller: fetch keeps each request's objects alive past the young
 * generation (weak references cleared only by a full collection), and at tens of calls a second that garbage
 * paces the full collections.
 */
export function getJson(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const https = url.startsWith('https:');
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, { headers: { accept: 'application/json', ...headers }, agent: https ? agents.https : agents.http }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > MAX_BODY) req.destroy(new Error(`${new URL(url).host} answered more than ${MAX_BODY / 1024} KB`));
      });
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        } catch {
          reject(new Error(`${url} answered ${res.statusCode} with a body that is not JSON`));
        }
      });
    });
    const deadline = setTimeout(() => req.destroy(new Error(`no answer from ${new URL(url).host} within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', reject);
    req.end();
  });
}
