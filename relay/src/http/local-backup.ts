import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { backupStoreTo } from '../store/backup.js';
import type { Store } from '../store/store.js';
import { DomainError } from '../threads/errors.js';

export const BACKUP_SHA_HEADER = 'x-ringback-backup-sha256';

/**
 * POST /_local/backup: the running relay's backup, as the gzip'd archive in the response body. The relay
 * is the only writer, so it alone can capture one consistent state; the CLI writes the file, so the
 * relay never writes to a path a caller chose. It is written to a private temp file in the data dir's
 * backups folder first (its sha256 goes in a header), then streamed out and removed. One at a time.
 */
export function registerLocalBackup(app: FastifyInstance, store: Store, allowed: (req: FastifyRequest) => boolean): void {
  let running = false;
  app.post('/_local/backup', async (req, reply) => {
    if (!allowed(req)) throw new DomainError(403, 'forbidden', 'Local administration is open only to this host, with the secret in the data dir.');
    if (running) throw new DomainError(409, 'busy', 'A backup is already being made; try again when it is done.');
    running = true;
    const folder = path.join(store.dir, 'backups');
    // Not named *.tar.gz: recovery and pruning look only at finished backups.
    const tmp = path.join(folder, `.local-${randomBytes(6).toString('hex')}.tmp`);
    const cleanUp = () => Promise.all([rm(tmp, { force: true }), rm(`${tmp}.sha256`, { force: true })]).then(() => undefined);
    try {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const made = await backupStoreTo(store, tmp).catch((e: unknown) => {
        throw new DomainError(503, 'storage_unavailable', `The data could not be saved, so no backup was made: ${(e as Error).message}`);
      });
      const body = createReadStream(tmp);
      body.on('close', () => {
        running = false;
        void cleanUp();
      });
      return reply.header('content-type', 'application/gzip').header('content-length', made.bytes).header(BACKUP_SHA_HEADER, made.sha256).send(body);
    } catch (e) {
      running = false;
      await cleanUp();
      throw e;
    }
  });
}
