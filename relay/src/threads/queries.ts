import {
  computeMetrics,
  staffingGrid,
  startOfLocalDay,
  usualMissedByHour,
  type ClaimEvent,
  type EventsReply,
  type Metrics,
  type ResolutionEvent,
  type StaffingReply,
  type ThreadDetailReply,
  type ThreadListReply,
} from '@ringback/shared';
import type { Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';

const DAY = 86_400_000;

/** Read side of the REST API. */
export class Queries {
  constructor(private readonly ctx: Ctx) {}

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
    const thread = data.threads[id];
    if (!thread) throw notFound('thread');
    const pick = <T>(ids: readonly string[], table: Record<string, T>) => ids.map((i) => table[i]).filter((x): x is T => x !== undefined);
    return {
      thread,
      calls: pick(this.ctx.indexes.calls(id), data.calls),
      messages: pick(this.ctx.indexes.messages(id), data.messages),
      notes: pick(this.ctx.indexes.notes(id), data.notes),
      seq: data.seq,
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

  /** The records of one location (or all), as the KPI engine wants them. */
  private records(locationId: string | undefined) {
    const data = this.ctx.store.data;
    const mine = (threadId: string | null) => locationId === undefined || (threadId !== null && data.threads[threadId]?.locationId === locationId);
    const claims: ClaimEvent[] = [];
    const resolutions: ResolutionEvent[] = [];
    const optOuts: string[] = [];
    for (const e of data.audit) {
      if (!e.actor && e.action !== 'opt-out') continue;
      if (!mine(e.threadId)) continue;
      if (e.action === 'claim') claims.push({ threadId: e.threadId!, at: e.at, staffId: e.actor!.id, staffName: e.actor!.name });
      else if (e.action === 'resolve') {
        const d = e.detail as { outcome: ResolutionEvent['outcome']; value: number };
        resolutions.push({ threadId: e.threadId!, at: e.at, outcome: d.outcome, value: d.value, staffId: e.actor!.id, staffName: e.actor!.name });
      } else if (e.action === 'opt-out') optOuts.push(e.at);
    }
    const threads = Object.values(data.threads).filter((t) => locationId === undefined || t.locationId === locationId);
    const calls = Object.values(data.calls).filter((c) => locationId === undefined || c.locationId === locationId);
    const messages = Object.values(data.messages).filter((m) => mine(m.threadId));
    return { threads, calls, messages, claims, resolutions, optOuts };
  }

  /** KPIs for [from, to); by default today in the location's (or the first location's) time zone. */
  metrics(from?: Date, to?: Date, locationId?: string): Metrics {
    const now = this.ctx.now();
    const timezone = this.timezone(locationId);
    const start = from ?? startOfLocalDay(now, timezone);
    const end = to ?? new Date(start.getTime() + DAY);
    if (end <= start) throw new DomainError(400, 'invalid', '"to" must be after "from"');
    const records = this.records(locationId);
    const { business, sla } = this.ctx.config.business;
    // A single day is compared with the same weekday in the four weeks before it.
    const oneDay = end.getTime() - start.getTime() <= DAY + 3_600_000;
    const usualByHour = oneDay
      ? usualMissedByHour(
          records.calls,
          [1, 2, 3, 4].map((w) => ({ from: new Date(start.getTime() - w * 7 * DAY), to: new Date(end.getTime() - w * 7 * DAY) })),
          timezone,
        )
      : null;
    return computeMetrics({
      ...records,
      from: start,
      to: end,
      now,
      slaMinutes: sla.claimMinutes,
      timezone,
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

  staffing(from: Date | undefined, to: Date | undefined, locationId: string | undefined): StaffingReply {
    const now = this.ctx.now();
    const timezone = this.timezone(locationId);
    const end = to ?? now;
    const start = from ?? new Date(end.getTime() - 28 * DAY);
    const { calls } = this.records(locationId);
    return { from: start.toISOString(), to: end.toISOString(), locationId: locationId ?? null, cells: staffingGrid(calls, start, end, timezone) };
  }
}
