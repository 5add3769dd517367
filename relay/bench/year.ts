import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry, Call, Message, ThreadSummary } from '@ringback/shared';
import { emptyData, type Data } from '../src/store/data.js';

/**
 * A year of a busy front desk, written straight into a data dir: 40 000 threads, 250 000 messages.
 * Deterministic (a fixed-seed generator), so runs compare.
 */
export async function writeYear(dir: string, now: Date, staffToken: { id: string; name: string; tokenHash: string }): Promise<{ threads: number; messages: number; calls: number }> {
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const data: Data = emptyData();
  data.staff.push({ ...staffToken, role: 'manager', createdAt: now.toISOString(), revokedAt: null });
  const start = now.getTime() - 365 * 86_400_000;
  const iso = (t: number) => new Date(t).toISOString();
  let seq = 0;
  let msgCount = 0;
  const THREADS = 40_000;
  const MESSAGES = 250_000;
  for (let i = 0; i < THREADS; i++) {
    const t0 = start + Math.floor((i / THREADS) * 365 * 86_400_000 + rand() * 3_600_000);
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
    data.threads[id] = thread;
    const answeredCall: Call = { id: `ca_${i}`, threadId: null, locationId: 'main', from: `+1737${String(1_000_000 + i).padStart(7, '0')}`, to: '+15125550100', startedAt: iso(t0 - 3_600_000), endedAt: iso(t0 - 3_400_000), outcome: 'answered', afterHours: false, dialStatus: 'completed', missedAt: null, voicemail: null, textBackSettled: false, textBackSkipped: null };
    const call: Call = { id: `c_${i}`, threadId: id, locationId: 'main', from: caller, to: '+15125550100', startedAt: iso(t0 - 20_000), endedAt: iso(t0 + 2000), outcome: 'missed', afterHours: false, dialStatus: 'no-answer', missedAt: iso(t0), voicemail: null, textBackSettled: true, textBackSkipped: null };
    data.calls[answeredCall.id] = answeredCall;
    data.calls[call.id] = call;
    const perThread = Math.round(((MESSAGES - msgCount) / (THREADS - i)));
    for (let k = 0; k < perThread; k++) {
      const at = t0 + 3000 + k * 120_000;
      const kind = k === 0 ? 'text-back' : k % 2 ? 'inbound' : 'reply';
      const m: Message = {
        id: `m_${i}_${k}`, threadId: id, seq: ++seq, direction: kind === 'inbound' ? 'in' : 'out', kind, text: kind === 'inbound' ? 'Do you have anything Thursday?' : 'Hi, sorry we missed your call. Reply here or book online.',
        at: iso(at), sentAt: kind === 'inbound' ? null : iso(at + 300), status: kind === 'inbound' ? 'received' : 'delivered', statusReason: null,
        plivoUuid: `u_${i}_${k}`, staffId: kind === 'reply' ? 'st_b' : null, staffName: kind === 'reply' ? 'Riley' : null, clientId: null,
      };
      data.messages[m.id] = m;
      msgCount++;
    }
    const audit = (action: string, at: number, detail: Record<string, unknown> = {}): AuditEntry => ({ seq: data.audit.length + 1, at: iso(at), actor: { id: 'st_b', name: 'Riley' }, action, threadId: id, detail });
    data.audit.push(audit('claim', claimAt));
    if (thread.resolution) data.audit.push(audit('resolve', Date.parse(thread.resolution.at), { outcome: thread.resolution.outcome, value: thread.resolution.value }));
  }
  data.seq = seq;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'ringback.json'), JSON.stringify(data));
  return { threads: THREADS, messages: msgCount, calls: Object.keys(data.calls).length };
}
