import { randomUUID } from 'node:crypto';
import { formatPhone, type Location, type ThreadSummary } from '@ringback/shared';
import type { Logger } from 'pino';
import type { RelayConfig } from '../config/load.js';
import type { Ops } from '../ops/ops.js';
import type { PlivoRest } from '../plivo/rest.js';
import type { Store } from '../store/store.js';
import { own } from '../store/own.js';
import type { Changes } from './changes.js';
import type { Indexes } from './indexes.js';
import { nextAuditSeq } from '../config/data-mode.js';

/** What every part of the domain service works with. */
export interface Ctx {
  store: Store;
  config: RelayConfig;
  now: () => Date;
  log: Logger;
  changes: Changes;
  indexes: Indexes;
  rest: PlivoRest;
  /** Called after a change is durable, to start sends that were queued with it. */
  kickOutbox: () => void;
  /** Operator-facing log lines, metrics and health. */
  ops: Ops;
}

export const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

export function locationByNumber(ctx: Ctx, trackingNumber: string): Location | undefined {
  const n = trackingNumber.startsWith('+') ? trackingNumber : `+${trackingNumber}`;
  return ctx.config.business.locations.find((l) => l.numbers.includes(n));
}

export function locationById(ctx: Ctx, id: string): Location {
  const loc = ctx.config.business.locations.find((l) => l.id === id);
  // A thread of a location removed from the config still needs a time zone and numbers to work with.
  return loc ?? ctx.config.business.locations[0]!;
}

/** The thread of (location, caller), opened or reopened for new activity. */
export function openThread(ctx: Ctx, loc: Location, caller: string, trackingNumber: string, callerName: string | null): ThreadSummary {
  const data = ctx.store.data;
  const id = ctx.indexes.threadFor(loc.id, caller);
  const now = ctx.now().toISOString();
  const existing = id ? own(data.threads, id) : undefined;
  if (existing) {
    if (existing.status === 'resolved') {
      existing.status = 'open';
      existing.openedAt = now;
      existing.resolution = null;
      existing.claim = null;
      existing.missedCount = 0;
      existing.textBack = null;
      existing.voicemail = null;
      existing.escalation = null;
      existing.urgent = false;
      existing.urgentWords = [];
    }
    existing.trackingNumber = trackingNumber;
    if (callerName && !existing.callerName) existing.callerName = callerName;
    return existing;
  }
  // A known customer is greeted and shown by the name staff saved, not the carrier's caller name.
  const contactId = ctx.indexes.contactFor(caller) ?? null;
  const contact = contactId ? own(ctx.store.data.contacts, contactId) : undefined;
  const thread: ThreadSummary = {
    id: newId('th'),
    seq: 0,
    locationId: loc.id,
    trackingNumber,
    caller,
    callerDisplay: formatPhone(caller, ctx.config.business.business.country),
    callerName: contact?.name ?? callerName,
    contactId,
    status: 'open',
    openedAt: now,
    updatedAt: now,
    lastMissedAt: null,
    missedCount: 0,
    lineType: own(ctx.store.data.lineTypes, caller)?.type ?? null,
    optedOut: Boolean(own(ctx.store.data.optOuts, caller)),
    textBack: null,
    voicemail: null,
    claim: null,
    resolution: null,
    lastMessage: null,
    escalation: null, // within the SLA: screens then trust the relay's open-hours clock, not their own
  };
  ctx.store.put('threads', thread.id, thread);
  ctx.indexes.setThread(loc.id, caller, thread.id);
  return thread;
}

/** Durable, then announced, then any queued send started. */
export async function settle(ctx: Ctx): Promise<void> {
  await ctx.store.commit();
  ctx.changes.publish();
  ctx.kickOutbox();
}

export function audit(
  ctx: Ctx,
  actor: { id: string; name: string } | null,
  action: string,
  threadId: string | null,
  detail: Record<string, unknown> = {},
): void {
  ctx.store.append('audit', { seq: nextAuditSeq(ctx.store.data), at: ctx.now().toISOString(), actor, action, threadId, detail });
}

/** First name for templates: a caller name as given by the carrier ("RUIZ ANA" is not trusted), else none. */
export function firstName(name: string | null): string | null {
  if (!name || name === name.toUpperCase()) return null;
  return name.trim().split(/\s+/)[0] ?? null;
}
