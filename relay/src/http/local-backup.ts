import type { FastifyInstance, FastifyRequest } from 'fastify';
import { backupStore, sha256 } from '../store/backup.js';
import type { Store } from '../store/store.js';
import { DomainError } from '../threads/errors.js';

export const BACKUP_SHA_HEADER = 'x-ringback-backup-sha256';

/**
 * POST /_local/backup: the running relay's backup, as the gzip'd archive in the response body. The relay
 * is the only writer, so it alone can capture one consistent state; the CLI writes the file, so the
 * relay never writes to a path a caller chose. One at a time.
 */
export function registerLocalBackup(app: FastifyInstance, store: Store, allowed: (req: FastifyRequest) => boolean): void {
  let running = false;
  app.post('/_local/backup', async (req, reply) => {
    if (!allowed(req)) throw new DomainError(403, 'forbidden', 'Local administration is open only to this host, with the secret in the data dir.');
    if (running) throw new DomainError(409, 'busy', 'A backup is already being made; try again when it is done.');
    running = true;
    try {
      const buf = await backupStore(store).catch((e: unknown) => {
        throw new DomainError(503, 'storage_unavailable', `The data could not be saved, so no backup was made: ${(e as Error).message}`);
      });
      return reply.header('content-type', 'application/gzip').header(BACKUP_SHA_HEADER, sha256(buf)).send(buf);
    } finally {
      running = false;
    }
  });
}
