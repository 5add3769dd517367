import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AssistantState, Booking, BookingConfig, Message, Slot } from '@ringback/shared';
import { demoConfig } from '../config/demo.js';
import { own } from '../store/own.js';
import { Store } from '../store/store.js';

/**
 * For the browser end-to-end tests of the thread screens: a booking assistant's conversation written into a
 * stopped relay's data dir, onto a thread the relay made itself from a real missed call and reply. The specs
 * then start the relay again and look at what staff see. (The assistant's own tests drive real conversations.)
 */

export const SEED_TIMEZONE = 'America/Chicago';

/** The demo business with services and questions to name, and no location handing threads to a live assistant. */
export const seedBooking: Pick<BookingConfig, 'services' | 'questions'> = {
  services: [
    { id: 'cleaning', label: 'Cleaning', synonyms: ['clean', 'hygiene'], minutes: 60, value: 180, urgent: false },
    { id: 'pain', label: 'Pain or emergency', synonyms: ['pain', 'toothache'], minutes: 30, value: 250, urgent: true },
    { id: 'consult', label: 'Consultation', synonyms: ['consult'], minutes: 30, value: 120, urgent: false },
  ],
  questions: [
    {
      id: 'patient',
      ask: 'Are you a new or existing patient?',
      options: [
        { id: 'new', label: 'New patient', synonyms: ['new'] },
        { id: 'existing', label: 'Existing patient', synonyms: ['existing'] },
      ],
    },
  ],
};

/** Writes the business file the seeded relay runs with; returns its path. */
export async function writeSeedConfig(dir: string): Promise<string> {
  const c = structuredClone(demoConfig);
  for (const l of c.locations) delete l.booking;
  c.booking = { ...seedBooking };
  const file = path.join(dir, 'ringback.config.json');
  await writeFile(file, JSON.stringify(c, null, 2));
  return file;
}

/** An instant from a wall-clock time in the seed location's zone, `days` from today there. */
export function localTime(days: number, hh: number, mm = 0, nowMs = Date.now()): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: SEED_TIMEZONE }).format(new Date(nowMs + days * 86_400_000));
  // Date.UTC carries minutes past 59 into the hour (9:60 is 10:00).
  const guess = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), hh, mm);
  // The zone's offset at that moment (twice: a guess across a DST change settles on the second pass).
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: SEED_TIMEZONE, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const offset = (t: number) => {
    const p = Object.fromEntries(parts.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return t - Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
  };
  return new Date(guess + offset(guess + offset(guess))).toISOString();
}

export interface SeedOptions {
  caller: string;
  /** 'offer': the assistant has offered three times tomorrow morning; 'booked': the caller took the second. */
  stage: 'offer' | 'booked';
}

/** Puts the assistant's part of the conversation onto the caller's thread (the relay must be stopped). */
export async function seedAssistantConversation(dir: string, opts: SeedOptions): Promise<{ threadId: string; offered: Slot[]; booking: Booking | null }> {
  const store = await Store.open(dir);
  try {
    const data = store.data;
    const thread = Object.values(data.threads).find((t) => t.caller === opts.caller);
    if (!thread) throw new Error(`no thread for ${opts.caller}: make the relay take a missed call from it first`);
    const base = Math.max(Date.now(), ...Object.values(data.messages).filter((m) => m.threadId === thread.id).map((m) => Date.parse(m.at)));
    let step = 0;
    const next = () => new Date(base + ++step * 1000).toISOString();
    const offered: Slot[] = [0, 30, 60].map((m) => ({ start: localTime(1, 9, m), end: localTime(1, 10, m) }));
    let booking: Booking | null = null;
    store.transaction(() => {
      const say = (direction: 'in' | 'out', text: string): Message => {
        const at = next();
        const m: Message = {
          id: randomUUID(),
          threadId: thread.id,
          seq: store.nextSeq(),
          direction,
          kind: direction === 'in' ? 'inbound' : 'assistant',
          text,
          at,
          sentAt: direction === 'out' ? at : null,
          status: direction === 'out' ? 'delivered' : 'received',
          statusReason: null,
          plivoUuid: null,
          staffId: null,
          staffName: null,
          clientId: null,
        };
        store.put('messages', m.id, m);
        return m;
      };
      say('out', 'Happy to help you book a cleaning! Are you a new or existing patient? 1) New patient 2) Existing patient');
      say('in', "I'm new");
      let last = say('out', 'I can offer tomorrow: 1) 9:00 AM 2) 9:30 AM 3) 10:00 AM. Reply with a number.');
      const state: AssistantState = {
        step: 'offer',
        questionId: null,
        serviceId: 'cleaning',
        answers: { patient: 'new' },
        wish: { text: 'tomorrow morning', from: localTime(1, 8), to: localTime(1, 12) },
        offered,
        textsSinceReply: 1,
        startedAt: new Date(base).toISOString(),
        qualifiedAt: last.at,
        bookingId: null,
        handedOff: null,
      };
      const t = store.edit('threads', thread.id)!;
      if (opts.stage === 'booked') {
        say('in', '2');
        last = say('out', "You're booked: cleaning tomorrow at 9:30 AM. Add it to your calendar: https://example.com/book/ics");
        const slot = offered[1]!;
        booking = {
          id: randomUUID(),
          threadId: thread.id,
          locationId: thread.locationId,
          serviceId: 'cleaning',
          start: slot.start,
          end: slot.end,
          caller: thread.caller,
          callerName: thread.callerName,
          answers: { patient: 'new' },
          by: 'assistant',
          staffId: null,
          createdAt: last.at,
          status: 'booked',
          cancelledAt: null,
          calendar: { type: 'built-in' },
        };
        store.put('bookings', booking.id, booking);
        Object.assign(state, { step: 'booked', bookingId: booking.id, offered: [], textsSinceReply: 1 });
        t.booking = { id: booking.id, serviceId: 'cleaning', serviceLabel: 'Cleaning', start: slot.start, end: slot.end, by: 'assistant' };
        t.status = 'resolved';
        t.resolution = { outcome: 'booked', value: 180, staffId: 'assistant', staffName: 'Assistant', at: last.at };
      }
      t.assistant = state;
      t.lastMessage = { direction: 'out', text: last.text, at: last.at, kind: 'assistant' };
      t.updatedAt = last.at;
      t.seq = store.nextSeq();
      store.touch('threads', thread.id);
    });
    await store.commit();
    return { threadId: thread.id, offered, booking: booking && own(store.data.bookings, (booking as Booking).id)! };
  } finally {
    await store.close();
  }
}
