import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role, StaffMember } from '@ringback/shared';
import type { StaffRecord } from '../store/data.js';
import type { Store } from '../store/store.js';
import { recordedMode } from '../config/data-mode.js';

/** Tokens are 256 random bits, so a plain sha256 is a safe way to store them. */
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export const publicStaff = (s: StaffRecord): StaffMember => ({ id: s.id, name: s.name, role: s.role, ...(s.phone ? { phone: s.phone } : {}) });

/** Staff added to demo data are demo staff (`demo`), whose tokens end with the demo. */
export function addStaff(
  store: Store,
  name: string,
  role: Role,
  now = new Date(),
  phone: string | null = null,
  demo = recordedMode(store.data) === 'sandbox',
): { staff: StaffMember; token: string } {
  if (store.data.staff.some((s) => !s.revokedAt && s.name.toLowerCase() === name.toLowerCase())) {
    throw new Error(`a staff member named "${name}" already exists`);
  }
  const token = `rb_${randomBytes(32).toString('base64url')}`;
  const record: StaffRecord = {
    id: `st_${randomUUID().slice(0, 8)}`,
    name,
    role,
    tokenHash: hashToken(token),
    createdAt: now.toISOString(),
    revokedAt: null,
    ...(phone ? { phone } : {}),
    ...(demo ? { demo } : {}),
  };
  store.staffChanged();
  store.data.staff.push(record);
  return { staff: publicStaff(record), token };
}

export function revokeStaff(store: Store, name: string, now = new Date()): StaffMember {
  const record = store.data.staff.find((s) => !s.revokedAt && s.name.toLowerCase() === name.toLowerCase());
  if (!record) throw new Error(`no active staff member named "${name}"`);
  store.staffChanged(); // before the change: a command that cannot be saved is undone
  record.revokedAt = now.toISOString();
  return publicStaff(record);
}

export function revokeStaffById(store: Store, id: string, now = new Date()): StaffMember {
  const record = store.data.staff.find((s) => s.id === id && !s.revokedAt);
  if (!record) throw new Error(`no active staff member with id "${id}"`);
  store.staffChanged(); // before the change: a command that cannot be saved is undone
  record.revokedAt = now.toISOString();
  return publicStaff(record);
}

export function staffByToken(store: Store, token: string | undefined): StaffMember | null {
  if (!token) return null;
  const hash = hashToken(token);
  const record = store.data.staff.find((s) => s.tokenHash === hash && !s.revokedAt);
  return record ? publicStaff(record) : null;
}
