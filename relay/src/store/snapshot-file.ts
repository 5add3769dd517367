import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface SnapshotOptions {
  /** Top-level values written instead of the live ones (the batch the snapshot covers). */
  override?: Record<string, unknown>;
  /** How long one slice of serializing may hold the event loop (Infinity: all at once, at start and close). */
  sliceMs?: number;
  /** Runs once the temp file is complete and synced; a throw abandons the snapshot (the old file stays). */
  beforeRename?: () => Promise<void>;
}

/** Bytes gathered before they go to the file: one write per ~1 MB. */
const FLUSH_AT = 1 << 20;

/**
 * Writes `data` as the JSON `JSON.stringify(data)` would give, record by record, yielding the event loop
 * between slices: a 35 MB hot file is not one long stall of the webhooks. Atomic as steno's: a temp file
 * beside the real one (0600), fsynced, then renamed over it; a crash mid-write leaves the old file whole.
 * Records changed while the slices run are written as they are when reached; the caller makes sure every
 * such change is journaled before the rename (`beforeRename`).
 */
/** Returns the bytes written. */
export async function writeSnapshot(file: string, data: object, opts: SnapshotOptions = {}): Promise<number> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  const sliceMs = opts.sliceMs ?? 4;
  const fh = await open(tmp, 'w', 0o600);
  try {
    let parts: string[] = [];
    let size = 0;
    let written = 0;
    let sliceStart = performance.now();
    const put = async (s: string) => {
      parts.push(s);
      size += s.length;
      if (size >= FLUSH_AT) await flush();
    };
    const flush = async () => {
      const chunk = parts.join('');
      parts = [];
      size = 0;
      // A full disk may take part of a write without an error: the rest is written until it errs, never dropped.
      const buf = Buffer.from(chunk, 'utf8');
      for (let at = 0; at < buf.length; ) {
        const { bytesWritten } = await fh.write(buf, at);
        if (bytesWritten === 0) throw new Error('the snapshot could not be written (no bytes taken)');
        at += bytesWritten;
      }
      written += buf.length;
    };
    // Checked every few records: reading the clock per record would cost more than the records.
    let n = 0;
    const maybeYield = async () => {
      if ((++n & 127) !== 0 || performance.now() - sliceStart < sliceMs) return;
      await flush();
      await nextTurn();
      sliceStart = performance.now();
    };
    const override = opts.override ?? {};
    await put('{');
    let firstKey = true;
    for (const key of Object.keys(data)) {
      const value = Object.hasOwn(override, key) ? override[key] : (data as Record<string, unknown>)[key];
      if (value === undefined || typeof value === 'function') continue;
      await put(`${firstKey ? '' : ','}${JSON.stringify(key)}:`);
      firstKey = false;
      if (Array.isArray(value)) {
        // The length now: entries appended later are in the journal, which replays them at their index.
        const len = value.length;
        await put('[');
        for (let i = 0; i < len && i < value.length; i++) {
          const json = JSON.stringify(value[i]);
          await put(`${i ? ',' : ''}${json === undefined ? 'null' : json}`);
          await maybeYield();
        }
        await put(']');
      } else if (value !== null && typeof value === 'object' && !isPlainLeaf(value)) {
        const table = value as Record<string, unknown>;
        await put('{');
        let first = true;
        for (const id of Object.keys(table)) {
          // Deleted since the keys were taken: its deletion is journaled.
          if (!Object.hasOwn(table, id)) continue;
          const json = JSON.stringify(table[id]);
          if (json === undefined) continue;
          await put(`${first ? '' : ','}${JSON.stringify(id)}:${json}`);
          first = false;
          await maybeYield();
        }
        await put('}');
      } else {
        await put(JSON.stringify(value));
      }
    }
    await put('}');
    await flush();
    await fh.datasync();
    await fh.close();
    await opts.beforeRename?.();
    await rename(tmp, file);
    await syncDir(path.dirname(file));
    return written;
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}

/** Objects JSON.stringify would not walk key by key (a Date, anything with toJSON). */
function isPlainLeaf(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** The rename itself made durable; some filesystems refuse to fsync a directory, which is no error here. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  await fh.sync().catch(() => {});
  await fh.close().catch(() => {});
}
