import type { Booking, Slot, ThreadSummary } from '@ringback/shared';
import type { BookingService, Bookings } from '../bookings.js';
import type { BusyInterval } from '../calendar-port.js';

export type SelfBookResult = { ok: true; booking: Booking } | { ok: false; reason: 'taken' | 'unavailable' };

/**
 * What the self-booking page needs of the booking service: the busy time of the thread's calendar (to list
 * free slots) and a booking made by the caller (re-checked under the service's per-location lock, the thread
 * then resolved as booked). One adapter over the service, so a change there is a change here only.
 */
export interface SelfBookingPort {
  busy(thread: ThreadSummary, from: number, to: number): Promise<BusyInterval[]>;
  book(threadId: string, serviceId: string, slot: Slot): Promise<SelfBookResult>;
}

export function selfBookingPort(bookings: Pick<Bookings, 'calendar' | 'location'> & Pick<BookingService, 'book'>): SelfBookingPort {
  return {
    busy: (thread, from, to) => bookings.calendar(bookings.location(thread)).busy(from, to),
    async book(threadId, serviceId, slot) {
      const r = await bookings.book(threadId, slot, 'self', null, serviceId);
      if (r.ok) return r;
      return { ok: false, reason: r.reason === 'taken' ? 'taken' : 'unavailable' };
    },
  };
}
