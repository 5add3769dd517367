import { open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * Append-only journal beside the lowdb snapshot: each commit appends one JSON line with the records
 * it changed and fdatasyncs it, so a commit costs the size of the change, not of the database.
 * Files are numbered; a snapshot covers every file before the current one, which are then deleted.
 */
export const JOURNAL_PREFIX = 'ringback.journal.';

export interface JournalFile {
  n: number;
  file: string;
}

export async function listJournals(dir: string): Promise<JournalFile[]> {
  return (await readdir(dir))
    .filter((f) => f.startsWith(JOURNAL_PREFIX) && /^\d+$/.test(f.slice(JOURNAL_PREFIX.length)))
    .map((f) => ({ n: Number(f.slice(JOURNAL_PREFIX.length)), file: path.join(dir, f) }))
    .sort((a, b) => a.n - b.n);
}

/**
 * Lines of a journal. A torn last line (the process died mid-append) was never acknowledged and is
 * dropped; a broken line followed by good ones means the file is damaged, which is refused.
 */
export async function readJournal(file: string): Promise<unknown[]> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const out: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      const rest = lines.slice(i + 1).some((l) => l.trim());
      if (rest) throw new Error(`${file} line ${i + 1} is damaged`);
    }
  }
  return out;
}

export class JournalWriter {
  bytes = 0;
  private constructor(
    readonly n: number,
    readonly file: string,
    private readonly fh: FileHandle,
  ) {}

  static async open(dir: string, n: number): Promise<JournalWriter> {
    const file = path.join(dir, `${JOURNAL_PREFIX}${n}`);
    return new JournalWriter(n, file, await open(file, 'a'));
  }

  async append(line: string): Promise<void> {
    const buf = Buffer.from(`${line}\n`, 'utf8');
    try {
      const { bytesWritten } = await this.fh.write(buf);
      if (bytesWritten !== buf.length) throw new Error(`short journal write (${bytesWritten} of ${buf.length} bytes)`);
      await this.fh.datasync();
    } catch (e) {
      // Cut off a partial line (disk full), so the next append starts on a line of its own.
      await this.fh.truncate(this.bytes).catch(() => {});
      throw e;
    }
    this.bytes += buf.length;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => {});
  }

  async remove(): Promise<void> {
    await this.close();
    await rm(this.file, { force: true });
  }
}
