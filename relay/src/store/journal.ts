import { open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * Append-only journal beside the lowdb snapshot: each commit appends one line with the records it
 * changed and fdatasyncs it, so a commit costs the size of the change, not of the database.
 * Files are numbered; a snapshot covers every file before the current one, which are then deleted.
 * A line is `<crc32 of the JSON, 8 hex> <JSON>`, and every JSON carries its batch number `b`, one more
 * than the line before it (across files): damage and gaps are found, never silently skipped.
 */
export const JOURNAL_PREFIX = 'ringback.journal.';

export interface JournalFile {
  n: number;
  file: string;
}

/** A journal line as read: its batch, or null when the line is damaged (torn, bad checksum, not JSON). */
export interface JournalLine {
  file: string;
  line: number;
  value: { b: number } | null;
}

export async function listJournals(dir: string): Promise<JournalFile[]> {
  return (await readdir(dir))
    .filter((f) => f.startsWith(JOURNAL_PREFIX) && /^\d+$/.test(f.slice(JOURNAL_PREFIX.length)))
    .map((f) => ({ n: Number(f.slice(JOURNAL_PREFIX.length)), file: path.join(dir, f) }))
    .sort((a, b) => a.n - b.n);
}

const checksum = (json: string) => crc32(json).toString(16).padStart(8, '0');

export function encodeLine(json: string): string {
  return `${checksum(json)} ${json}`;
}

function decodeLine(raw: string): { b: number } | null {
  let json = raw;
  // Lines from releases before checksums are bare JSON; they still load.
  if (!raw.startsWith('{')) {
    const m = /^([0-9a-f]{8}) (.*)$/s.exec(raw);
    if (!m || checksum(m[2]!) !== m[1]) return null;
    json = m[2]!;
  }
  try {
    const value = JSON.parse(json) as { b?: unknown };
    return value && typeof value === 'object' && Number.isSafeInteger(value.b) ? (value as { b: number }) : null;
  } catch {
    return null;
  }
}

/** Every non-empty line of a journal, damaged ones included (as null), with its 1-based line number. */
export async function readJournal(file: string): Promise<JournalLine[]> {
  return parseJournal(await readFile(file, 'utf8'), file);
}

/** The lines of a journal's text (a journal inside a backup), as readJournal gives them. */
export function parseJournal(text: string, file: string): JournalLine[] {
  const lines = text.split('\n');
  const out: JournalLine[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i]) out.push({ file, line: i + 1, value: decodeLine(lines[i]!) });
  return out;
}

/** Acknowledged batches that cannot be replayed: a gap in the numbering, and the damaged lines in it. */
export interface JournalLoss {
  /** The first and last missing batch. */
  from: number;
  to: number;
  /** Where the journal picks up again. */
  resumesAt: { file: string; line: number };
  damaged: { file: string; line: number }[];
}

/**
 * Which lines to replay on a snapshot that holds batches up to `snapshotBatch`. A damaged line between
 * two consecutive batches is an append that failed and was never acknowledged; a damaged last line is
 * an append cut off by a crash: both are skipped. A jump in the numbering means acknowledged batches
 * are gone: it is reported (the lines after it are intact and listed for replay, for a recovery).
 */
export function planReplay<T extends { b: number }>(snapshotBatch: number, lines: JournalLine[]): { replay: T[]; losses: JournalLoss[] } {
  const replay: T[] = [];
  const losses: JournalLoss[] = [];
  let last = snapshotBatch;
  let damaged: { file: string; line: number }[] = [];
  for (const l of lines) {
    if (!l.value) {
      damaged.push({ file: l.file, line: l.line });
      continue;
    }
    const b = l.value.b;
    if (b > last + 1) losses.push({ from: last + 1, to: b - 1, resumesAt: { file: l.file, line: l.line }, damaged });
    damaged = [];
    if (b <= last) continue; // already in the snapshot
    replay.push(l.value as T);
    last = b;
  }
  return { replay, losses };
}

export class JournalWriter {
  bytes = 0;
  /** A failed append left a partial line that could not be cut off: the next one starts on a new line. */
  private ragged = false;
  private constructor(
    readonly n: number,
    readonly file: string,
    private readonly fh: FileHandle,
  ) {}

  static async open(dir: string, n: number): Promise<JournalWriter> {
    const file = path.join(dir, `${JOURNAL_PREFIX}${n}`);
    return new JournalWriter(n, file, await open(file, 'a', 0o600));
  }

  async append(json: string): Promise<void> {
    const buf = Buffer.from(`${this.ragged ? '\n' : ''}${encodeLine(json)}\n`, 'utf8');
    try {
      const { bytesWritten } = await this.fh.write(buf);
      if (bytesWritten !== buf.length) throw new Error(`short journal write (${bytesWritten} of ${buf.length} bytes)`);
      await this.fh.datasync();
    } catch (e) {
      // Cut off a partial line (disk full), so the next append starts on a line of its own.
      this.ragged = await this.fh.truncate(this.bytes).then(
        () => false,
        () => true,
      );
      throw e;
    }
    // After a partial line that stayed, only the file knows where the last whole line ends.
    this.bytes = this.ragged ? await this.fh.stat().then((s) => s.size, () => this.bytes + buf.length) : this.bytes + buf.length;
    this.ragged = false;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => {});
  }

  async remove(): Promise<void> {
    await this.close();
    await rm(this.file, { force: true });
  }
}
