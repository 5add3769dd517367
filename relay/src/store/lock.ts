import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export class DataDirLockedError extends Error {}

export const LOCK_SOCKET = 'relay.sock';
/** sun_path holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH = 107;

/** Connect to the lock socket: the holder's answer, or null when nobody listens (a stale file or none). */
function ask(sock: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const c = net.connect(sock);
    let text = '';
    c.setEncoding('utf8');
    c.setTimeout(2000, () => c.destroy(new Error(`the relay holding ${sock} did not answer`)));
    c.on('data', (d: string) => (text += d));
    c.on('end', () => resolve(text));
    c.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') resolve(null);
      else reject(e);
    });
  });
}

function listen(server: net.Server, sock: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(sock, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const holder = (answer: string) => {
  const pid = Number(/^ringback (\d+)/.exec(answer)?.[1]);
  return pid ? `another relay (pid ${pid})` : 'another process';
};

/**
 * One relay per data dir: the holder listens on a Unix socket inside it. The kernel closes that
 * socket when the process dies however it dies, so a crashed relay leaves only a file nobody answers
 * on, which the next start replaces; a live holder answers, and the start is refused. Unlike a pidfile
 * this cannot be fooled by a recycled pid (a container restarted after a crash gets the same pid).
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const sock = path.join(path.resolve(dir), LOCK_SOCKET);
  if (Buffer.byteLength(sock) > MAX_SOCKET_PATH) {
    throw new DataDirLockedError(
      `cannot lock the data dir ${dir}: the path of its lock socket (${Buffer.byteLength(sock)} bytes) is longer than the ${MAX_SOCKET_PATH} bytes Unix sockets allow; use a shorter RINGBACK_DATA_DIR`,
    );
  }
  // Earlier releases kept a pidfile; it means nothing now and must never block a start.
  await rm(path.join(dir, 'relay.lock'), { force: true });
  const nonce = `ringback ${process.pid} ${randomBytes(8).toString('hex')}`;
  const server = net.createServer((c) => c.end(nonce));
  server.unref();
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await ask(sock);
    if (answer !== null) throw new DataDirLockedError(`${holder(answer)} is using the data dir ${dir}`);
    // Nobody answers: what is there is left over from a process that died.
    await rm(sock, { force: true });
    try {
      await listen(server, sock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') continue; // someone else got there first: ask again
      throw e;
    }
    // Another start may have removed and replaced the file between our check and our listen:
    // the socket must answer with our own nonce, else that one won and we step back.
    const check = await ask(sock);
    if (check === nonce) {
      return async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(sock, { force: true }).catch(() => {});
      };
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (check !== null) throw new DataDirLockedError(`${holder(check)} is using the data dir ${dir}`);
  }
  throw new DataDirLockedError(`could not lock the data dir ${dir}: other processes keep replacing ${sock}`);
}
