import { computeMetrics, startOfLocalDay, type EventsReply, type Metrics, type ThreadDetailReply, type ThreadListReply } from '@ringback/shared';
import type { Ctx } from './context.js';
import { notFound } from './errors.js';

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

  /** KPIs for [from, to); by default today in the first location's time zone. */
  metrics(from?: Date, to?: Date): Metrics {
    const now = this.ctx.now();
    const tz = this.ctx.config.business.locations[0]!.timezone;
    const start = from ?? startOfLocalDay(now, tz);
    const data = this.ctx.store.data;
    return computeMetrics({
      threads: Object.values(data.threads),
      calls: Object.values(data.calls),
      messages: Object.values(data.messages),
      from: start,
      to: to ?? new Date(now.getTime() + 1),
      now,
      slaMinutes: this.ctx.config.business.sla.claimMinutes,
    });
  }
}
