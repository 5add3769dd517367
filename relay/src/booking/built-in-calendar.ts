import { slotIsFree, type Booking, type Schedule } from '@ringback/shared';
import type { Data } from '../store/data.js';
import { SlotTakenError, type BusyInterval, type CalendarEvent, type CalendarPort } from './calendar-port.js';

/**
 * The relay's own schedule: a location's busy time is its bookings that are not cancelled. Booking re-checks
 * the exact slot against the schedule (hours, capacity, buffers, holidays) and writes nothing: the booking
 * record itself is stored by the booking service in the same change that resolves the thread.
 */
export class BuiltInCalendar implements CalendarPort {
  constructor(
    private readonly data: Data,
    private readonly locationId: string,
    private readonly schedule: Schedule,
    private readonly timezone: string,
    private readonly now: () => Date,
    /** Bookings left out of busy time (the one being moved). */
    private readonly ignore: ReadonlySet<string> = new Set(),
  ) {}

  async busy(from: number, to: number): Promise<BusyInterval[]> {
    return this.bookings()
      .map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }))
      .filter((b) => b.start < to && from < b.end)
      .sort((a, b) => a.start - b.start);
  }

  async book(event: CalendarEvent): Promise<Booking['calendar']> {
    const { booking } = event;
    const start = Date.parse(booking.start);
    const end = Date.parse(booking.end);
    const free = slotIsFree({
      schedule: this.schedule,
      timezone: this.timezone,
      busy: await this.busy(start - 24 * 3600_000, end + 24 * 3600_000),
      now: this.now().getTime(),
      slot: booking,
    });
    if (!free) throw new SlotTakenError('that time is no longer free');
    return { type: 'built-in' };
  }

  async cancel(): Promise<void> {
    // Nothing outside the store: the service marks the booking cancelled, which frees its time.
  }

  private bookings(): Booking[] {
    return Object.values(this.data.bookings).filter((b) => b.locationId === this.locationId && b.status === 'booked' && !this.ignore.has(b.id));
  }
}
