import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export class DataDirLockedError extends Error {}

export const LOCK_SOCKET = 'relay.sock';
/** sun_path holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH = 107;
/** A takeover takes milliseconds; a guard this old was left by a start that died in it. */
const GUARD_STALE_MS = 5000;

/** Connect to the lock socket: the holder's answer, or null when nobody listens (a stale file or none). */
function ask(sock: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const c = net.connect(sock);
    let text = '';
    c.setEncoding('utf8');
    // A holder that accepts but never answers (stopped, or not a relay) still holds the socket.
    c.setTimeout(2000, () => {
      c.destroy();
      resolve(text);
    });
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
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  // Replacing a stale socket is done by one start at a time: two starts that both found it stale
  // could otherwise each remove the other's fresh socket and both believe they hold the dir.
  const guard = `${sock}.takeover`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const answer = await ask(sock);
    if (answer !== null) throw new DataDirLockedError(`${holder(answer)} is using the data dir ${dir}`);
    try {
      await mkdir(guard);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Another start is replacing it right now, or died doing so (a guard left for seconds).
      const age = Date.now() - (await stat(guard).then((st) => st.mtimeMs, () => Date.now()));
      if (age > GUARD_STALE_MS) await rm(guard, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    try {
      // Holding the guard: whoever answers now really holds the dir; nobody answering means stale.
      const again = await ask(sock);
      if (again !== null) throw new DataDirLockedError(`${holder(again)} is using the data dir ${dir}`);
      await rm(sock, { force: true });
      try {
        await listen(server, sock);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EINVAL') {
          throw new DataDirLockedError(`cannot lock the data dir ${dir}: its file system does not support Unix sockets (${code}); put the data dir on a local disk or a Docker volume`);
        }
        throw e;
      }
      if ((await ask(sock)) !== nonce) {
        await close();
        throw new DataDirLockedError(`could not lock the data dir ${dir}: ${sock} does not answer as ours`);
      }
    } finally {
      await rm(guard, { recursive: true, force: true });
    }
    return async () => {
      await close();
      await rm(sock, { force: true }).catch(() => {});
    };
  }
  throw new DataDirLockedError(`could not lock the data dir ${dir}: another start kept ${guard} for 10 s`);
}
