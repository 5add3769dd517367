import { parsePhone, roleSchema, type StaffMember } from '@ringback/shared';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import { DomainError } from '../threads/errors.js';
import { addStaff, revokeStaff } from './tokens.js';
import { nextAuditSeq } from '../config/data-mode.js';

/** What `ringback staff add|revoke|rotate` asks for, offline or through a running relay's local admin endpoint. */
export const staffCommandSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('add'), name: z.string().trim().min(1).max(80), role: roleSchema, phone: z.string().trim().min(3).max(40).optional() }).strict(),
  z.object({ action: z.literal('revoke'), name: z.string().trim().min(1).max(80) }).strict(),
  z.object({ action: z.literal('rotate'), name: z.string().trim().min(1).max(80) }).strict(),
]);
export type StaffCommand = z.infer<typeof staffCommandSchema>;
export interface StaffCommandResult {
  staff: StaffMember;
  /** A new token (add, rotate), shown once. */
  token?: string;
  /** The record whose token stopped working (revoke, rotate). */
  revoked?: StaffMember;
}

/** Audit entries of the command line name it as the actor, so `GET /api/audit` tells them from API changes. */
const CLI = { id: 'cli', name: 'command line' };

/** Apply one staff command to the store (the caller commits). Errors are DomainErrors with the status that fits. */
export function runStaffCommand(store: Store, cmd: StaffCommand, country: string, now = new Date()): StaffCommandResult {
  const audit = (action: string, detail: Record<string, unknown>) =>
    store.append('audit', { seq: nextAuditSeq(store.data), at: now.toISOString(), actor: CLI, action, threadId: null, detail });
  const active = (name: string) => store.data.staff.find((s) => !s.revokedAt && s.name.toLowerCase() === name.toLowerCase());
  if (cmd.action === 'add') {
    let phone: string | null = null;
    if (cmd.phone !== undefined) {
      const p = parsePhone(cmd.phone, country);
      if (!p.ok) throw new DomainError(400, 'invalid', `--phone "${cmd.phone}" is not a valid phone number`);
      phone = p.e164;
    }
    if (active(cmd.name)) throw new DomainError(409, 'exists', `a staff member named "${cmd.name}" already exists`);
    const { staff, token } = addStaff(store, cmd.name, cmd.role, now, phone);
    audit('staff-add', { staffId: staff.id, name: staff.name, role: staff.role });
    return { staff, token };
  }
  const record = active(cmd.name);
  if (!record) throw new DomainError(404, 'not-found', `no active staff member named "${cmd.name}"`);
  const revoked = revokeStaff(store, record.name, now);
  audit(cmd.action === 'revoke' ? 'staff-revoke' : 'staff-rotate', { staffId: revoked.id, name: revoked.name });
  if (cmd.action === 'revoke') return { staff: revoked, revoked };
  // Same person, same role and desk phone, a new id and token: the old token stops working at once.
  const { staff, token } = addStaff(store, record.name, record.role, now, record.phone ?? null);
  audit('staff-add', { staffId: staff.id, name: staff.name, role: staff.role, replaces: revoked.id });
  return { staff, token, revoked };
}
