import type { StaffMember } from '@ringback/shared';
import { recordedMode } from '../config/data-mode.js';
import type { StaffRecord } from '../store/data.js';
import type { Store } from '../store/store.js';
import { publicStaff } from './tokens.js';
import { nextAuditSeq } from '../config/data-mode.js';

/** The manager sandbox mode adds at each start; its token is printed, and revoked at a clean stop. */
export const DEMO_STAFF = 'Demo Desk';

/** Flagged demo staff, and, on data from before modes were recorded, the Demo Desk the sandbox used to add. */
export function isDemoStaff(s: StaffRecord, unmarked: boolean): boolean {
  return s.demo === true || (unmarked && s.name === DEMO_STAFF);
}

/** Revoke every active demo token (audited, by nobody's hand): real data never keeps a way in from the demo. */
export function revokeDemoStaff(store: Store, now: Date): StaffMember[] {
  const revoked: StaffMember[] = [];
  const unmarked = recordedMode(store.data) === null;
  for (const s of store.data.staff) {
    if (s.revokedAt || !isDemoStaff(s, unmarked)) continue;
    s.revokedAt = now.toISOString();
    revoked.push(publicStaff(s));
    const detail = { staffId: s.id, name: s.name, reason: 'demo staff: the data dir runs in plivo mode' };
    store.append('audit', { seq: nextAuditSeq(store.data), at: now.toISOString(), actor: null, action: 'staff-revoke', threadId: null, detail });
  }
  if (revoked.length) store.staffChanged();
  return revoked;
}
