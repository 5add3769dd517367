import { readFileSync } from 'node:fs';
import { open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emptyFacts, type Facts } from '@ringback/shared';
import { privateDir } from '../store/private.js';

/** Raise when the meaning of a fact changes without its shape changing; a new or renamed field is seen by itself. */
const FACTS_REVISION = 2; // 2: closed days are kept by UTC hour too

/**
 * The version written into every facts file: the revision plus the fields of an empty Facts, so a field
 * added to the facts later (in shared/src/domain/metrics.ts) makes old files recompute from the raw archives once.
 */
export const FACTS_VERSION = `${FACTS_REVISION}:${Object.keys(emptyFacts()).sort().join(',')}`;

/** The facts of closed days of one month: by day (ms, UTC), then by `location|timezone`. */
export interface FactsMonth {
  version: string;
  days: Record<string, Record<string, Facts>>;
}

/**
 * What the facts files cover: every UTC day before `through` whose facts are not in a file was empty,
 * for each of `keys`. Written last, so a crash mid-way leaves the old coverage.
 */
export interface FactsMeta {
  version: string;
  /** The first day with any record (days before it are empty). */
  first: number;
  through: number;
  keys: string[];
}

/** Sets and Maps as tagged arrays, anything else as it is: facts fields added later persist with no code here. */
export function encodeFacts(value: unknown): unknown {
  if (value instanceof Set) return { $set: [...value].map(encodeFacts) };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encodeFacts(k), encodeFacts(v)]) };
  if (Array.isArray(value)) return value.map(encodeFacts);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeFacts(v)]));
  return value;
}

export function decodeFacts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeFacts);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.$set) && Object.keys(o).length === 1) return new Set(o.$set.map(decodeFacts));
    if (Array.isArray(o.$map) && Object.keys(o).length === 1) return new Map((o.$map as [unknown, unknown][]).map(([k, v]) => [decodeFacts(k), decodeFacts(v)]));
    // fromEntries defines own properties (a "__proto__" key stays a plain key) and keeps small objects in V8's
    // fast shape-sharing form; null-prototype objects filled key by key take several times the memory.
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeFacts(v)]));
  }
  return value;
}

const isSame = (f: unknown): f is { $same: string } => !!f && typeof (f as { $same?: unknown }).$same === 'string';

export const factsDir = (dir: string) => path.join(dir, 'archive', 'facts');
const monthFile = (dir: string, month: string) => path.join(factsDir(dir), `${month}.json`);
const metaFile = (dir: string) => path.join(factsDir(dir), 'meta.json');

export const monthOf = (day: number) => new Date(day).toISOString().slice(0, 7);

/** A month's facts, or null when there is no file or it was written for another shape of facts. */
export function readFactsMonth(dir: string, month: string): Map<number, Map<string, Facts>> | null {
  let raw: { version?: unknown; days?: Record<string, Record<string, unknown>> };
  try {
    raw = JSON.parse(readFileSync(monthFile(dir, month), 'utf8'));
  } catch {
    return null;
  }
  if (raw.version !== FACTS_VERSION || !raw.days) return null;
  const out = new Map<number, Map<string, Facts>>();
  for (const [day, byKey] of Object.entries(raw.days)) out.set(Number(day), decodePlaces(byKey));
  return out;
}

/** Whether a month's file is there and written for this shape of facts (its head only is read). */
export const factsMonthCurrent = (dir: string, month: string) => fileHeadIs(monthFile(dir, month));

async function fileHeadIs(file: string): Promise<boolean> {
  const head = `{"version":${JSON.stringify(FACTS_VERSION)},`;
  const fh = await open(file, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const buf = Buffer.alloc(Buffer.byteLength(head));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return bytesRead === buf.length && buf.toString('utf8') === head;
  } finally {
    await fh.close();
  }
}

/** Write a month's facts whole (temp file + rename: a crash leaves the old file or the new one). */
export async function writeFactsMonth(dir: string, month: string, days: Map<number, Map<string, Facts>>): Promise<void> {
  await privateDir(factsDir(dir));
  const body: FactsMonth = { version: FACTS_VERSION, days: {} };
  for (const [day, byKey] of [...days].sort((a, b) => a[0] - b[0])) body.days[String(day)] = encodePlaces(byKey, false) as Record<string, Facts>;
  await atomicWrite(monthFile(dir, month), JSON.stringify(body));
}

/** One Facts per place; a place with the same facts as an earlier one is written once (`$same`), empty ones as 0 if asked. */
function encodePlaces(byKey: Map<string, Facts>, emptyAsZero: boolean): Record<string, unknown> {
  // One location in the first one's time zone has the same facts as all of them: written once.
  const out: Record<string, unknown> = {};
  const written = new Map<string, string>();
  for (const [key, f] of byKey) {
    const text = JSON.stringify(encodeFacts(f));
    if (emptyAsZero && text === EMPTY_TEXT) {
      out[key] = 0;
      continue;
    }
    const same = written.get(text);
    out[key] = same === undefined ? JSON.parse(text) : { $same: same };
    if (same === undefined) written.set(text, key);
  }
  return out;
}

function decodePlaces(byKey: Record<string, unknown>): Map<string, Facts> {
  const m = new Map<string, Facts>();
  for (const [key, f] of Object.entries(byKey)) if (f === 0) m.set(key, emptyFacts());
  for (const [key, f] of Object.entries(byKey)) if (f !== 0 && !isSame(f)) m.set(key, decodeFacts(f) as Facts);
  for (const [key, f] of Object.entries(byKey)) if (isSame(f) && m.has(f.$same)) m.set(key, m.get(f.$same)!);
  return m;
}

const EMPTY_TEXT = JSON.stringify(encodeFacts(emptyFacts()));

/** The facts of a closed day's 24 UTC hours (each by place); a place missing from an hour had nothing then. */
export type DayHours = Map<string, Facts>[];

const hoursFile = (dir: string, month: string) => path.join(factsDir(dir), `${month}.hours.json`);

/**
 * Write a month's hourly facts whole, apart from the day facts so start-up never parses them: an hour with
 * nothing anywhere is 0, an empty place in a busy hour 0.
 */
export async function writeFactsHours(dir: string, month: string, days: Map<number, DayHours>): Promise<void> {
  await privateDir(factsDir(dir));
  const body: { version: string; days: Record<string, unknown[]> } = { version: FACTS_VERSION, days: {} };
  for (const [day, hours] of [...days].sort((a, b) => a[0] - b[0])) {
    body.days[String(day)] = hours.map((byKey) => {
      const out = encodePlaces(byKey, true);
      return Object.values(out).every((v) => v === 0) ? 0 : out;
    });
  }
  await atomicWrite(hoursFile(dir, month), JSON.stringify(body));
}

/** A month's hourly facts, or null when there is no file or it was written for another shape of facts. */
export async function readFactsHours(dir: string, month: string): Promise<Map<number, DayHours> | null> {
  let raw: { version?: unknown; days?: Record<string, unknown[]> };
  try {
    raw = JSON.parse(await readFile(hoursFile(dir, month), 'utf8'));
  } catch {
    return null;
  }
  return decodeHours(raw);
}

/** The same, read in this turn (a figure asked for without prepare()). */
export function readFactsHoursSync(dir: string, month: string): Map<number, DayHours> | null {
  try {
    return decodeHours(JSON.parse(readFileSync(hoursFile(dir, month), 'utf8')));
  } catch {
    return null;
  }
}

function decodeHours(raw: { version?: unknown; days?: Record<string, unknown[]> }): Map<number, DayHours> | null {
  if (raw.version !== FACTS_VERSION || !raw.days) return null;
  const out = new Map<number, DayHours>();
  for (const [day, hours] of Object.entries(raw.days)) {
    out.set(Number(day), hours.map((h) => (h === 0 || !h ? new Map() : decodePlaces(h as Record<string, unknown>))));
  }
  return out;
}

/** Whether a month's hours file is there and written for this shape of facts. */
export const factsHoursCurrent = (dir: string, month: string) => fileHeadIs(hoursFile(dir, month));

export async function readFactsMeta(dir: string): Promise<FactsMeta | null> {
  try {
    const m = JSON.parse(await readFile(metaFile(dir), 'utf8')) as FactsMeta;
    return m.version === FACTS_VERSION && typeof m.through === 'number' && typeof m.first === 'number' && Array.isArray(m.keys) ? m : null;
  } catch {
    return null;
  }
}

export async function writeFactsMeta(dir: string, meta: Omit<FactsMeta, 'version'>): Promise<void> {
  await privateDir(factsDir(dir));
  await atomicWrite(metaFile(dir), JSON.stringify({ version: FACTS_VERSION, ...meta }));
}

/** Months that have a facts file. */
export async function factsMonths(dir: string): Promise<string[]> {
  const files = await readdir(factsDir(dir)).catch(() => [] as string[]);
  return files.filter((f) => /^\d{4}-\d{2}\.json$/.test(f)).map((f) => f.slice(0, 7)).sort();
}

async function atomicWrite(file: string, body: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, body, { mode: 0o600 });
  await rename(tmp, file);
}
