import { z } from 'zod';
import type { AssistantState, BookedBy } from './booking.js';

/** The records the relay stores and serves. Times are ISO-8601 UTC strings. */

export const roles = ['receptionist', 'manager'] as const;
export const roleSchema = z.enum(roles);
export type Role = (typeof roles)[number];

export const staffMemberSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  /** Desk phone (E.164) a call-back rings first; absent when none was given. */
  phone: z.string().nullable().optional(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const lineTypes = ['mobile', 'landline', 'voip', 'toll-free', 'unknown'] as const;
export type LineType = (typeof lineTypes)[number];

/** Why a text was not sent; stored on the thread or message and shown to staff. */
export const skipReasons = [
  'opted-out', // the caller replied STOP
  'landline', // Lookup says the number cannot take SMS: call back by phone
  'duplicate', // a text-back already went to this caller within the dedupe window
  'invalid-number', // not a dialable number
  'anonymous', // caller ID withheld
  'quiet-hours', // held by the quiet-hours policy and then expired
  'expired', // held too long (outage backlog) to still be useful
] as const;
export type SkipReason = (typeof skipReasons)[number];

export const outcomes = ['booked', 'estimate-sent', 'callback-done', 'no-answer', 'wrong-number', 'spam', 'other'] as const;
export const outcomeSchema = z.enum(outcomes);
export type Outcome = (typeof outcomes)[number];

export type TextBackState = 'pending' | 'sent' | 'delivered' | 'failed' | 'skipped';

export interface Claim {
  staffId: string;
  staffName: string;
  at: string;
}

export interface Resolution {
  outcome: Outcome;
  value: number;
  staffId: string;
  staffName: string;
  at: string;
}

export interface ThreadSummary {
  id: string;
  /** Sequence number of the last change to this thread or anything in it. */
  seq: number;
  locationId: string;
  /** The business number the caller reached; replies are sent from it. */
  trackingNumber: string;
  /** E.164, or the raw caller ID when it is not a number ("anonymous"). */
  caller: string;
  /** The caller's number as staff read it: national format for the business's country ("(512) 555-1077"). */
  callerDisplay: string;
  callerName: string | null;
  status: 'open' | 'resolved';
  openedAt: string;
  updatedAt: string;
  lastMissedAt: string | null;
  missedCount: number;
  lineType: LineType | null;
  optedOut: boolean;
  textBack: { state: TextBackState; reason: SkipReason | null; messageId: string | null; at: string | null } | null;
  voicemail: { url: string; durationSec: number } | null;
  claim: Claim | null;
  resolution: Resolution | null;
  /** The newest text; `kind` says whether an outgoing one was written by staff or sent automatically. */
  lastMessage: { direction: 'in' | 'out'; text: string; at: string; kind?: MessageKind } | null;
  /** Past its SLA right now (open hours only): red in the queue and on the wall. Cleared by a claim or a reply. */
  escalation?: Escalation | null;
  /** A reply used urgent words (leak, bleeding, today…): the thread rises to the top with a badge. */
  urgent?: boolean;
  /** The words that made it urgent. */
  urgentWords?: string[];
  /** A plain-words revocation waiting for staff to confirm or dismiss (compliance.revocationByIntent = review). */
  optOutReview?: { messageId: string; text: string; at: string } | null;
  /** The contact this caller is, when known. */
  contactId?: string | null;
  /** The booking assistant's conversation, when it has taken this thread. */
  assistant?: AssistantState | null;
  /** The appointment booked from this thread (the newest one that is not cancelled). */
  booking?: ThreadBooking | null;
}

/** What a thread shows of its booking. */
export interface ThreadBooking {
  id: string;
  serviceId: string;
  serviceLabel: string;
  start: string;
  end: string;
  by: BookedBy;
  /** Who booked it when `by` is staff ("booked by Riley"). */
  staffName?: string | null;
}

export const escalationReasons = ['unclaimed', 'no-reply'] as const;
export type EscalationReason = (typeof escalationReasons)[number];
export interface Escalation {
  reason: EscalationReason;
  at: string;
  /** Start of the breached wait: the missed call for 'unclaimed', the claim for 'no-reply'. */
  since: string;
}

export interface Call {
  id: string; // Plivo CallUUID
  threadId: string | null;
  locationId: string;
  from: string;
  to: string;
  startedAt: string;
  endedAt: string | null;
  outcome: 'ringing' | 'answered' | 'missed';
  afterHours: boolean;
  dialStatus: string | null;
  missedAt: string | null;
  voicemail: { url: string; durationSec: number } | null;
  /** The text-back decision for this call has been taken (sent, queued or skipped). */
  textBackSettled: boolean;
  /** Why this call got no text-back of its own (a repeat call within the dedupe window, say). */
  textBackSkipped: SkipReason | null;
}

export const messageStatuses = [
  'received',
  'queued',
  'sending',
  /** Plivo is unavailable; the relay keeps retrying (statusReason says how it stands). */
  'retrying',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'blocked',
  'unknown',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** `assistant`: written by the booking assistant (shared/src/contract/booking.ts). */
export type MessageKind = 'inbound' | 'text-back' | 'reply' | 'keyword' | 'compliance' | 'assistant';

export interface Message {
  id: string;
  threadId: string;
  seq: number;
  direction: 'in' | 'out';
  kind: MessageKind;
  text: string;
  at: string;
  /** When Plivo accepted the send (outbound only). */
  sentAt: string | null;
  status: MessageStatus;
  /** Why it failed or was blocked, in words staff can act on. */
  statusReason: string | null;
  /** Inbound that reads like another system's auto-reply: no keyword answer is sent to it. */
  automated?: boolean;
  plivoUuid: string | null;
  staffId: string | null;
  staffName: string | null;
  clientId: string | null;
  /** The copy variant a text-back used, when an experiment was running. */
  variant?: { experiment: string; variant: string } | null;
}

export interface Note {
  id: string;
  threadId: string;
  staffId: string;
  staffName: string;
  text: string;
  at: string;
}

/** Ratios of the figures below; null when the denominator is zero. */
export interface MetricRates {
  missedCallRate: number | null;
  autoTextRate: number | null;
  contactability: number | null;
  deliveryRate: number | null;
  replyRate: number | null;
  qualifiedRate: number | null;
  bookingPerDelivered: number | null;
  bookingPerReply: number | null;
  optOutRate: number | null;
}

/** Money recovered against what Ringback costs over the same range. */
export interface Roi {
  subscriptionCost: number;
  smsCost: number;
  cost: number;
  /** Modest case: only the values staff recorded on threads they resolved as booked. */
  revenue: number;
  /** Estimate: replies × the assumed booking rate × the average value. */
  estimatedRevenue: number;
  net: number;
  multiple: number | null;
  /** Days of recovered revenue that pay for one month of Ringback. */
  paybackDays: number | null;
  adminMinutesSaved: number;
}

export interface StaffFigures {
  staffId: string;
  name: string;
  claimed: number;
  replied: number;
  booked: number;
}

export interface Metrics {
  from: string;
  to: string;
  /** null: every location. */
  locationId: string | null;
  inbound: number;
  answered: number;
  missed: number;
  smsCapable: number;
  texted: number;
  delivered: number;
  failed: number;
  replied: number;
  qualified: number;
  staffReplies: number;
  claimed: number;
  booked: number;
  revenue: number;
  optOuts: number;
  slaBreaches: number;
  smsSegments: number;
  openUnclaimed: number;
  breachingSla: number;
  medianTimeToTextSec: number | null;
  p90TimeToTextSec: number | null;
  medianTimeToClaimSec: number | null;
  p90TimeToClaimSec: number | null;
  medianTimeToHumanReplySec: number | null;
  p90TimeToHumanReplySec: number | null;
  rates: MetricRates;
  revenuePerMissedCall: number | null;
  costPerBooking: number | null;
  roi: Roi;
  /** Calls by local hour of the day (location time zone) over the range. */
  byHour: { hour: number; missed: number; answered: number }[];
  /** Average missed calls per hour on the same weekday over the previous four weeks (single-day ranges). */
  usualByHour: { hour: number; missed: number }[] | null;
  staff: StaffFigures[];
  /** The booking funnel over the range (missed → texted → replied → qualified → booked) and the time to booking. */
  funnel: Funnel;
}

export interface Funnel {
  missed: number;
  texted: number;
  replied: number;
  /** Threads with everything needed to book: the assistant's questions answered, or a two-way conversation with staff. */
  qualified: number;
  booked: number;
  bookedBy: Record<BookedBy, number>;
  /** From the missed call to the booking being made. */
  medianTimeToBookingSec: number | null;
  p90TimeToBookingSec: number | null;
  /** Per A/B variant: text-backs it sent in the range, and the threads they reached booked in the range. */
  byVariant: FunnelVariant[];
}

export interface FunnelVariant {
  experiment: string;
  variant: string;
  texted: number;
  booked: number;
  /** booked ÷ texted; null without text-backs. */
  rate: number | null;
}
