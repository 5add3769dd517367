import type { AuditEntry, AuditQuery } from '@ringback/shared';
import type { ArchiveReader } from '../store/archive-reader.js';

/** The audit log filtered (newest first): by action, actor ("system" = no actor), thread and time range. */
export function filterAudit(entries: readonly AuditEntry[], q: AuditQuery): AuditEntry[] {
  const from = q.from ? Date.parse(q.from) : -Infinity;
  const to = q.to ? Date.parse(q.to) : Infinity;
  const out: AuditEntry[] = [];
  for (let i = entries.length - 1; i >= 0 && out.length < q.limit; i--) {
    const e = entries[i]!;
    if (q.action && e.action !== q.action) continue;
    if (q.staff && (q.staff === 'system' ? e.actor !== null : e.actor?.id !== q.staff)) continue;
    if (q.thread && e.threadId !== q.thread) continue;
    const at = Date.parse(e.at);
    if (at < from || at >= to) continue;
    out.push(e);
  }
  return out;
}

/**
 * The hot audit log, then the archived months newest first (only those the range reaches), until the
 * limit is met: an old month is read only when the answer needs it.
 */
export async function queryAudit(hot: readonly AuditEntry[], archive: ArchiveReader | null, q: AuditQuery): Promise<AuditEntry[]> {
  const out = filterAudit(hot, q);
  if (!archive || out.length >= q.limit) return out;
  const oldestHot = hot[0] ? Date.parse(hot[0].at) : Infinity;
  if (q.from && Date.parse(q.from) >= oldestHot) return out;
  const lo = q.from ? q.from.slice(0, 7) : '';
  const hi = q.to ? new Date(q.to).toISOString().slice(0, 7) : '9999-99';
  const seen = new Set(out.map((e) => e.seq));
  for (const month of (await archive.months()).reverse()) {
    if (month < lo || month > hi) continue;
    const entries = (await archive.month(month)).audit.filter((e) => !seen.has(e.seq));
    out.push(...filterAudit(entries, { ...q, limit: q.limit - out.length }));
    if (out.length >= q.limit) break;
  }
  return out;
}
