import {
  computeFacts,
  experimentResults,
  finalizeMetrics,
  mergeFacts,
  staffingGrid,
  startOfLocalDay,
  usualMissedByHour,
  type EventsReply,
  type ExperimentResult,
  type Facts,
  type Metrics,
  type StaffingReply,
  type ThreadDetailReply,
  type ThreadListReply,
} from '@ringback/shared';
import { own } from '../store/own.js';
import type { Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';
import type { History } from './history.js';

const DAY = 86_400_000;

/** Read side of the REST API. */
export class Queries {
  /** Facts of whole UTC days (by day, then location and time zone), kept until a change touches that day. */
  private dayFacts = new Map<number, Map<string, Facts>>();
  /** Merged facts of recent spans of whole days (a month, a year), reused while none of their days changed. */
  private spans = new Map<string, { facts: Facts; stamp: number }>();
  /** When (in change stamps) each day last changed. */
  private staleAt = new Map<number, number>();
  private stamp = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly history: History,
  ) {
    history.onStale.push((day) => {
      this.dayFacts.delete(day);
      this.staleAt.set(day, ++this.stamp);
    });
  }

  private facts(from: number, to: number, locationId: string | undefined, timezone: string): Facts {
    const slice = this.history.slice(from, to, locationId);
    return computeFacts({ ...slice, from: new Date(from), to: new Date(to), slaMinutes: this.ctx.config.business.sla.claimMinutes, timezone });
  }

  /**
   * Fill the day cache for the last `days` days, one day per turn of the event loop, so that the first
   * look at a month or a year is as quick as the next one while webhooks keep flowing.
   */
  warm(days = 400): Promise<void> {
    const timezone = this.timezone(undefined);
    const today = Math.floor(this.ctx.now().getTime() / DAY) * DAY;
    return new Promise((resolve) => {
      let day = today - DAY;
      const step = () => {
        if (day < today - days * DAY) {
          // The spans a manager asks for most: the last week, month, quarter and year.
          for (const n of [7, 30, 90, 365]) if (n <= days) this.span(today - n * DAY, today, undefined, timezone);
          return resolve();
        }
        this.dayFact(day, undefined, timezone);
        day -= DAY;
        setImmediate(step);
      };
      setImmediate(step);
    });
  }

  /** Facts for [from, to): whole days from the cache, the ragged ends computed afresh. */
  private rangeFacts(from: number, to: number, locationId: string | undefined, timezone: string): Facts {
    const firstDay = Math.ceil(from / DAY) * DAY;
    const lastDay = Math.floor(to / DAY) * DAY;
    if (lastDay <= firstDay) return this.facts(from, to, locationId, timezone);
    const parts: Facts[] = [];
    if (from < firstDay) parts.push(this.facts(from, firstDay, locationId, timezone));
    parts.push(this.span(firstDay, lastDay, locationId, timezone));
    if (lastDay < to) parts.push(this.facts(lastDay, to, locationId, timezone));
    return mergeFacts(parts);
  }

  private dayFact(day: number, locationId: string | undefined, timezone: string): Facts {
    let byPlace = this.dayFacts.get(day);
    if (!byPlace) this.dayFacts.set(day, (byPlace = new Map()));
    const key = `${locationId ?? '*'}|${timezone}`;
    let f = byPlace.get(key);
    if (!f) byPlace.set(key, (f = this.facts(day, day + DAY, locationId, timezone)));
    return f;
  }

  private span(firstDay: number, lastDay: number, locationId: string | undefined, timezone: string): Facts {
    const key = `${firstDay}|${lastDay}|${locationId ?? '*'}|${timezone}`;
    const cached = this.spans.get(key);
    let fresh = !!cached;
    for (let day = firstDay; fresh && day < lastDay; day += DAY) if ((this.staleAt.get(day) ?? 0) > cached!.stamp) fresh = false;
    if (cached && fresh) return cached.facts;
    const days: Facts[] = [];
    for (let day = firstDay; day < lastDay; day += DAY) days.push(this.dayFact(day, locationId, timezone));
    const facts = mergeFacts(days);
    if (this.spans.size >= 32) this.spans.delete(this.spans.keys().next().value!);
    this.spans.set(key, { facts, stamp: this.stamp });
    return facts;
  }

  list(status: 'open' | 'resolved', cursor: number | undefined, limit: number): ThreadListReply {
    // Newest change first; the cursor is the seq of the last row served, so pages never repeat a row.
    const rows = Object.values(this.ctx.store.data.threads)
      .filter((t) => t.status === status && (cursor === undefined || t.seq < cursor))
      .sort((a, b) => b.seq - a.seq);
    const page = rows.slice(0, limit);
    const more = rows.length > limit;
    return { threads: page, nextCursor: more ? String(page.at(-1)!.seq) : null, seq: this.ctx.store.data.seq };
  }

  detail(id: string): ThreadDetailReply {
    const data = this.ctx.store.data;
    const thread = own(data.threads, id);
    if (!thread) throw notFound('thread');
    const pick = <T>(ids: readonly string[], table: Record<string, T>) => ids.map((i) => own(table, i)).filter((x): x is T => x !== undefined);
    return {
      thread,
      calls: pick(this.ctx.indexes.calls(id), data.calls),
      messages: pick(this.ctx.indexes.messages(id), data.messages),
      notes: pick(this.ctx.indexes.notes(id), data.notes),
      seq: data.seq,
      contact: (thread.contactId && own(data.contacts, thread.contactId)) || null,
      callbacks: Object.values(data.callbacks)
        .filter((c) => c.threadId === id)
        .sort((a, b) => a.at.localeCompare(b.at)),
      history: data.audit.filter((e) => e.threadId === id),
    };
  }

  since(seq: number): EventsReply {
    const data = this.ctx.store.data;
    return {
      seq: data.seq,
      threads: Object.values(data.threads).filter((t) => t.seq > seq).sort((a, b) => a.seq - b.seq),
      messages: Object.values(data.messages).filter((m) => m.seq > seq).sort((a, b) => a.seq - b.seq),
    };
  }

  private timezone(locationId: string | undefined): string {
    const locations = this.ctx.config.business.locations;
    if (locationId === undefined) return locations[0]!.timezone;
    const loc = locations.find((l) => l.id === locationId);
    if (!loc) throw new DomainError(400, 'invalid', `location "${locationId}" does not exist`);
    return loc.timezone;
  }

  /** KPIs for [from, to); by default today in the location's (or the first location's) time zone. */
  metrics(from?: Date, to?: Date, locationId?: string): Metrics {
    const now = this.ctx.now();
    const timezone = this.timezone(locationId);
    const start = from ?? startOfLocalDay(now, timezone);
    const end = to ?? new Date(start.getTime() + DAY);
    if (end <= start) throw new DomainError(400, 'invalid', '"to" must be after "from"');
    const { business, sla } = this.ctx.config.business;
    // A single day is compared with the same weekday in the four weeks before it.
    const oneDay = end.getTime() - start.getTime() <= DAY + 3_600_000;
    const weeksBack = [1, 2, 3, 4].map((w) => ({ from: new Date(start.getTime() - w * 7 * DAY), to: new Date(end.getTime() - w * 7 * DAY) }));
    const usualByHour = oneDay
      ? usualMissedByHour(
          weeksBack.flatMap((d) => this.history.slice(d.from.getTime(), d.to.getTime(), locationId).calls),
          weeksBack,
          timezone,
        )
      : null;
    return finalizeMetrics(this.rangeFacts(start.getTime(), end.getTime(), locationId, timezone), {
      threads: this.history.openThreads(locationId),
      from: start,
      to: end,
      now,
      slaMinutes: sla.claimMinutes,
      locationId: locationId ?? null,
      economics: {
        monthlyCost: business.monthlyCost,
        averageValue: business.averageValue,
        smsUnitCost: business.smsUnitCost,
        assumedBookingRate: business.assumedBookingRate,
        minutesSavedPerText: business.minutesSavedPerText,
      },
      usualByHour,
    });
  }

  /** Results of every configured copy experiment. */
  experiments(): ExperimentResult[] {
    return this.ctx.config.business.experiments.map((e) => experimentResults(e, this.history.experiment(e.id)));
  }

  staffing(from: Date | undefined, to: Date | undefined, locationId: string | undefined): StaffingReply {
    const now = this.ctx.now();
    const timezone = this.timezone(locationId);
    const end = to ?? now;
    const start = from ?? new Date(end.getTime() - 28 * DAY);
    const { calls } = this.history.slice(start.getTime(), end.getTime(), locationId);
    return { from: start.toISOString(), to: end.toISOString(), locationId: locationId ?? null, cells: staffingGrid(calls, start, end, timezone) };
  }
}
