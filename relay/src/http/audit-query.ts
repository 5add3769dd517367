import type { AuditEntry, AuditQuery } from '@ringback/shared';

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
