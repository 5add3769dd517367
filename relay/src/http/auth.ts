import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '@ringback/shared';
import type { Store } from '../store/store.js';
import { staffByToken } from '../staff/tokens.js';
import { DomainError } from '../threads/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffMember | null;
  }
}

export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}

export function requireStaff(store: Store) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const staff = staffByToken(store, bearer(req.headers.authorization));
    if (!staff) throw new DomainError(401, 'unauthorized', 'A valid staff token is required (Authorization: Bearer <token>).');
    req.staff = staff;
  };
}

export function requireManager(req: FastifyRequest): StaffMember {
  const staff = req.staff!;
  if (staff.role !== 'manager') throw new DomainError(403, 'forbidden', 'Only a manager can do this.');
  return staff;
}
