import { isoMs, type AuditEntry, type BookingEvent, type Call, type ClaimEvent, type Message, type ResolutionEvent, type ThreadSummary } from '@ringback/shared';
import type { ArchiveMonth } from '../store/archive.js';
import { own } from '../store/own.js';
import { bookingEventOf } from './booking-events.js';
import { experimentEvents } from './experiment-events.js';
import type { Store } from '../store/store.js';

/** A list kept sorted by time, for binary-searched range slices. */
class Timeline<T> {
  private times: number[] = [];
  private items: T[] = [];

  /** Load many at once: one sort instead of an insertion each. */
  load(entries: [number, T][]): void {
    const all = [...this.times.map((t, i) => [t, this.items[i]!] as [number, T]), ...entries].sort((a, b) => a[0] - b[0]);
    this.times = all.map((e) => e[0]);
    this.items = all.map((e) => e[1]);
  }

  add(at: number, item: T): void {
    let i = this.times.length;
    if (i > 0 && this.times[i - 1]! > at) i = lowerBound(this.times.length, (k) => this.times[k]!, at); // out-of-order clocks only
    this.times.splice(i, 0, at);
    this.items.splice(i, 0, item);
  }

  /** The earliest and latest time held, or null when empty. */
  span(): [number, number] | null {
    return this.times.length ? [this.times[0]!, this.times.at(-1)!] : null;
  }

  between(from: number, to: number): T[] {
    const at = (k: number) => this.times[k]!;
    return this.items.slice(lowerBound(this.times.length, at, from), lowerBound(this.times.length, at, to));
  }
}

function lowerBound(length: number, at: (k: number) => number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface HistorySlice {
  threads: ThreadSummary[];
  calls: Call[];
  messages: Message[];
  claims: ClaimEvent[];
  resolutions: ResolutionEvent[];
  bookings: BookingEvent[];
  optOuts: string[];
}

const DAY = 86_400_000;

/** How far a text's send time can trail its creation; slices look back this far for messages. */
const SEND_LAG_MS = 2 * 86_400_000;

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The hot data (and, for a one-off recount, archived months given to it), indexed by time so that KPIs
 * for a range touch only the threads active in it. Records are the store's own objects, so in-place
 * updates show at once. Days before the hot window are counted from their kept facts (ColdFacts).
 */
export class History {
  private threads = new Map<string, ThreadSummary>();
  private callsByThread = new Map<string, Call[]>();
  private messagesByThread = new Map<string, Message[]>();
  private calls = new Timeline<Call>();
  private messages = new Timeline<Message>();
  private experimentThreads = new Map<string, Set<string>>();
  /** Calls still ringing: they get their thread only if they turn out missed. */
  private ringing: Call[] = [];
  /** Told the start (ms, UTC) of every day whose figures a change may have altered. */
  readonly onStale: ((day: number) => void)[] = [];
  /** Days before this have kept facts: only a change that can alter them stales them (see changed). */
  coldBefore = -Infinity;
  /** With archived months: their audit entries, then the hot ones (read once, for a recount). */
  private readonly allAudit: AuditEntry[] | null = null;

  /** `live`: follows the store's changes; a recount over archived months reads once and is dropped. */
  constructor(
    private readonly store: Store,
    archives: readonly ArchiveMonth[] = [],
    live = true,
  ) {
    this.index(archives);
    if (archives.length > 0) {
      const hot = new Set(store.data.audit.map((e) => e.seq));
      const archived = archives.flatMap((a) => a.audit).filter((e) => !hot.has(e.seq) && !!hot.add(e.seq));
      this.allAudit = [...archived.sort((a, b) => a.seq - b.seq), ...store.data.audit];
    }
    if (!live) return;
    store.onPut.push((map, value) => {
      if (map === 'threads') {
        this.threads.set((value as ThreadSummary).id, value as ThreadSummary);
        this.track(value as ThreadSummary);
      }
      else if (map === 'calls') this.addCall(value as Call);
      else if (map === 'messages') this.addMessage(value as Message);
    });
    store.onChange.push((map, id) => this.changed(map, id));
  }

  /** Index the hot data afresh, once records left it for the archive. */
  reload(): void {
    this.threads = new Map();
    this.callsByThread = new Map();
    this.messagesByThread = new Map();
    this.calls = new Timeline();
    this.messages = new Timeline();
    this.experimentThreads = new Map();
    this.ringing = [];
    this.open = new Set();
    this.index([]);
  }

  private index(archives: readonly ArchiveMonth[]): void {
    const calls: [number, Call][] = [];
    const messages: [number, Message][] = [];
    // A crash between writing a month and leaving the hot data leaves a record in both: the hot one counts.
    const seen = new Set<string>();
    const first = (kind: string, id: string) => !seen.has(`${kind}:${id}`) && !!seen.add(`${kind}:${id}`);
    for (const d of [this.store.data, ...archives]) {
      for (const t of Object.values(d.threads)) {
        if (archives.length > 0 && !first('t', t.id)) continue;
        this.threads.set(t.id, t);
        this.track(t);
      }
      for (const c of Object.values(d.calls)) {
        if (archives.length > 0 && !first('c', c.id)) continue;
        calls.push([Date.parse(c.startedAt), c]);
        this.file(c);
      }
      for (const m of Object.values(d.messages)) {
        if (archives.length > 0 && !first('m', m.id)) continue;
        messages.push([Date.parse(m.at), m]);
        this.fileMessage(m);
      }
    }
    this.calls.load(calls);
    this.messages.load(messages);
  }

  /** Every audit entry held, in time order. */
  private get audit(): readonly AuditEntry[] {
    return this.allAudit ?? this.store.data.audit;
  }

  private stale(iso: string | null | undefined, cold = false): void {
    const t = isoMs(iso);
    if (!Number.isFinite(t)) return;
    const day = Math.floor(t / DAY) * DAY;
    if (day < this.coldBefore && !cold) return;
    for (const listener of this.onStale) listener(day);
  }

  /** A text's figures hang on its thread's calls (time to text), so a change to either stales both days. */
  private changed(map: string, id: string | null): void {
    const d = this.store.data;
    if (map === 'audit') return this.stale(d.audit.at(-1)?.at);
    if (id === null) return;
    const callsOf = (threadId: string) => {
      this.settleRinging();
      for (const c of this.callsByThread.get(threadId) ?? []) this.stale(c.startedAt);
    };
    if (map === 'calls') this.stale(own(d.calls, id)?.startedAt, true);
    else if (map === 'threads') {
      const t = own(d.threads, id);
      if (t) this.track(t);
      this.stale(t?.assistant?.qualifiedAt);
      callsOf(id);
    }
    else if (map === 'messages') {
      const m = own(d.messages, id);
      if (!m) return;
      this.stale(m.at);
      this.stale(m.sentAt);
      callsOf(m.threadId);
      this.staleColdMiss(m);
    }
  }

  /**
   * A day with kept facts changes only when a text of a long-open thread is the first after a miss on
   * it (time to text, time to a human reply): the day of the latest miss before the text.
   */
  private staleColdMiss(m: Message): void {
    const at = Math.max(isoMs(m.at), isoMs(m.sentAt ?? m.at));
    let latest: Call | undefined;
    for (const c of this.callsByThread.get(m.threadId) ?? []) {
      if (c.outcome === 'missed' && isoMs(c.missedAt ?? c.startedAt) <= at && (!latest || isoMs(c.startedAt) > isoMs(latest.startedAt))) latest = c;
    }
    if (latest && isoMs(latest.startedAt) < this.coldBefore) this.stale(latest.startedAt, true);
  }

  /** Open threads, for the "right now" figures. */
  openThreads(locationId: string | undefined): ThreadSummary[] {
    const out: ThreadSummary[] = [];
    for (const t of this.open) {
      if (t.status !== 'open') this.open.delete(t); // resolved since: every status change touches the thread
      else if (locationId === undefined || t.locationId === locationId) out.push(t);
    }
    return out;
  }

  /** Threads that were open when last seen; a year of history keeps only a handful open. */
  private open = new Set<ThreadSummary>();

  private track(t: ThreadSummary): void {
    if (t.status === 'open') this.open.add(t);
    else this.open.delete(t);
  }

  private addCall(c: Call): void {
    this.calls.add(Date.parse(c.startedAt), c);
    this.file(c);
  }

  private file(c: Call): void {
    if (c.threadId) push(this.callsByThread, c.threadId, c);
    else if (c.outcome === 'ringing') this.ringing.push(c);
  }

  private addMessage(m: Message): void {
    this.messages.add(Date.parse(m.at), m);
    this.fileMessage(m);
  }

  private fileMessage(m: Message): void {
    push(this.messagesByThread, m.threadId, m);
    if (m.variant) {
      const set = this.experimentThreads.get(m.variant.experiment) ?? new Set<string>();
      this.experimentThreads.set(m.variant.experiment, set.add(m.threadId));
    }
  }

  /** The threads that got a text-back of an experiment, with what happened in them afterwards. */
  experiment(id: string): { messages: Message[]; resolutions: ResolutionEvent[]; bookings: BookingEvent[]; optOuts: { threadId: string; at: string }[] } {
    const threads = this.experimentThreads.get(id) ?? new Set<string>();
    const messages = [...threads].flatMap((t) => this.messagesByThread.get(t) ?? []);
    const { resolutions, bookings, optOuts } = experimentEvents(this.audit, threads);
    return { messages, resolutions: resolutions as ResolutionEvent[], bookings, optOuts: [...optOuts] };
  }

  /** File calls that have since been missed (and so joined a thread); forget answered ones. */
  private settleRinging(): void {
    this.ringing = this.ringing.filter((c) => {
      if (c.threadId) push(this.callsByThread, c.threadId, c);
      return c.outcome === 'ringing';
    });
  }

  /**
   * The earliest and latest time of any call, message or audit entry, or null before the first. Figures
   * outside it are all zero, so long ranges are cut to it before any per-day work.
   */
  extent(): { first: number; last: number } | null {
    const audit = this.audit;
    const spans = [this.calls.span(), this.messages.span(), audit.length ? ([isoMs(audit[0]!.at), isoMs(audit.at(-1)!.at)] as [number, number]) : null];
    let first = Infinity;
    let last = -Infinity;
    for (const s of spans) {
      if (!s) continue;
      if (s[0] < first) first = s[0];
      if (s[1] > last) last = s[1];
    }
    return first <= last ? { first, last } : null;
  }

  /** Calls that started in [from, to), for one location or all: all the staffing grid needs. */
  callsBetween(from: number, to: number, locationId: string | undefined): Call[] {
    const calls = this.calls.between(from, to);
    return locationId === undefined ? calls : calls.filter((c) => c.locationId === locationId);
  }

  /** The records that can count towards KPIs in [from, to), for one location or all. */
  slice(from: number, to: number, locationId: string | undefined): HistorySlice {
    this.settleRinging();
    const mine = (t: ThreadSummary | undefined): t is ThreadSummary => !!t && (locationId === undefined || t.locationId === locationId);
    const active = new Set<string>();
    const calls = new Set<Call>();
    for (const c of this.calls.between(from, to)) {
      if (locationId !== undefined && c.locationId !== locationId) continue;
      calls.add(c);
      if (c.threadId) active.add(c.threadId);
    }
    for (const m of this.messages.between(from - SEND_LAG_MS, to)) active.add(m.threadId);

    const claims: ClaimEvent[] = [];
    const resolutions: ResolutionEvent[] = [];
    const optOuts: string[] = [];
    const bookings: BookingEvent[] = [];
    for (const e of auditBetween(this.audit, from, to)) {
      if (!e.threadId || !mine(this.threads.get(e.threadId))) continue;
      active.add(e.threadId);
      if (e.action === 'opt-out') optOuts.push(e.at);
      const booking = bookingEventOf(e);
      if (booking) bookings.push(booking);
      if (!e.actor) continue;
      if (e.action === 'claim') claims.push({ threadId: e.threadId, at: e.at, staffId: e.actor.id, staffName: e.actor.name });
      if (e.action === 'resolve') {
        const d = e.detail as { outcome: ResolutionEvent['outcome']; value: number };
        resolutions.push({ threadId: e.threadId, at: e.at, outcome: d.outcome, value: d.value, staffId: e.actor.id, staffName: e.actor.name });
      }
    }

    const threads: ThreadSummary[] = [];
    const messages: Message[] = [];
    for (const id of active) {
      const t = this.threads.get(id);
      if (!mine(t)) continue;
      threads.push(t);
      messages.push(...(this.messagesByThread.get(id) ?? []));
      // Misses before the range still matter for a claim or reply inside it.
      for (const c of this.callsByThread.get(id) ?? []) calls.add(c);
    }
    return { threads, calls: [...calls], messages, claims, resolutions, bookings, optOuts };
  }
}

/** The audit log is append-only in time order: binary search the start, walk to the end of the range. */
function auditBetween(audit: readonly AuditEntry[], from: number, to: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = lowerBound(audit.length, (k) => Date.parse(audit[k]!.at), from); i < audit.length; i++) {
    const e = audit[i]!;
    if (Date.parse(e.at) >= to) break;
    out.push(e);
  }
  return out;
}
