import { slotLabel, type Booking, type Choice, type Question, type Service, type Slot } from '@ringback/shared';

/** What the assistant says: short, one question at a time, options numbered so "2" is an answer. */

/** A confirmation is read again later: it names the date, never "tomorrow". */
const dated = (slot: Slot, timezone: string): string => slotLabel(slot, timezone, new Date(0));

export const numbered = (labels: readonly string[]): string => labels.map((l, i) => `${i + 1}) ${l}`).join(' ');

export const greeting = (firstName: string | null): string => (firstName ? `Hi ${firstName}! ` : 'Hi! ');

export const askService = (services: readonly Service[]): string => `What can we help you with? ${numbered(services.map((s) => s.label))}`;

export const askQuestion = (q: Question): string => (q.options ? `${q.ask} ${numbered(q.options.map((o: Choice) => o.label))}` : q.ask);

export function offerText(slots: readonly Slot[], timezone: string, now: Date, service: Service, lead = ''): string {
  const picks = slots.length === 1 ? 'Reply 1 to book it' : `Reply ${slots.map((_, i) => i + 1).join(', ').replace(/, (\d+)$/, ' or $1')} to book`;
  return `${lead}${service.label}: ${numbered(slots.map((s) => slotLabel(s, timezone, now)))}. ${picks}, or tell me another day and time.`;
}

export const noSlotsText = (service: Service): string =>
  `Sorry, we have no free time for a ${service.label.toLowerCase()} then. Which other day would suit you?`;

export const askTime = 'Which day and time would suit you? For example "tomorrow after 3" or "next Tuesday morning".';

export const notUnderstood = (again: string): string => `Sorry, I didn't catch that. ${again}`;

export const handOffText = "Thanks! I'm passing you to our team now; someone will get back to you shortly.";

export const urgentText = "I'm sorry to hear that. I'm letting our team know right away; someone will contact you as soon as possible.";

export function bookedText(booking: Booking, service: Service, where: string, timezone: string, calendarLink: string | null): string {
  const when = dated(booking, timezone);
  const add = calendarLink ? ` Add it to your calendar: ${calendarLink}` : '';
  return `You're booked: ${service.label}, ${when} at ${where}.${add} Reply MOVE to change the time or "cancel appointment" to cancel.`;
}

export function movedText(booking: Booking, service: Service, timezone: string, calendarLink: string | null): string {
  const add = calendarLink ? ` Updated calendar entry: ${calendarLink}` : '';
  return `Done, your ${service.label.toLowerCase()} is now ${dated(booking, timezone)}.${add}`;
}

export const cancelledText = (service: Service, booking: Booking, timezone: string): string =>
  `Your ${service.label.toLowerCase()} on ${dated(booking, timezone)} is cancelled. Reply with a day and time if you'd like to book again.`;

export const takenText = 'Sorry, that time was just taken. ';
