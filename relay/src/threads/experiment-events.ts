import type { AuditEntry, BookingEvent, ExperimentInput, Message } from '@ringback/shared';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { ResolutionEvent } from '@ringback/shared';
import { bookingEventOf } from './booking-events.js';

type Events = Pick<ExperimentInput, 'resolutions' | 'optOuts'> & { bookings: BookingEvent[] };

/** What an experiment reads of audit entries: resolutions by staff, bookings and opt-outs in its threads. */
export function experimentEvents(audit: Iterable<AuditEntry>, threads: ReadonlySet<string>, into: Events = { resolutions: [], bookings: [], optOuts: [] }): Events {
  const resolutions = into.resolutions as ResolutionEvent[];
  const optOuts = into.optOuts as { threadId: string; at: string }[];
  for (const e of audit) {
    if (!e.threadId || !threads.has(e.threadId)) continue;
    if (e.action === 'opt-out') optOuts.push({ threadId: e.threadId, at: e.at });
    const booking = bookingEventOf(e);
    if (booking) into.bookings.push(booking);
    if (e.action === 'resolve' && e.actor) {
      const d = e.detail as { outcome: ResolutionEvent['outcome']; value: number };
      resolutions.push({ threadId: e.threadId, at: e.at, outcome: d.outcome, value: d.value, staffId: e.actor.id, staffName: e.actor.name });
    }
  }
  return into;
}

/**
 * The archived part of every experiment, read one month file at a time: the threads whose text-back carried a
 * variant, their texts, and the audit entries about them (which may sit in other months than the thread).
 * Experiments run for months, so their results need the archive; only their own records are kept in memory.
 */
export async function archivedExperiments(archive: ArchiveReader): Promise<Map<string, ExperimentInput>> {
  const threadsOf = new Map<string, Set<string>>();
  const messagesOf = new Map<string, Message[]>();
  const audit: AuditEntry[] = [];
  const kept = new Set(['opt-out', 'booked', 'resolve']);
  for (const month of await archive.months()) {
    const m = await archive.month(month);
    const variantOf = new Map<string, string>();
    for (const msg of Object.values(m.messages)) if (msg.kind === 'text-back' && msg.variant) variantOf.set(msg.threadId, msg.variant.experiment);
    for (const msg of Object.values(m.messages)) {
      const experiment = variantOf.get(msg.threadId);
      if (!experiment) continue;
      (threadsOf.get(experiment) ?? threadsOf.set(experiment, new Set()).get(experiment)!).add(msg.threadId);
      if (msg.kind === 'text-back' || msg.direction === 'in') (messagesOf.get(experiment) ?? messagesOf.set(experiment, []).get(experiment)!).push(msg);
    }
    for (const e of m.audit) if (e.threadId && kept.has(e.action)) audit.push(e);
  }
  const out = new Map<string, ExperimentInput>();
  for (const [experiment, threads] of threadsOf) out.set(experiment, { messages: messagesOf.get(experiment) ?? [], ...experimentEvents(audit, threads) });
  return out;
}
