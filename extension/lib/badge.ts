import type { ThreadSummary } from '@ringback/shared';
import { assistantActive, breachesSla } from '@ringback/shared/client';

export type BadgeInput =
  | { kind: 'threads'; open: readonly ThreadSummary[]; now: number; claimMinutes: number }
  | { kind: 'unconfigured' | 'unauthorized' | 'offline' };

export interface Badge {
  text: string;
  color: string;
  title: string;
}

export const BADGE_RED = '#c62828';
const AMBER = '#a35f00';
const GREY = '#6b7280';

/** Unclaimed count on the toolbar (callers the assistant is serving are not waiting); red past the claim SLA. */
export function badgeFor(input: BadgeInput): Badge {
  if (input.kind === 'unconfigured') return { text: '', color: GREY, title: 'Ringback: not connected — open settings' };
  if (input.kind === 'unauthorized') return { text: '!', color: BADGE_RED, title: "Ringback: staff token isn't accepted" };
  if (input.kind === 'offline') return { text: '?', color: GREY, title: "Ringback: can't reach the relay" };
  if (input.kind !== 'threads') return { text: '', color: GREY, title: 'Ringback' };
  const unclaimed = input.open.filter((t) => t.status === 'open' && !t.claim && !assistantActive(t));
  const breached = unclaimed.filter((t) => breachesSla(t, input.now, input.claimMinutes)).length;
  const n = unclaimed.length;
  return {
    text: n === 0 ? '' : n > 99 ? '99+' : String(n),
    color: breached > 0 ? BADGE_RED : AMBER,
    title: n === 0 ? 'Ringback: all caught up' : `Ringback: ${n} unclaimed${breached ? `, ${breached} over SLA` : ''}`,
  };
}
