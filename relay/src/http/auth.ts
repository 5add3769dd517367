import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '@ringback/shared';
import type { Store } from '../store/store.js';
import type { FailedAuthLimiter } from './auth-limit.js';
import { staffByToken } from '../staff/tokens.js';
import { DomainError } from '../threads/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffMember | null;
  }
  interface FastifyInstance {
    /** Counts wrong staff tokens per client address (set by the relay; absent, nothing is limited). */
    failedAuth?: FailedAuthLimiter;
  }
}

export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}

export function requireStaff(store: Store) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const staff = staffByToken(store, bearer(req.headers.authorization));
    if (staff) {
      req.staff = staff;
      return;
    }
    // A right token is never limited; wrong ones from one address are, past a few a minute.
    const limiter = req.server.failedAuth;
    const wait = limiter ? limiter.fail(limiter.addressOf(req.raw)) : 0;
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new DomainError(429, 'too-many-failures', `Too many wrong staff tokens from this address; try again in ${wait} s.`);
    }
    throw new DomainError(401, 'unauthorized', 'A valid staff token is required (Authorization: Bearer <token>).');
  };
}

export function requireManager(req: FastifyRequest): StaffMember {
  const staff = req.staff!;
  if (staff.role !== 'manager') throw new DomainError(403, 'forbidden', 'Only a manager can do this.');
  return staff;
}
