import type { AuditEntry, Booking, Call, Callback, Contact, LineType, Message, Note, QuickReply, Role, SettingsPatch, ThreadSummary } from '@ringback/shared';
import { DATA_VERSION } from './migrations.js';
import { detach, table } from './own.js';

/** Everything the relay keeps in its hot file. Records are keyed by id for O(1) lookups. */
export interface StaffRecord {
  id: string;
  name: string;
  role: Role;
  /** sha256 of the token; tokens are 32 random bytes, so a fast hash is enough. */
  tokenHash: string;
  /** Desk phone (E.164) a call-back rings. */
  phone?: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** Added on demo data (or the sandbox's Demo Desk): revoked when the data dir starts in plivo mode. */
  demo?: boolean;
}

export type OutboxState = 'pending' | 'sending' | 'sent' | 'unknown' | 'failed' | 'held';

export interface OutboxEntry {
  id: string;
  messageId: string;
  from: string;
  to: string;
  text: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  lastError: string | null;
  /** Held while Plivo is down: no attempts until a probe gets an answer (absent in older files). */
  held?: boolean;
}

export interface OptOut {
  at: string;
  /** The keyword or phrase that revoked consent. */
  source: string;
  /** The one confirmation allowed after a STOP (C-4). */
  confirmationSent: boolean;
}

export interface ConsentEvent {
  at: string;
  number: string;
  event: 'opt-out' | 'opt-in' | 'help' | 'blocked-send' | 'opt-out-flagged' | 'opt-out-dismissed';
  source: string;
  messageUuid: string | null;
}

/** A webhook nonce seen with a valid signature: when, and the sha256 of the request it came with. */
export interface NonceRecord {
  at: string;
  digest: string;
}

/** A self-booking link (`/book/<token>`), stored by the sha256 of its token. */
export interface BookingLink {
  threadId: string;
  createdAt: string;
  expiresAt: string;
}

export interface Data {
  /** Which migrations the data has had (migrations.ts). */
  version: number;
  seq: number;
  /** The last journal batch this snapshot includes (later batches are replayed at start). */
  batch: number;
  staff: StaffRecord[];
  threads: Record<string, ThreadSummary>;
  calls: Record<string, Call>;
  messages: Record<string, Message>;
  notes: Record<string, Note>;
  outbox: Record<string, OutboxEntry>;
  optOuts: Record<string, OptOut>;
  lineTypes: Record<string, { type: LineType; at: string }>;
  /** Idempotency keys of handled webhooks → when. Pruned after the retry horizon. */
  processed: Record<string, string>;
  consent: ConsentEvent[];
  audit: AuditEntry[];
  contacts: Record<string, Contact>;
  quickReplies: Record<string, QuickReply>;
  callbacks: Record<string, Callback>;
  /** Settings changed through the API ('business' → the accumulated patch over the config file). */
  settings: Record<string, SettingsPatch>;
  /** Webhook nonces ('v2:…' / 'v3:…') for as long as Plivo retries, so a captured signature cannot carry a new body. */
  nonces: Record<string, NonceRecord>;
  /** Appointments booked by the assistant, the caller's self-booking page or staff (built-in schedule and CalDAV alike). */
  bookings: Record<string, Booking>;
  bookingLinks: Record<string, BookingLink>;
}

/** Collections keyed by id: a commit journals each changed record whole. */
export type MapName =
  | 'threads'
  | 'calls'
  | 'messages'
  | 'notes'
  | 'outbox'
  | 'optOuts'
  | 'lineTypes'
  | 'processed'
  | 'contacts'
  | 'quickReplies'
  | 'callbacks'
  | 'settings'
  | 'nonces'
  | 'bookings'
  | 'bookingLinks';
/** Maps added after the first release: migration 2 gives a data file without them empty ones; `nonces` later still. */
export const LATER_MAPS = ['contacts', 'quickReplies', 'callbacks', 'settings', 'nonces'] as const;
/** Maps of the booking assistant: migration 3. */
export const BOOKING_MAPS = ['bookings', 'bookingLinks'] as const;
/** Every collection keyed by id. */
export const MAP_NAMES: readonly MapName[] = ['threads', 'calls', 'messages', 'notes', 'outbox', 'optOuts', 'lineTypes', 'processed', ...LATER_MAPS, ...BOOKING_MAPS];
/** Append-only lists: a commit journals the entries added since the last one. */
export type ListName = 'consent' | 'audit';
export type RecordOf<M extends MapName> = Data[M][string];

export function emptyData(): Data {
  return {
    version: DATA_VERSION,
    seq: 0,
    batch: 0,
    staff: [],
    threads: table(),
    calls: table(),
    messages: table(),
    notes: table(),
    outbox: table(),
    optOuts: table(),
    lineTypes: table(),
    processed: table(),
    consent: [],
    audit: [],
    contacts: table(),
    quickReplies: table(),
    callbacks: table(),
    settings: table(),
    nonces: table(),
    bookings: table(),
    bookingLinks: table(),
  };
}

/** Data read from JSON: its maps lose Object.prototype, so no id can resolve to a built-in. */
export function detachMaps(data: Data): void {
  for (const map of MAP_NAMES) detach(data[map]);
}
