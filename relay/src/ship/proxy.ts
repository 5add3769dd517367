import type { ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { io } from 'socket.io-client';

/** Test support for the reverse-proxy tests: a real proxy process in front of a relay, reached over https. */

/** GET or POST over https, trusting only the given certificate (the proxy's own root or self-signed cert). */
export function https(ca: string, method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers, timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject).on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/** A staff socket over WebSocket only; resolves with the socket and, if it could not connect, the error. */
export function connectSocket(url: string, token: string, ca: string) {
  const socket = io(url, { auth: { token }, transports: ['websocket'], ca, reconnection: false, timeout: 5_000 });
  return new Promise<{ socket: typeof socket; error?: Error }>((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => resolve({ socket, error }));
  });
}

/** Waits until `serving()` says yes, failing with the proxy's own log if it exits or takes over 30 s. */
export async function untilServing(proxy: ChildProcess, what: string, serving: () => Promise<boolean>, log: () => Promise<string>): Promise<void> {
  for (const deadline = Date.now() + 30_000; ; ) {
    if (proxy.exitCode !== null) throw new Error(`${what} exited ${proxy.exitCode}:\n${await log()}`);
    if (await serving().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not serve within 30 s:\n${await log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stop(proxy: ChildProcess | undefined): Promise<void> {
  if (!proxy || proxy.exitCode !== null) return;
  const exited = new Promise((r) => proxy.once('exit', r));
  proxy.kill('SIGTERM');
  await exited;
}
