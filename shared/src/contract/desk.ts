import { z } from 'zod';
import type { AuditEntry } from './api.js';
import { roleSchema, type StaffMember, type ThreadSummary } from './model.js';

/** Front-desk operations: contacts, quick replies, call-backs, staff and audit queries (REST bodies and replies). */

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number like +15125550100');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2024-03-01');
const tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} _-]+$/u, 'tags are letters, digits, spaces, dashes and underscores');

export interface Contact {
  id: string;
  name: string;
  /** E.164. One contact per number. */
  phone: string;
  tags: string[];
  notes: string;
  /** YYYY-MM-DD, when they became a customer. */
  customerSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Tag given to every caller recovered from a missed call, so outcomes can be filtered. */
export const RECOVERY_TAG = 'missed-call-recovery';

const contactFields = {
  name: z.string().trim().min(1, 'name is empty').max(120),
  phone: z.string().trim().min(3, 'phone is empty').max(40),
  tags: z.array(tag).max(20),
  notes: z.string().max(4000),
  customerSince: day.nullable(),
};
/** A contact as staff enter it; the phone may be national ("(512) 555-1077") and is stored as E.164. */
export const contactBodySchema = z.object({
  ...contactFields,
  tags: contactFields.tags.default([]),
  notes: contactFields.notes.default(''),
  customerSince: contactFields.customerSince.default(null),
});
export type ContactBody = z.infer<typeof contactBodySchema>;
/** Only the fields given change (no defaults, so a patch never clears what it does not name). */
export const contactPatchSchema = z.object(contactFields).partial();

export const contactListQuerySchema = z.object({
  tag: tag.optional(),
  /** Part of a name or number. */
  q: z.string().trim().min(1).max(80).optional(),
});

export interface ContactListReply {
  contacts: Contact[];
}
export interface ContactReply {
  contact: Contact;
  /** Their threads, newest first (the caller's history with the business). */
  threads: ThreadSummary[];
}
export interface ContactImportReply {
  created: number;
  updated: number;
}
/** A rejected import: nothing was saved; one entry per bad row (line numbers count the header as 1). */
export interface CsvRowError {
  line: number;
  message: string;
}

export interface QuickReply {
  id: string;
  label: string;
  /** Template text: {{firstName}}, {{bookingUrl}}, {{staffName}}, {{business}}, {{location}}; {{x|fallback}}. */
  text: string;
  /** null: every location. */
  locationId: string | null;
  updatedAt: string;
}
export const quickReplyBodySchema = z.object({
  label: z.string().trim().min(1, 'label is empty').max(40),
  text: z.string().trim().min(1, 'text is empty').max(1600),
  locationId: z.string().min(1).max(64).nullable().default(null),
});
export const quickReplyPatchSchema = z
  .object({ label: quickReplyBodySchema.shape.label, text: quickReplyBodySchema.shape.text, locationId: z.string().min(1).max(64).nullable() })
  .partial();
export const quickReplyQuerySchema = z.object({
  location: z.string().min(1).max(64).optional(),
  /** Render each reply for this thread (its caller, location and the asking staff member). */
  thread: z.string().min(1).max(64).optional(),
});
export interface QuickReplyListReply {
  quickReplies: (QuickReply & { rendered?: string })[];
  /** With `thread`: its `{{bookingUrl}}` (the caller's own booking page where the location books through Ringback). */
  bookingUrl?: string;
}

export const callbackStates = ['ringing-staff', 'ringing-caller', 'connected', 'no-answer', 'failed'] as const;
export type CallbackState = (typeof callbackStates)[number];
/** A call-back: the staff member's phone rings first, then the caller is bridged in from the tracking number. */
export interface Callback {
  id: string;
  threadId: string;
  staffId: string;
  staffName: string;
  staffPhone: string;
  caller: string;
  from: string;
  state: CallbackState;
  /** Plivo's request_uuid, then the staff leg's CallUUID. */
  requestUuid: string | null;
  at: string;
  endedAt: string | null;
  reason: string | null;
}
export const callbackBodySchema = z.object({
  /** Ring this phone instead of the staff member's own. */
  phone: z.string().trim().min(3).max(40).optional(),
});
export interface CallbackReply {
  callback: Callback;
}

export const assignBodySchema = z.object({ staffId: z.string().min(1).max(64) });
export const reviewBodySchema = z.object({ decision: z.enum(['confirm', 'dismiss']) });

export const staffCreateSchema = z.object({
  name: z.string().trim().min(1).max(80),
  role: roleSchema,
  phone: z.string().trim().min(3).max(40).optional(),
});
export interface StaffListReply {
  staff: (StaffMember & { createdAt: string; revokedAt: string | null })[];
}
export interface StaffCreateReply {
  staff: StaffMember;
  /** Shown once; stored only as a hash. */
  token: string;
}

export const auditQuerySchema = z.object({
  action: z.string().min(1).max(40).optional(),
  /** Staff id of the actor; "system" for changes nobody made by hand. */
  staff: z.string().min(1).max(64).optional(),
  thread: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
export type { AuditEntry };

export { e164 as e164Schema };

/**
 * What a manager may change while the relay runs (PATCH /api/settings). The rest of the business
 * configuration (numbers, desk phones, hours) stays in the file, where a deploy reviews it.
 */
export const settingsPatchSchema = z
  .object({
    business: z.object({ bookingUrl: z.url(), averageValue: z.number().nonnegative(), monthlyCost: z.number().nonnegative() }).partial().strict(),
    sla: z.object({ claimMinutes: z.number().positive(), replyMinutes: z.number().positive() }).partial().strict(),
    textBack: z.object({ dedupeMinutes: z.number().int().min(0).max(10_080), maxWaitSeconds: z.number().int().min(1).max(3600) }).partial().strict(),
    keywords: z.record(z.string(), z.string().min(1)),
    /** Template texts per location id. */
    templates: z.record(z.string(), z.object({ missed: z.string().min(1), afterHours: z.string().min(1), voicemail: z.string().min(1) }).partial().strict()),
    urgencyWords: z.array(z.string().trim().min(2).max(40)).max(200),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export interface SettingsReply {
  business: { bookingUrl: string; averageValue: number; monthlyCost: number };
  sla: { claimMinutes: number; replyMinutes: number };
  textBack: { dedupeMinutes: number; maxWaitSeconds: number };
  keywords: Record<string, string>;
  templates: Record<string, { missed: string; afterHours: string; voicemail: string }>;
  urgencyWords: string[];
  /** The changes made through the API, kept on top of the configuration file. */
  overrides: SettingsPatch;
}
