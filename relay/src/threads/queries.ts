import {
  computeFacts,
  digestSteps,
  emptyFacts,
  foldFacts,
  experimentResults,
  finalizeParts,
  mergeFacts,
  staffingGrid,
  startOfLocalDay,
  type AuditEntry,
  type EventsReply,
  type ExperimentInput,
  type ExperimentResult,
  type Facts,
  type FactsDigest,
  type Metrics,
  type StaffingReply,
  type ThreadDetailReply,
  type ThreadListReply,
} from '@ringback/shared';
import { own } from '../store/own.js';
import { locationById, type Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import type { ColdFacts, HourFacts } from './cold-facts.js';
import { monthOf } from './facts-file.js';
import { countHours } from './facts-hours.js';
import { addKeptDays } from './kept-staffing.js';
import { archivedExperiments } from './experiment-events.js';
import { History, type HistorySlice } from './history.js';
import { Lru } from './lru.js';

const DAY = 86_400_000;

/**
 * Days of facts kept (each for the locations asked about): about four months. Longer ranges are kept merged
 * (spans, below); an older day is read again from its month's kept file when a new range needs it.
 */
export const DAY_CACHE_DAYS = 120;
/** Merged spans of days kept (a week, a month, a quarter, a year, per location)… */
export const SPAN_CACHE_SIZE = 32;
/** …covering at most this many days in all, since a span holds its days' facts merged. */
export const SPAN_CACHE_DAYS = 4400;
/** Work done per turn of the event loop while a span is built. */
const SLICE_MS = 8;

const HOUR = 3_600_000;
/** Ends of ranges inside kept days, merged from their kept hours (see prepare). */
const PARTIAL_KEPT = 64;
/** How far a text's send time can trail its creation (as History slices look back). */
const SEND_LAG_MS = 2 * DAY;

/** A single day is compared with the same weekday in the four weeks before it. */
const isOneDay = (from: Date, to: Date) => to.getTime() - from.getTime() <= DAY + 3_600_000;
const weeksBack = (from: Date, to: Date) => [1, 2, 3, 4].map((w) => ({ from: new Date(from.getTime() - w * 7 * DAY), to: new Date(to.getTime() - w * 7 * DAY) }));

/** A place figures are kept for: all locations in the first one's time zone, or one location in its own. */
export interface FactKey {
  key: string;
  locationId: string | undefined;
  timezone: string;
}

const factKey = (locationId: string | undefined, timezone: string) => `${locationId ?? '*'}|${timezone}`;

const spanKey = (firstDay: number, lastDay: number, locationId: string | undefined, timezone: string) => `${firstDay}|${lastDay}|${locationId ?? '*'}|${timezone}`;

/** Read side of the REST API. */
export class Queries {
  /** Facts of whole UTC days (by day, then location and time zone), kept until a change touches that day. */
  readonly dayFacts = new Lru<number, Map<string, Facts>>(DAY_CACHE_DAYS);
  /** Merged facts of recent spans of whole days [first, last), dropped when a change touches one of their days. */
  readonly spans = new Lru<string, { first: number; last: number; facts: Facts }>(SPAN_CACHE_SIZE, (s) => (s.last - s.first) / DAY, SPAN_CACHE_DAYS);
  /**
   * What finalizeParts worked out about a part that does not change once cached (a span, a day, kept hours): its
   * samples sorted, its funnel counted. Kept as long as the part is.
   */
  private readonly digests = new WeakMap<Facts, FactsDigest>();
  /** Spans being built across turns of the event loop; a change to one of their days spoils them. */
  private building = new Set<{ first: number; last: number; spoilt: boolean }>();
  /** Work done per turn of the event loop while a span is built (tests set 0: a turn per day). */
  sliceMs = SLICE_MS;
  /** Facts of partial kept days ([from, to) in whole hours within one day), merged from their kept hours. */
  private readonly partial = new Lru<string, Facts>(PARTIAL_KEPT);
  /** Kept days a change touched: counted again from the raw months (recountTouched). */
  readonly touched = new Set<number>();
  /** Told when a kept day was touched (the relay recounts it soon after). */
  onTouched: () => void = () => {};

  constructor(
    private readonly ctx: Ctx,
    private readonly history: History,
    readonly cold: ColdFacts | null = null,
    readonly archive: ArchiveReader | null = null,
  ) {
    history.onStale.push((day) => {
      if (cold && day < cold.through) {
        this.touched.add(day);
        this.onTouched();
        return; // its kept facts serve until the recount replaces them
      }
      this.drop(day);
    });
    if (cold) {
      cold.onDamaged = (month) => {
        ctx.log.warn({ month }, 'the kept figures of a month did not read; counting that month again from the archived months');
        const [y, m] = month.split('-').map(Number) as [number, number];
        for (let day = Math.max(Date.UTC(y, m - 1, 1), cold.first); day < Math.min(Date.UTC(y, m, 1), cold.through); day += DAY) this.touched.add(day);
        this.onTouched();
      };
    }
  }

  /** The SLA clock of a location, the one the escalations use. */
  private readonly openHours = (locationId: string) => locationById(this.ctx, locationId);

  private facts(from: number, to: number, locationId: string | undefined, timezone: string): Facts {
    const through = this.cold?.through ?? -Infinity;
    if (!(from < through)) return this.count(this.history, from, to, locationId, timezone);
    // Less than a day may still cross midnight or the edge of the hot window.
    const parts = this.keptPieces(from, to).map(([a, b]) => this.keptHours(a, b, factKey(locationId, timezone)));
    if (to > through) parts.push(this.count(this.history, through, to, locationId, timezone));
    return parts.length === 1 ? parts[0]! : mergeFacts(parts);
  }

  /** The parts of [from, to) in kept days, each within one day. */
  private keptPieces(from: number, to: number): [number, number][] {
    const end = Math.min(to, this.cold?.through ?? -Infinity);
    const out: [number, number][] = [];
    for (let a = from; a < end; ) {
      const b = Math.min(end, Math.floor(a / DAY) * DAY + DAY);
      out.push([a, b]);
      a = b;
    }
    return out;
  }

  /** Facts of whole hours [from, to) within one kept day, from the kept hourly facts. */
  private keptHours(from: number, to: number, key: string): Facts {
    const id = `${from}|${to}|${key}`;
    let f = this.partial.get(id);
    if (!f) this.partial.set(id, (f = this.cold!.hours(from, to, key)));
    return f;
  }

  /**
   * A range as the figures count it: an end inside a kept day moves to the nearest whole UTC hour (the
   * kept days are kept by the hour, so no raw archive is read); ends in hot days stay as asked.
   */
  snap(from: number, to: number): [number, number] {
    const through = this.cold?.through ?? -Infinity;
    const near = (t: number) => (t < through ? Math.round(t / HOUR) * HOUR : t);
    const [a, b] = [near(from), near(to)];
    if (b > a) return [a, b];
    // Both ends in the same hour: that whole hour (or hours).
    return [Math.floor(from / HOUR) * HOUR, to < through ? Math.ceil(to / HOUR) * HOUR : to];
  }

  /**
   * Facts of [from, to) from the records a history holds. Claims and bookings are read from the start of the
   * UTC day (or taken from `day`, that day's slice): whether one is the first after a miss then depends on the
   * same earlier ones whether its hour or its day is counted, so a day's 24 hours merge into exactly the day.
   */
  count(history: History, from: number, to: number, locationId: string | undefined, timezone: string, day?: HistorySlice): Facts {
    const slice = day ? withEarlier(history.slice(from, to, locationId), day, from) : history.slice(Math.floor(from / DAY) * DAY, to, locationId);
    return computeFacts({ ...slice, from: new Date(from), to: new Date(to), slaMinutes: this.ctx.config.business.sla.claimMinutes, openHours: this.openHours, timezone });
  }

  /**
   * Build, in the background, the spans a manager asks for most, so that the first look at them is as quick as
   * the next one: the last 365 days from this moment (its whole days and its first hours, kept for the rest of
   * the day; each month's kept file read once, in order), then the last quarter, month and week. A year's span
   * holds a year of callers: one is kept, not two.
   */
  async warm(): Promise<void> {
    const now = this.ctx.now().getTime();
    const today = Math.floor(now / DAY) * DAY;
    await this.prepare(new Date(now - 365 * DAY), new Date(now), undefined);
    for (const n of [90, 30, 7]) await this.prepare(new Date(today - n * DAY), new Date(today), undefined);
  }

  /**
   * Build the span of whole days of [from, to) a few milliseconds of work per turn of the event loop, so
   * a long range asked for the first time never holds up webhooks; the figures that follow find it cached.
   */
  async prepare(from: Date, to: Date, locationId: string | undefined): Promise<void> {
    const timezone = this.timezone(locationId);
    const [start, end] = this.snap(from.getTime(), to.getTime());
    const ranges = [[start, end], ...(isOneDay(new Date(start), new Date(end)) ? weeksBack(new Date(start), new Date(end)).map((w) => this.snap(w.from.getTime(), w.to.getTime())) : [])];
    const cuts = ranges.map(([a, b]) => this.cut(a!, b!));
    const ends = cuts.flatMap((c) => (c ? this.keptEnds(c, factKey(locationId, timezone)) : []));
    if (ends.length > 0) await this.loadEnds(ends, factKey(locationId, timezone)); // else the span starts in this turn
    const cut = cuts[0];
    if (!cut) return;
    if (cut.lastDay <= cut.firstDay) return;
    const key = spanKey(cut.firstDay, cut.lastDay, locationId, timezone);
    const have = this.spans.get(key);
    if (have) return this.digest(have.facts);
    const build = { first: cut.firstDay, last: cut.lastDay, spoilt: false };
    this.building.add(build);
    const facts = emptyFacts();
    try {
      let turn = performance.now();
      for (let day = build.first; day < build.last; day += DAY) {
        foldFacts(facts, this.dayFact(day, locationId, timezone));
        if (performance.now() - turn >= this.sliceMs) {
          await new Promise((resolve) => setImmediate(resolve));
          turn = performance.now();
        }
      }
      if (build.spoilt) return;
      this.spans.set(key, { first: build.first, last: build.last, facts });
    } finally {
      this.building.delete(build);
    }
    await this.digest(facts);
  }

  /** Work out what the figures need from a cached span (sorted samples, funnel counts) a few ms per turn. */
  private async digest(facts: Facts): Promise<void> {
    if (this.digests.has(facts)) return;
    const steps = digestSteps(facts);
    let turn = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) {
        this.digests.set(facts, step.value);
        return;
      }
      if (performance.now() - turn >= this.sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        turn = performance.now();
      }
    }
  }

  /** The parts of a range's ends inside kept days (each within one day) not merged from their hours yet. */
  private keptEnds(cut: { from: number; to: number; firstDay: number; lastDay: number }, key: string): [number, number][] {
    if (!this.cold) return [];
    const ends: [number, number][] =
      cut.lastDay <= cut.firstDay
        ? [[cut.from, cut.to]]
        : [
            [cut.from, cut.firstDay],
            [cut.lastDay, cut.to],
          ];
    return ends.flatMap(([x, y]) => this.keptPieces(x, y)).filter(([a, b]) => !this.partial.get(`${a}|${b}|${key}`));
  }

  /** Read the kept hours of those parts without holding up the event loop, and merge them. */
  private async loadEnds(ends: [number, number][], key: string): Promise<void> {
    for (const [a, b] of ends) {
      await this.cold!.loadHours(monthOf(a));
      this.keptHours(a, b, key);
    }
  }

  /** A history of the hot data plus the raw months holding what happened in [from, to) (dropped after use). */
  async rawHistory(from: number, to: number): Promise<History> {
    const months = await this.archive!.sources(from - SEND_LAG_MS, to);
    const archives = [];
    for (const m of months) archives.push(await this.archive!.month(m));
    return new History(this.ctx.store, archives, false);
  }

  /** Every place figures are kept for. */
  factKeys(): FactKey[] {
    const locations = this.ctx.config.business.locations;
    return [{ locationId: undefined, timezone: locations[0]!.timezone }, ...locations.map((l) => ({ locationId: l.id, timezone: l.timezone }))].map((k) => ({ ...k, key: factKey(k.locationId, k.timezone) }));
  }

  /** Kept days a change touched, counted again from the raw months, kept, and their cached figures dropped. */
  async recountTouched(): Promise<void> {
    if (!this.cold || this.touched.size === 0) return;
    const days = [...this.touched].sort((a, b) => a - b);
    this.touched.clear();
    const raw = await this.rawHistory(days[0]!, days.at(-1)! + DAY);
    const out: HourFacts = new Map();
    for (const day of days) out.set(day, countHours(this, raw, day, this.factKeys()));
    await this.cold.keep(out, this.cold.first, this.cold.through, this.cold.keys);
    for (const day of days) this.drop(day);
  }

  /** Forget every cached figure that covers `day`. */
  private drop(day: number): void {
    this.dayFacts.delete(day);
    for (const [key, span] of [...this.spans.entries()]) if (span.first <= day && day < span.last) this.spans.delete(key);
    for (const b of this.building) if (b.first <= day && day < b.last) b.spoilt = true;
    for (const [key] of [...this.partial.entries()]) {
      const [a, b] = key.split('|').map(Number) as [number, number];
      if (a < day + DAY && b > day) this.partial.delete(key);
    }
  }

  /**
   * [from, to) cut to the days that hold records (nothing counts outside them, so an empty century costs
   * nothing), with the whole UTC days inside it; null when nothing is left.
   */
  private cut(from: number, to: number): { from: number; to: number; firstDay: number; lastDay: number } | null {
    const hot = this.history.extent();
    const cold = this.cold && this.cold.first < this.cold.through ? { first: this.cold.first, last: this.cold.through - 1 } : null;
    const extent = hot && cold ? { first: Math.min(hot.first, cold.first), last: Math.max(hot.last, cold.last) } : (hot ?? cold);
    if (!extent) return null;
    const lo = Math.max(from, Math.floor(extent.first / DAY) * DAY);
    const hi = Math.min(to, (Math.floor(Math.max(extent.last, this.ctx.now().getTime()) / DAY) + 1) * DAY);
    if (!(hi > lo)) return null;
    return { from: lo, to: hi, firstDay: Math.ceil(lo / DAY) * DAY, lastDay: Math.floor(hi / DAY) * DAY };
  }

  /**
   * Facts for [from, to) (snapped) in adjacent parts, never merged (finalizeParts reads them as one): whole days
   * from the cache, the ends from kept hours or counted afresh.
   */
  private rangeFacts(askedFrom: number, askedTo: number, locationId: string | undefined, timezone: string): Facts[] {
    const cut = this.cut(...this.snap(askedFrom, askedTo));
    if (!cut) return [];
    const { from, to, firstDay, lastDay } = cut;
    if (lastDay <= firstDay) return [this.facts(from, to, locationId, timezone)];
    const parts: Facts[] = [];
    if (from < firstDay) parts.push(this.facts(from, firstDay, locationId, timezone));
    parts.push(this.span(firstDay, lastDay, locationId, timezone));
    if (lastDay < to) parts.push(this.facts(lastDay, to, locationId, timezone));
    return parts;
  }

  private dayFact(day: number, locationId: string | undefined, timezone: string): Facts {
    let byPlace = this.dayFacts.get(day);
    if (!byPlace) this.dayFacts.set(day, (byPlace = new Map()));
    const key = factKey(locationId, timezone);
    let f = byPlace.get(key);
    if (!f) byPlace.set(key, (f = this.cold?.get(day, key) ?? this.facts(day, day + DAY, locationId, timezone)));
    return f;
  }

  private span(firstDay: number, lastDay: number, locationId: string | undefined, timezone: string): Facts {
    const key = spanKey(firstDay, lastDay, locationId, timezone);
    const cached = this.spans.get(key);
    if (cached) return cached.facts;
    const days: Facts[] = [];
    for (let day = firstDay; day < lastDay; day += DAY) days.push(this.dayFact(day, locationId, timezone));
    const facts = mergeFacts(days);
    this.spans.set(key, { first: firstDay, last: lastDay, facts });
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

  /** A thread with everything on it; an archived thread is read from its month file. */
  async detail(id: string): Promise<ThreadDetailReply> {
    const data = this.ctx.store.data;
    const thread = own(data.threads, id);
    if (!thread) return this.archivedDetail(id);
    const pick = <T>(ids: readonly string[], table: Record<string, T>) => ids.map((i) => own(table, i)).filter((x): x is T => x !== undefined);
    return {
      thread,
      calls: pick(this.ctx.indexes.calls(id), data.calls),
      messages: pick(this.ctx.indexes.messages(id), data.messages),
      notes: pick(this.ctx.indexes.notes(id), data.notes),
      seq: data.seq,
      contact: (thread.contactId && own(data.contacts, thread.contactId)) || null,
      callbacks: this.callbacksOf(id),
      history: [...(await this.archivedAudit(id, thread.openedAt, '9999-99')), ...data.audit.filter((e) => e.threadId === id)],
    };
  }

  private callbacksOf(id: string) {
    return Object.values(this.ctx.store.data.callbacks)
      .filter((c) => c.threadId === id)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /** The thread's audit entries that were archived: in the months from its opening to `until`, oldest first. */
  private async archivedAudit(id: string, openedAt: string, until: string): Promise<AuditEntry[]> {
    const hotSince = this.ctx.store.data.audit[0]?.at ?? '';
    if (!this.archive || openedAt >= hotSince) return [];
    const out: AuditEntry[] = [];
    for (const month of await this.archive.months()) {
      if (month < openedAt.slice(0, 7) || month > until) continue;
      for (const e of (await this.archive.month(month)).audit) if (e.threadId === id) out.push(e);
    }
    return out;
  }

  private async archivedDetail(id: string): Promise<ThreadDetailReply> {
    const month = await this.archive?.threadMonth(id);
    const m = month === undefined ? undefined : await this.archive!.month(month);
    const thread = m && own(m.threads, id);
    if (!m || !thread) throw notFound('thread');
    const data = this.ctx.store.data;
    const mine = <T extends { threadId: string | null }>(table: Record<string, T>, at: (r: T) => string) =>
      Object.values(table)
        .filter((r) => r.threadId === id)
        .sort((a, b) => at(a).localeCompare(at(b)));
    const seen = new Set<number>();
    const history = [...(await this.archivedAudit(id, thread.openedAt, '9999-99')), ...data.audit.filter((e) => e.threadId === id)].filter((e) => !seen.has(e.seq) && seen.add(e.seq));
    return {
      thread,
      calls: mine(m.calls, (c) => c.startedAt),
      messages: mine(m.messages, (x) => x.at),
      notes: mine(m.notes, (n) => n.at),
      seq: data.seq,
      contact: (thread.contactId && own(data.contacts, thread.contactId)) || null,
      callbacks: [...mine(m.callbacks, (c) => c.at), ...this.callbacksOf(id)],
      history,
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

  /** The time zone figures of a location use; 400 for a location that does not exist. */
  timezone(locationId: string | undefined): string {
    const locations = this.ctx.config.business.locations;
    if (locationId === undefined) return locations[0]!.timezone;
    const loc = locations.find((l) => l.id === locationId);
    if (!loc) throw new DomainError(400, 'invalid', `location "${locationId}" does not exist`);
    return loc.timezone;
  }

  /**
   * A range with its defaults filled in: figures cover today in the location's (or the first location's)
   * time zone, or a day from `from`; the staffing grid the four weeks up to `to` (or now).
   */
  range(kind: 'figures' | 'staffing', from: Date | undefined, to: Date | undefined, locationId: string | undefined): { from: Date; to: Date } {
    const now = this.ctx.now();
    const timezone = this.timezone(locationId);
    if (kind === 'staffing') {
      const end = to ?? now;
      return { from: from ?? new Date(end.getTime() - 28 * DAY), to: end };
    }
    const start = from ?? startOfLocalDay(now, timezone);
    return { from: start, to: to ?? new Date(start.getTime() + DAY) };
  }

  /** KPIs for [from, to); by default today in the location's (or the first location's) time zone. */
  metrics(from?: Date, to?: Date, locationId?: string): Metrics {
    const now = this.ctx.now();
    const timezone = this.timezone(locationId);
    const asked = this.range('figures', from, to, locationId);
    if (asked.to <= asked.from) throw new DomainError(400, 'invalid', '"to" must be after "from"');
    // The range counted, and the one echoed back: ends inside kept days at whole hours.
    const [start, end] = this.snap(asked.from.getTime(), asked.to.getTime()).map((t) => new Date(t)) as [Date, Date];
    const { business, sla } = this.ctx.config.business;
    // A single day is compared with the same weekday in the four weeks before it.
    const usualByHour = isOneDay(start, end) ? this.usualByHour(start, end, locationId, timezone) : null;
    return finalizeParts(this.rangeFacts(start.getTime(), end.getTime(), locationId, timezone), {
      threads: this.history.openThreads(locationId),
      from: start,
      to: end,
      now,
      slaMinutes: sla.claimMinutes,
      openHours: this.openHours,
      locationId: locationId ?? null,
      economics: {
        monthlyCost: business.monthlyCost,
        averageValue: business.averageValue,
        smsUnitCost: business.smsUnitCost,
        assumedBookingRate: business.assumedBookingRate,
        minutesSavedPerText: business.minutesSavedPerText,
      },
      usualByHour,
    }, this.digests);
  }

  /**
   * Missed calls by hour on the same weekday over the four weeks before, as usualMissedByHour counts
   * them, from those days' facts (kept days need no raw records).
   */
  private usualByHour(start: Date, end: Date, locationId: string | undefined, timezone: string): { hour: number; missed: number }[] {
    const sums = new Array<number>(24).fill(0);
    for (const w of weeksBack(start, end)) {
      for (const f of this.rangeFacts(w.from.getTime(), w.to.getTime(), locationId, timezone)) for (let h = 0; h < 24; h++) sums[h]! += f.missedByHour[h]!;
    }
    return sums.map((s, hour) => ({ hour, missed: Math.round((s / 4) * 100) / 100 }));
  }

  /** Results of every configured experiment, over the archived months and the hot data. */
  async experiments(): Promise<ExperimentResult[]> {
    const { experiments } = this.ctx.config.business;
    const archived = experiments.length && this.archive ? await this.archivedExperiments(this.archive) : new Map<string, ExperimentInput>();
    return experiments.map((e) => experimentResults(e, mergeInputs(archived.get(e.id), this.history.experiment(e.id))));
  }

  private coldExperiments: { generation: number; input: Promise<Map<string, ExperimentInput>> } | null = null;
  private archivedExperiments(archive: ArchiveReader): Promise<Map<string, ExperimentInput>> {
    if (this.coldExperiments?.generation !== archive.generation) {
      const input = archivedExperiments(archive);
      this.coldExperiments = { generation: archive.generation, input };
      input.catch(() => (this.coldExperiments = null));
    }
    return this.coldExperiments.input;
  }

  /**
   * Missed and answered calls by local weekday and hour: the hot days from their calls, the kept days from their
   * kept facts (ends inside kept days at whole hours, as the figures count them).
   */
  async staffing(from: Date | undefined, to: Date | undefined, locationId: string | undefined): Promise<StaffingReply> {
    const timezone = this.timezone(locationId);
    const asked = this.range('staffing', from, to, locationId);
    if (asked.to <= asked.from) throw new DomainError(400, 'invalid', '"to" must be after "from"');
    const [start, end] = this.snap(asked.from.getTime(), asked.to.getTime());
    const kept = Math.max(start, Math.min(end, this.cold?.through ?? -Infinity));
    const cells = staffingGrid(this.history.callsBetween(kept, end, locationId), new Date(kept), new Date(end), timezone);
    if (start < kept) {
      const key = factKey(locationId, timezone);
      for (const t of [start, kept - 1]) if (t % DAY !== 0) await this.cold!.loadHours(monthOf(t));
      addKeptDays(cells, start, kept, timezone, { day: (day) => this.dayFact(day, locationId, timezone), hours: (a, b) => this.cold!.hours(a, b, key) });
    }
    return { from: new Date(start).toISOString(), to: new Date(end).toISOString(), locationId: locationId ?? null, cells };
  }
}

/** A slice with the claims, resolutions and bookings of its threads that `day` holds from before `from`. */
function withEarlier(slice: HistorySlice, day: HistorySlice, from: number): HistorySlice {
  const ids = new Set(slice.threads.map((t) => t.id));
  const earlier = <E extends { threadId: string; at: string }>(events: readonly E[]) => events.filter((e) => ids.has(e.threadId) && Date.parse(e.at) < from);
  return {
    ...slice,
    claims: [...earlier(day.claims), ...slice.claims],
    resolutions: [...earlier(day.resolutions), ...slice.resolutions],
    bookings: [...earlier(day.bookings), ...slice.bookings],
  };
}

/** Archived and hot records of one experiment; a thread caught in both by an interrupted archiving run counts once. */
function mergeInputs(archived: ExperimentInput | undefined, hot: ExperimentInput): ExperimentInput {
  if (!archived) return hot;
  const once = <T>(items: readonly T[], key: (x: T) => string) => [...new Map(items.map((x) => [key(x), x])).values()];
  const event = (e: { threadId: string; at: string }) => `${e.threadId}\u0000${e.at}`;
  return {
    messages: once([...archived.messages, ...hot.messages], (m) => m.id),
    resolutions: once([...archived.resolutions, ...hot.resolutions], event),
    bookings: once([...(archived.bookings ?? []), ...(hot.bookings ?? [])], event),
    optOuts: once([...archived.optOuts, ...hot.optOuts], event),
  };
}
