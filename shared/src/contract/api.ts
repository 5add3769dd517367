import { z } from 'zod';
import { outcomeSchema, roleSchema } from './model.js';
import type { Call, Message, Metrics, Note, StaffMember, ThreadSummary } from './model.js';
import type { Callback, Contact } from './desk.js';
import type { ExperimentResult } from '../domain/experiments.js';

/** REST bodies (validated by the relay) and replies (typed for the clients). */

export const threadListQuerySchema = z.object({
  status: z.enum(['open', 'resolved']).default('open'),
  cursor: z.string().regex(/^\d+$/, 'cursor is an opaque number from nextCursor').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ThreadListQuery = z.infer<typeof threadListQuerySchema>;

export const resolveBodySchema = z.object({
  outcome: outcomeSchema,
  value: z.number().nonnegative().max(10_000_000).optional(),
});
export type ResolveBody = z.infer<typeof resolveBodySchema>;

export const replyBodySchema = z.object({
  text: z.string().trim().min(1, 'text is empty').max(1600, 'text is longer than 1600 characters'),
  clientId: z.string().min(1).max(100).optional(),
});
export type ReplyBody = z.infer<typeof replyBodySchema>;

/** `POST /api/threads/:id/messages/:messageId/cancel`: withdraw a text that has not gone out yet. */
export const messageParamsSchema = z.object({ id: z.string().min(1).max(64), messageId: z.string().min(1).max(64) });

export const noteBodySchema = z.object({ text: z.string().trim().min(1, 'text is empty').max(4000) });
export type NoteBody = z.infer<typeof noteBodySchema>;

export const eventsQuerySchema = z.object({ since: z.coerce.number().int().min(0) });

/**
 * `?from=&to=&location=` of the figures, the staffing grid and the exports. The ends' bounds and the
 * longest span depend on the clock: see `rangeProblem` (shared/src/domain/figure-range.ts).
 */
export const rangeQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** A location id; all locations when absent. */
  location: z.string().min(1).max(64).optional(),
});
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

/** `?month=YYYY-MM&location=` of the monthly review; no month is the current one in the location's time zone. */
export const monthQuerySchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month is YYYY-MM').optional(),
  location: z.string().min(1).max(64).optional(),
});

/** `POST /api/reports/monthly/link`: a single-use page address (relative to the relay) that expires in minutes. */
export interface ReviewLinkReply {
  path: string;
  expiresAt: string;
}

export const staffAddSchema = z.object({ name: z.string().trim().min(1).max(80), role: roleSchema });

export interface ApiError {
  error: { code: string; message: string; owner?: { id: string; name: string }; errors?: { line: number; message: string }[] };
}

export interface MeReply {
  staff: StaffMember;
  /** `averageValue`: what a booking without a value counts, shown before staff resolve. */
  business: { name: string; bookingUrl: string; averageValue?: number };
  locations: { id: string; name: string; timezone: string; numbers: string[] }[];
  sla: { claimMinutes: number; replyMinutes?: number };
  seq: number;
  /** The booking assistant's services and questions, so a thread shows "Cleaning" for `cleaning`; absent without `booking`. */
  booking?: BookingLabels;
}
/** Labels of the business's booking choices (ids as the assistant stores them in a thread). */
export interface BookingLabels {
  services: { id: string; label: string }[];
  questions: { id: string; ask: string; options?: { id: string; label: string }[] }[];
}
export interface ThreadListReply {
  threads: ThreadSummary[];
  nextCursor: string | null;
  seq: number;
}
export interface ThreadDetailReply {
  thread: ThreadSummary;
  calls: Call[];
  messages: Message[];
  notes: Note[];
  seq: number;
  /** Who the caller is, when they are a contact. */
  contact?: Contact | null;
  callbacks?: Callback[];
  /** This thread's audit entries, oldest first (claims, escalations, opt-out decisions…). */
  history?: AuditEntry[];
}
export interface ThreadReply {
  thread: ThreadSummary;
}
export interface MessageReply {
  message: Message;
}
export interface NoteReply {
  note: Note;
}
/** Everything that changed after `since`, as current state (threads and messages with seq > since). */
export interface EventsReply {
  seq: number;
  threads: ThreadSummary[];
  messages: Message[];
}
export type MetricsReply = Metrics;

export interface ExperimentsReply {
  experiments: ExperimentResult[];
}

export interface StaffingReply {
  from: string;
  to: string;
  locationId: string | null;
  /** weekday: 0 = Sunday, in the location's time zone. */
  cells: { weekday: number; hour: number; missed: number; answered: number }[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { id: string; name: string } | null;
  action: string;
  threadId: string | null;
  detail: Record<string, unknown>;
}
export interface AuditReply {
  entries: AuditEntry[];
}
