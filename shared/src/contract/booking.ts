import { z } from 'zod';

/**
 * The booking assistant: the business's own qualification questions, its services, and where bookings go
 * (the built-in schedule or a CalDAV calendar). Configured under `booking` in the business file; each
 * location chooses when the assistant takes a thread over (`locations[].booking`).
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM (24-hour clock)');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** One answer a caller may give: "the second one", "2", "a cleaning please" and the synonyms all pick it. */
export const choiceSchema = z
  .object({
    id,
    label: z.string().min(1).max(60),
    /** Other words a caller uses for it ("clean", "hygiene"). */
    synonyms: z.array(z.string().trim().min(2).max(40)).default([]),
  })
  .strict();
export type Choice = z.infer<typeof choiceSchema>;

/** A service the practice books: how long it takes and what it is worth (the value a `booked` resolution records). */
export const serviceSchema = choiceSchema
  .extend({
    minutes: z.number().int().min(5).max(8 * 60),
    value: z.number().nonnegative().default(0),
    /** Never booked by text: choosing it hands the thread to staff at once and pages the desk (pain, emergency). */
    urgent: z.boolean().default(false),
  })
  .strict();
export type Service = z.infer<typeof serviceSchema>;

/** A qualification question, asked one at a time after the service. */
export const questionSchema = z
  .object({
    id,
    /** The text sent; the options are listed after it ("1) New 2) Existing"). */
    ask: z.string().min(1).max(200),
    /** Choices, or free text (a ZIP code) when absent. */
    options: z.array(choiceSchema).min(2).optional(),
    /** Free-text answers must match this (e.g. a 5-digit ZIP). */
    pattern: z.string().optional(),
    /** Free-text answers must be one of these (a service area's ZIP codes); others go to staff. */
    allowed: z.array(z.string()).optional(),
    /** Known for an existing contact: skipped when the contact already has the answer (e.g. "patient" → "existing"). */
    knownForContacts: z.string().optional(),
  })
  .strict();
export type Question = z.infer<typeof questionSchema>;

/** Bookable hours per weekday, the place's capacity, and the days it is closed. */
export const scheduleSchema = z
  .object({
    hours: z.partialRecord(z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']), z.array(z.tuple([clock, clock]))),
    /** Appointments that may overlap (chairs, crews). */
    capacity: z.number().int().min(1).max(50).default(1),
    /** Minutes kept free after each appointment. */
    bufferMinutes: z.number().int().min(0).max(240).default(0),
    /** Slots start on this grid (minutes past the hour). */
    stepMinutes: z.number().int().min(5).max(120).default(30),
    holidays: z.array(day).default([]),
    /** No slot sooner than this many minutes from now. */
    minNoticeMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
    /** Slots up to this many days ahead. */
    horizonDays: z.number().int().min(1).max(180).default(21),
  })
  .strict();
export type Schedule = z.infer<typeof scheduleSchema>;

export const caldavSchema = z
  .object({
    type: z.literal('caldav'),
    /** The calendar collection's URL (https://…/calendars/user/practice/). */
    url: z.url(),
    username: z.string().min(1),
    /** The environment variable holding the password or app password (never the password itself). */
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'),
  })
  .strict();
export const calendarSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('built-in') }).strict(), caldavSchema]);
export type CalendarConfig = z.infer<typeof calendarSchema>;

export const assistantModes = ['always', 'after-hours', 'never'] as const;
export type AssistantMode = (typeof assistantModes)[number];

/** Per location: when the assistant takes a thread, where it books, and the bookable hours. */
export const locationBookingSchema = z
  .object({
    assistant: z.enum(assistantModes).default('never'),
    calendar: calendarSchema.default({ type: 'built-in' }),
    schedule: scheduleSchema,
  })
  .strict();
export type LocationBooking = z.infer<typeof locationBookingSchema>;

/** An OpenAI-compatible chat-completions endpoint that may classify replies the rules did not understand. */
export const classifierSchema = z
  .object({
    url: z.url(),
    model: z.string().min(1),
    /** Environment variable holding the API key (none for a local server). */
    apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
    timeoutMs: z.number().int().min(100).max(10_000).default(2000),
  })
  .strict();
export type ClassifierConfig = z.infer<typeof classifierSchema>;

export const bookingConfigSchema = z
  .object({
    services: z.array(serviceSchema).min(1),
    questions: z.array(questionSchema).default([]),
    /** Texts the assistant may send in a row without a reply from the caller; then it waits (and staff see why). */
    maxTextsWithoutReply: z.number().int().min(1).max(10).default(3),
    /** Slots offered at a time. */
    offers: z.number().int().min(1).max(5).default(3),
    /** Hours a self-booking link stays valid. */
    linkHours: z.number().int().min(1).max(24 * 14).default(72),
    classifier: classifierSchema.optional(),
  })
  .strict();
export type BookingConfig = z.infer<typeof bookingConfigSchema>;

/** Who made a booking: the assistant by text, the caller on the self-booking page, or staff. */
export const bookedBy = ['assistant', 'self', 'staff'] as const;
export type BookedBy = (typeof bookedBy)[number];

/** A time, in the location's zone, as an instant pair (ISO UTC). */
export interface Slot {
  start: string;
  end: string;
}

export interface Booking {
  id: string;
  threadId: string;
  locationId: string;
  serviceId: string;
  start: string;
  end: string;
  caller: string;
  callerName: string | null;
  /** Question id → choice id (or the free text). */
  answers: Record<string, string>;
  by: BookedBy;
  /** The staff member who booked, when `by` is staff. */
  staffId: string | null;
  createdAt: string;
  status: 'booked' | 'cancelled';
  cancelledAt: string | null;
  /** Where it lives: the relay's own schedule, or the CalDAV event's href and etag. */
  calendar: { type: 'built-in' } | { type: 'caldav'; href: string; etag: string | null };
}

/** Why the assistant stepped back: staff see it on the thread. */
export const handOffReasons = ['claimed', 'off-script', 'urgent', 'text-cap', 'opted-out', 'no-slots', 'calendar-down'] as const;
export type HandOffReason = (typeof handOffReasons)[number];

/** The assistant's part of a thread: where the conversation stands. */
export interface AssistantState {
  step: 'service' | 'question' | 'time' | 'offer' | 'booked' | 'handed-off';
  /** The question being asked when step is 'question'. */
  questionId: string | null;
  serviceId: string | null;
  answers: Record<string, string>;
  /** The caller's wish in words and as a window ("tomorrow morning"). */
  wish: { text: string; from: string; to: string } | null;
  /** Slots offered in the last text, numbered from 1 in the order sent. */
  offered: Slot[];
  /** Texts sent since the caller last wrote. */
  textsSinceReply: number;
  startedAt: string;
  /** Set once the conversation has enough to book (the service and every question answered). */
  qualifiedAt: string | null;
  bookingId: string | null;
  handedOff: { reason: HandOffReason; at: string } | null;
  /** Replies in a row the assistant did not understand (two hand the thread to staff). */
  misses?: number;
}

/** Staff book a time for a thread (`POST /api/threads/:id/booking`): its start; the length comes from the service. */
export const staffBookBodySchema = z.object({ start: z.iso.datetime(), serviceId: id.optional() }).strict();
/** Staff move a booking (`POST /api/bookings/:id/move`). */
export const bookingMoveBodySchema = z.object({ start: z.iso.datetime() }).strict();
/** Free times for a thread (`GET /api/threads/:id/offers`): for a service, near a wish in words ("friday after 3"). */
/** The caller's self-booking page: free times (`GET /book/:token/slots`) and a booking (`POST /book/:token`). */
export const selfBookSlotsQuerySchema = z.object({ service: id.optional(), from: z.iso.date().optional() });
export const selfBookBodySchema = z.object({ serviceId: id, start: z.iso.datetime({ offset: true }) });
export const offersQuerySchema = z.object({ service: id.optional(), wish: z.string().max(200).optional() }).strict();
