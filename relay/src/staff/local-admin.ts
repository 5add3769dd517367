import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopback } from '../ops/routes.js';
import { settle, type Ctx } from '../threads/context.js';
import { DomainError } from '../threads/errors.js';
import { runStaffCommand, staffCommandSchema } from './commands.js';

/**
 * Staff changes while the relay runs: the relay owns the data dir, so the CLI asks it. The relay writes
 * its loopback URL and a fresh secret into the data dir (mode 0600: whoever can read it can already
 * read the data), and accepts POST /_local/staff only from this host with that secret.
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
  const body: AdminFile = { url, secret, pid: process.pid };
  await rm(file, { force: true });
  await writeFile(file, JSON.stringify(body), { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return {
    secret,
    // Only our own file: a newer relay on this dir may have written its own meanwhile.
    remove: async () => {
      const now = await readAdminFile(dir);
      if (now?.secret === secret) await rm(file, { force: true });
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

/** The relay that holds this data dir, if its admin file names a live process. */
export async function runningRelay(dir: string): Promise<AdminFile | null> {
  const admin = await readAdminFile(dir);
  return admin && alive(admin.pid) ? admin : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This host talking to itself: loopback, or the same address on both ends (a relay bound to one interface). */
function fromThisHost(req: FastifyRequest): boolean {
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined || req.headers['x-real-ip'] !== undefined) return false;
  const remote = req.socket.remoteAddress;
  return isLoopback(remote) || (remote !== undefined && remote === req.socket.localAddress);
}

/** A request from this host, with no proxy in between, carrying the secret of admin.secret. */
export function isLocalAdmin(req: FastifyRequest, secret: string | null): boolean {
  const given = Buffer.from(String(req.headers[ADMIN_HEADER] ?? ''));
  const expected = Buffer.from(secret ?? '');
  return fromThisHost(req) && expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
}

export function registerLocalAdmin(app: FastifyInstance, ctx: Ctx, secret: () => string | null, revokeSockets: (staffId: string) => void): void {
  app.post('/_local/staff', async (req) => {
    if (!isLocalAdmin(req, secret())) {
      throw new DomainError(403, 'forbidden', 'Local administration is open only to this host, with the secret in the data dir.');
    }
    const cmd = staffCommandSchema.parse(req.body ?? {});
    let result;
    try {
      result = runStaffCommand(ctx.store, cmd, ctx.config.business.business.country, ctx.now());
    } finally {
      await settle(ctx);
    }
    if (result.revoked) revokeSockets(result.revoked.id);
    return result;
  });
}
