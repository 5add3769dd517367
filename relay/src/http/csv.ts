import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import { stringify } from 'csv-stringify';
import type { Call, Message, ThreadSummary } from '@ringback/shared';

/** Export columns, documented in the README; one row per record, times in ISO-8601 UTC. */
export const threadColumns = ['id', 'location', 'caller', 'callerName', 'status', 'openedAt', 'lastMissedAt', 'missedCount', 'lineType', 'optedOut', 'textBack', 'textBackReason', 'claimedBy', 'outcome', 'value', 'resolvedAt', 'resolvedBy'] as const;
export const threadRow = (t: ThreadSummary): unknown[] => [
  t.id, t.locationId, t.caller, t.callerName ?? '', t.status, t.openedAt, t.lastMissedAt ?? '', t.missedCount, t.lineType ?? '', t.optedOut,
  t.textBack?.state ?? '', t.textBack?.reason ?? '', t.claim?.staffName ?? '', t.resolution?.outcome ?? '', t.resolution?.value ?? '', t.resolution?.at ?? '', t.resolution?.staffName ?? '',
];

export const callColumns = ['id', 'threadId', 'location', 'from', 'to', 'startedAt', 'endedAt', 'outcome', 'afterHours', 'dialStatus', 'missedAt', 'voicemailSeconds', 'textBackSkipped'] as const;
export const callRow = (c: Call): unknown[] => [
  c.id, c.threadId ?? '', c.locationId, c.from, c.to, c.startedAt, c.endedAt ?? '', c.outcome, c.afterHours, c.dialStatus ?? '', c.missedAt ?? '', c.voicemail?.durationSec ?? '', c.textBackSkipped ?? '',
];

export const messageColumns = ['id', 'threadId', 'direction', 'kind', 'at', 'sentAt', 'status', 'statusReason', 'staff', 'text'] as const;
export const messageRow = (m: Message): unknown[] => [m.id, m.threadId, m.direction, m.kind, m.at, m.sentAt ?? '', m.status, m.statusReason ?? '', m.staffName ?? '', m.text];

/** Columns that hold E.164 numbers: written as they are when they really are `+digits`. */
const PHONE_COLUMNS = new Set(['caller', 'from', 'to', 'phone']);
const E164 = /^\+\d{1,15}$/;
/** What a spreadsheet reads as the start of a formula (OWASP CSV injection), full-width forms included. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEUTRALISED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * One cell as a spreadsheet will read it safely: text that would start a formula gets a leading `'`
 * (and is quoted), numbers stay numbers, booleans are `true`/`false`, an absent value is empty.
 */
export function csvCell(value: unknown, column: string): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return value;
  const text = String(value);
  if (PHONE_COLUMNS.has(column) && E164.test(text)) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Rows are written as the client reads them, so a year of records is never one string in memory. */
export function streamCsv(reply: FastifyReply, filename: string, columns: readonly string[], rows: Iterable<unknown[]> | AsyncIterable<unknown[]>): FastifyReply {
  const csv = stringify({ header: true, columns: [...columns], quoted_match: NEUTRALISED });
  const pump = async () => {
    try {
      for await (const row of rows) {
        if (!csv.write(row.map((v, i) => csvCell(v, columns[i] ?? '')))) await once(csv, 'drain');
      }
      csv.end();
    } catch (e) {
      csv.destroy(e as Error); // an archive that cannot be read: the download breaks off rather than looking complete
    }
  };
  setImmediate(() => void pump());
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
}
