import type { BookingConfig, BookingLabels } from '@ringback/shared';

/** What the staff apps need of the booking config to name the assistant's choices: labels only, no synonyms or values. */
export function bookingLabels(booking: BookingConfig): BookingLabels {
  return {
    services: booking.services.map((s) => ({ id: s.id, label: s.label })),
    questions: booking.questions.map((q) => ({
      id: q.id,
      ask: q.ask,
      ...(q.options ? { options: q.options.map((o) => ({ id: o.id, label: o.label })) } : {}),
    })),
  };
}
