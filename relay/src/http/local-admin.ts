import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';

/**
 * How the CLI reaches the relay that holds a data dir: the relay writes its loopback URL and a fresh secret
 * into DATA_DIR/admin.secret (mode 0600: whoever can read it can read the data anyway); /_local/ routes
 * answer only loopback requests that carry that secret.
 */
export const ADMIN_FILE = 'admin.secret';
export const ADMIN_HEADER = 'x-ringback-admin';

export interface AdminFile {
  url: string;
  secret: string;
  pid: number;
}

export async function writeAdminFile(dir: string, url: string): Promise<{ secret: string; remove: () => Promise<void> }> {
  const file = path.join(dir, ADMIN_FILE);
  const secret = randomBytes(32).toString('base64url');
  await rm(file, { force: true });
  await writeFile(file, JSON.stringify({ url, secret, pid: process.pid } satisfies AdminFile), { mode: 0o600, flag: 'wx' });
  return {
    secret,
    // Only our own file: a later relay on this dir may have written its own.
    remove: async () => {
      if ((await readAdminFile(dir))?.secret === secret) await rm(file, { force: true });
    },
  };
}

export async function readAdminFile(dir: string): Promise<AdminFile | null> {
  try {
    const a = JSON.parse(await readFile(path.join(dir, ADMIN_FILE), 'utf8')) as Partial<AdminFile>;
    return typeof a.url === 'string' && typeof a.secret === 'string' && typeof a.pid === 'number' ? (a as AdminFile) : null;
  } catch {
    return null;
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** A request from this host (loopback, or the one address a relay bound to an interface listens on; no proxy) with the secret. */
export function isLocalAdmin(req: FastifyRequest, secret: string | null): boolean {
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined || req.headers['x-real-ip'] !== undefined) return false;
  const remote = req.socket.remoteAddress ?? '';
  if (!LOOPBACK.test(remote) && remote !== req.socket.localAddress) return false;
  const given = Buffer.from(String(req.headers[ADMIN_HEADER] ?? ''));
  const expected = Buffer.from(secret ?? '');
  return expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
}
