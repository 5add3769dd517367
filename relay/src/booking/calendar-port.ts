import type { Booking } from '@ringback/shared';

/** A busy stretch of a calendar, ms since the epoch (UTC), end exclusive. */
export interface BusyInterval {
  start: number;
  end: number;
}

/** What a calendar is asked to hold for one booking. */
export interface CalendarEvent {
  booking: Booking;
  /** "Cleaning — Dana Reyes" */
  summary: string;
  /** The caller's name, number, answers, and the thread's link, one per line. */
  description: string;
  /** Link to the thread for staff. */
  url: string;
}

/** The time was taken meanwhile (another caller, staff, or an event written by someone else): offer again. */
export class SlotTakenError extends Error {}
/** The calendar could not be read or written (network, credentials, server error): staff take over. */
export class CalendarUnavailableError extends Error {}

/**
 * Where a location's bookings live: the relay's built-in schedule or a CalDAV calendar. The booking
 * service serialises bookings per location and re-checks the slot inside `book`, so two callers racing
 * for one slot get one booking and one SlotTakenError.
 */
export interface CalendarPort {
  /** Busy intervals overlapping [from, to): bookings, and for CalDAV every event that blocks time. */
  busy(from: number, to: number): Promise<BusyInterval[]>;
  /** Write the booking; SlotTakenError when [start, end) no longer fits (capacity, buffers, another event). */
  book(event: CalendarEvent): Promise<Booking['calendar']>;
  /** Remove a booking's event (a cancelled or moved booking). */
  cancel(where: Booking['calendar']): Promise<void>;
}
