import type { Booking, Slot } from '@ringback/shared';
import type { BusyInterval } from '../calendar-port.js';

export type SelfBookResult = { ok: true; booking: Booking } | { ok: false; reason: 'taken' | 'unavailable' };

/**
 * What the self-booking page needs of the booking service: the busy time of a location's calendar (to list
 * free slots) and a booking made by the caller (re-checked under the service's per-location lock, the thread
 * then resolved as booked). relay.ts passes the service through `selfBookingPort`.
 */
export interface SelfBookingPort {
  busy(locationId: string, from: number, to: number): Promise<BusyInterval[]>;
  book(threadId: string, serviceId: string, slot: Slot): Promise<SelfBookResult>;
}
