import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { StorageUnavailableError } from '../store/store.js';
import { DomainError } from '../threads/errors.js';

export function sendError(status: number, code: string, message: string, owner?: { id: string; name: string }, errors?: { line: number; message: string }[]) {
  return { status, body: { error: { code, message, ...(owner ? { owner } : {}), ...(errors ? { errors } : {}) } } };
}

/** Every failure leaves as `{ error: { code, message } }` with the status that fits it. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    let out;
    if (err instanceof DomainError) out = sendError(err.status, err.code, err.message, err.owner, err.errors);
    else if (err instanceof StorageUnavailableError) {
      // The change was undone: the client may retry (the same clientId sends once).
      req.log.error({ err: String(err.cause) }, 'could not save a command');
      out = sendError(503, 'storage_unavailable', err.message);
    } else if (err instanceof ZodError) {
      out = sendError(400, 'invalid', err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    } else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
      out = sendError(err.statusCode, err.code ?? 'bad-request', err.message);
    } else {
      req.log.error({ err }, 'request failed');
      out = sendError(500, 'internal', 'Something went wrong on the relay.');
    }
    void reply.status(out.status).send(out.body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send(sendError(404, 'not-found', `${req.method} ${req.url.split('?')[0]} does not exist`).body);
  });
}
