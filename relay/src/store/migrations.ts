import { BOOKING_MAPS, LATER_MAPS } from './data.js';

/**
 * Numbered upgrades of the data file. `version` in ringback.json says which have run; at start the relay
 * backs the data dir up, then runs each newer migration in order, replays any journal and writes the
 * snapshot. Journal lines carry whole records, so a migration that reshapes records must reshape them on replay too.
 */
export interface Migration {
  to: number;
  /** One line for the log and the docs. */
  what: string;
  up(data: Record<string, unknown>): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    to: 2,
    what: 'contacts, quick replies, call-backs, settings patches and webhook nonces get their own (empty) collections',
    up(data) {
      for (const k of LATER_MAPS) data[k] ??= Object.create(null);
    },
  },
  {
    to: 3,
    what: 'bookings and self-booking links get their own (empty) collections',
    up(data) {
      for (const k of BOOKING_MAPS) data[k] ??= Object.create(null);
    },
  },
];

/** The data version this release writes and reads. */
export const DATA_VERSION = MIGRATIONS.at(-1)?.to ?? 1;

export class DataVersionError extends Error {}
export class NewerDataError extends DataVersionError {}

/** The version a parsed ringback.json claims; throws for data this release cannot read. */
export function dataVersionOf(data: unknown): number {
  const v = data && typeof data === 'object' ? (data as { version?: unknown }).version : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new DataVersionError('ringback.json has no valid data version');
  if (v > DATA_VERSION) {
    throw new NewerDataError(
      `this data dir was written by a newer Ringback (data version ${v}; this release reads up to ${DATA_VERSION}). Upgrade Ringback or restore a backup.`,
    );
  }
  return v;
}

/** Bring `data` up to DATA_VERSION in place; returns the version it had. */
export function migrate(data: Record<string, unknown>): number {
  const from = dataVersionOf(data);
  for (const m of MIGRATIONS) {
    if (m.to <= (data.version as number)) continue;
    m.up(data);
    data.version = m.to;
  }
  return from;
}
