import { bookedBy, type AuditEntry, type BookedBy, type BookingEvent } from '@ringback/shared';

/**
 * A booking as the figures see it, from the booking service's `booked` audit entry (detail { bookingId, by, serviceId,
 * value }); null for anything else or a malformed entry.
 */
export function bookingEventOf(e: AuditEntry): BookingEvent | null {
  if (e.action !== 'booked' || !e.threadId) return null;
  const d = e.detail as { bookingId?: unknown; by?: unknown; value?: unknown };
  const by = bookedBy.includes(d.by as BookedBy) ? (d.by as BookedBy) : null;
  if (!by || typeof d.bookingId !== 'string') return null;
  return { threadId: e.threadId, bookingId: d.bookingId, at: e.at, by, value: typeof d.value === 'number' && Number.isFinite(d.value) ? d.value : 0 };
}
