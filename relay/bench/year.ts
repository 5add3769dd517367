import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry, Call, Message, ThreadSummary } from '@ringback/shared';
import { emptyData } from '../src/store/data.js';
import { DATA_VERSION } from '../src/store/migrations.js';

/** Per year of a busy front desk. */
export const PER_YEAR = { threads: 40_000, messages: 250_000 } as const;

export interface Made {
  threads: number;
  messages: number;
  calls: number;
  audit: number;
  bytes: number;
}

interface Bundle {
  thread: ThreadSummary;
  calls: Call[];
  messages: Message[];
  audit: AuditEntry[];
}

/**
 * Every thread of `years` years with its calls, messages and audit entries, oldest first. Each thread draws
 * from its own fixed-seed generator, so every pass over the bundles yields the same data.
 */
function* bundles(now: Date, years: number): Generator<Bundle> {
  const THREADS = PER_YEAR.threads * years;
  const MESSAGES = PER_YEAR.messages * years;
  const span = years * 365 * 86_400_000;
  const start = now.getTime() - span;
  const iso = (t: number) => new Date(t).toISOString();
  let seq = 0;
  let auditSeq = 0;
  let msgCount = 0;
  for (let i = 0; i < THREADS; i++) {
    let seed = (i * 2_654_435_761 + 42) % 2 ** 31;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const t0 = start + Math.floor((i / THREADS) * span + rand() * 3_600_000);
    const id = `th_${i}`;
    const caller = `+1512${String(1_000_000 + i).padStart(7, '0')}`;
    const resolved = t0 < now.getTime() - 2 * 86_400_000 || rand() < 0.5;
    const booked = resolved && rand() < 0.3;
    const claimAt = t0 + 60_000 + Math.floor(rand() * 600_000);
    const thread: ThreadSummary = {
      id, seq: ++seq, locationId: 'main', trackingNumber: '+15125550100', caller, callerDisplay: caller, callerName: null,
      status: resolved ? 'resolved' : 'open', openedAt: iso(t0), updatedAt: iso(t0), lastMissedAt: iso(t0), missedCount: 1,
      lineType: 'mobile', optedOut: false, textBack: { state: 'delivered', reason: null, messageId: `m_${i}_0`, at: iso(t0 + 3000) },
      voicemail: null, claim: { staffId: 'st_b', staffName: 'Riley', at: iso(claimAt) },
      resolution: resolved ? { outcome: booked ? 'booked' : 'no-answer', value: booked ? 350 : 0, staffId: 'st_b', staffName: 'Riley', at: iso(claimAt + 600_000) } : null,
      lastMessage: null,
    };
    const answered: Call = { id: `ca_${i}`, threadId: null, locationId: 'main', from: `+1737${String(1_000_000 + i).padStart(7, '0')}`, to: '+15125550100', startedAt: iso(t0 - 3_600_000), endedAt: iso(t0 - 3_400_000), outcome: 'answered', afterHours: false, dialStatus: 'completed', missedAt: null, voicemail: null, textBackSettled: false, textBackSkipped: null };
    const missed: Call = { id: `c_${i}`, threadId: id, locationId: 'main', from: caller, to: '+15125550100', startedAt: iso(t0 - 20_000), endedAt: iso(t0 + 2000), outcome: 'missed', afterHours: false, dialStatus: 'no-answer', missedAt: iso(t0), voicemail: null, textBackSettled: true, textBackSkipped: null };
    const messages: Message[] = [];
    const perThread = Math.round((MESSAGES - msgCount) / (THREADS - i));
    for (let k = 0; k < perThread; k++) {
      const at = t0 + 3000 + k * 120_000;
      const kind = k === 0 ? 'text-back' : k % 2 ? 'inbound' : 'reply';
      messages.push({
        id: `m_${i}_${k}`, threadId: id, seq: ++seq, direction: kind === 'inbound' ? 'in' : 'out', kind, text: kind === 'inbound' ? 'Do you have anything Thursday?' : 'Hi, sorry we missed your call. Reply here or book online.',
        at: iso(at), sentAt: kind === 'inbound' ? null : iso(at + 300), status: kind === 'inbound' ? 'received' : 'delivered', statusReason: null,
        plivoUuid: `u_${i}_${k}`, staffId: kind === 'reply' ? 'st_b' : null, staffName: kind === 'reply' ? 'Riley' : null, clientId: null,
      });
    }
    msgCount += perThread;
    const entry = (action: string, at: number, detail: Record<string, unknown> = {}): AuditEntry => ({ seq: ++auditSeq, at: iso(at), actor: { id: 'st_b', name: 'Riley' }, action, threadId: id, detail });
    const audit = [entry('claim', claimAt)];
    if (thread.resolution) audit.push(entry('resolve', Date.parse(thread.resolution.at), { outcome: thread.resolution.outcome, value: thread.resolution.value }));
    yield { thread, calls: [answered, missed], messages, audit };
  }
}

/** Writes with back-pressure, in ~1 MB pieces, so memory stays flat whatever the size. */
class Out {
  private buf: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(private readonly stream: WriteStream) {}
  async put(s: string): Promise<void> {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }
  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

/**
 * `years` years of a busy front desk (each year 40 000 threads, 250 000 messages, 80 000 calls of which half
 * answered, 75 000 audit entries), streamed into a first-start data dir: one generator pass per collection,
 * so 3 years are written without holding them in memory. Deterministic, so runs compare.
 */
export async function writeYears(dir: string, now: Date, staff: { id: string; name: string; tokenHash: string }, years: number): Promise<Made> {
  await mkdir(dir, { recursive: true });
  const out = new Out(createWriteStream(path.join(dir, 'ringback.json'), { mode: 0o600 }));
  const made: Made = { threads: 0, messages: 0, calls: 0, audit: 0, bytes: 0 };
  let seq = 0;
  const streamed: Record<string, { open: string; close: string; items: (b: Bundle) => string[] }> = {
    threads: { open: '{', close: '}', items: (b) => ((made.threads++, (seq = Math.max(seq, b.thread.seq))), [`${JSON.stringify(b.thread.id)}:${JSON.stringify(b.thread)}`]) },
    calls: { open: '{', close: '}', items: (b) => b.calls.map((c) => (made.calls++, `${JSON.stringify(c.id)}:${JSON.stringify(c)}`)) },
    messages: { open: '{', close: '}', items: (b) => b.messages.map((m) => (made.messages++, (seq = Math.max(seq, m.seq)), `${JSON.stringify(m.id)}:${JSON.stringify(m)}`)) },
    audit: { open: '[', close: ']', items: (b) => b.audit.map((a) => (made.audit++, JSON.stringify(a))) },
  };
  const rest = { ...emptyData(), version: DATA_VERSION, staff: [{ ...staff, role: 'manager', createdAt: now.toISOString(), revokedAt: null }] } as Record<string, unknown>;
  await out.put('{');
  let firstKey = true;
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'seq') continue; // known only once every record is written
    await out.put(`${firstKey ? '' : ','}${JSON.stringify(key)}:`);
    firstKey = false;
    const s = streamed[key];
    if (!s) {
      await out.put(JSON.stringify(value));
      continue;
    }
    await out.put(s.open);
    let first = true;
    for (const b of bundles(now, years)) {
      for (const item of s.items(b)) {
        await out.put(first ? item : `,${item}`);
        first = false;
      }
    }
    await out.put(s.close);
  }
  await out.put(`,"seq":${seq}}`);
  await out.end();
  made.bytes = out.bytes;
  return made;
}
