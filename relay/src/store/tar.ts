import { createHash } from 'node:crypto';

/**
 * Just enough ustar for backups: regular files with short names, written as a stream of parts (header,
 * body, padding) or in memory, and read in memory or as a stream (TarParser). Operators can
 * still look inside with `tar tzf`; the reader takes only what this writer makes and refuses the rest.
 */
export interface TarEntry {
  name: string;
  body: Buffer;
}

const BLOCK = 512;

function field(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
}

const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0') + '\0';

export function tarHeader(name: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: name too long: ${name}`);
  const h = Buffer.alloc(BLOCK);
  field(h, 0, 100, name);
  field(h, 100, 8, octal(0o600, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(size, 12));
  field(h, 136, 12, octal(mtime, 12));
  field(h, 148, 8, '        ');
  field(h, 156, 1, '0');
  field(h, 257, 6, 'ustar\0');
  field(h, 263, 2, '00');
  field(h, 148, 8, octal(checksum(h), 7) + ' ');
  return h;
}

function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum;
}

export const BLOCK_SIZE = BLOCK;
/** Zeros that fill a body of `size` bytes up to a whole block. */
export const tarPadding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
/** The end marker: two zero blocks. */
export const tarEnd = () => Buffer.alloc(BLOCK * 2);

export function writeTar(entries: TarEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(tarHeader(e.name, e.body.length, mtime), e.body);
    const pad = (BLOCK - (e.body.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

const text = (buf: Buffer, offset: number, length: number) => {
  const s = buf.subarray(offset, offset + length);
  const end = s.indexOf(0);
  return s.subarray(0, end === -1 ? length : end).toString('utf8');
};

/** Entries with their byte offset (where each header starts); throws on anything malformed or cut short. */
export function readTar(tar: Buffer): (TarEntry & { offset: number })[] {
  const out: (TarEntry & { offset: number })[] = [];
  let at = 0;
  for (;;) {
    if (at + BLOCK > tar.length) throw new Error('the archive ends before its end marker (cut short?)');
    const h = tar.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) {
      // Nothing but zeros may follow: anything else was appended or belongs to a damaged header.
      if (at + 2 * BLOCK > tar.length || !tar.subarray(at + BLOCK).every((b) => b === 0)) throw new Error('the archive end marker is damaged or followed by data');
      return out;
    }
    const sum = parseInt(text(h, 148, 8).trim(), 8);
    if (sum !== checksum(h)) throw new Error(`a header checksum does not match at byte ${at}`);
    if (text(h, 156, 1) !== '0') throw new Error(`unexpected entry type at byte ${at}`);
    const name = text(h, 0, 100);
    const size = parseInt(text(h, 124, 12).trim(), 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad size for ${name}`);
    const start = at + BLOCK;
    if (start + size > tar.length) throw new Error(`${name} is cut short`);
    out.push({ name, body: tar.subarray(start, start + size), offset: at });
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
}

export interface TarSink {
  /** A header was read; `offset` is where it starts in the tar. */
  entry(name: string, size: number, offset: number): Promise<void> | void;
  /** Part of the current entry's body (the pieces add up to its size). */
  data(chunk: Buffer): Promise<void> | void;
  /** The current entry's body is complete. */
  endEntry(): Promise<void> | void;
}

/**
 * The streaming reader: the same checks as readTar, fed the tar a chunk at a time, so nothing but the
 * current header is kept. `end()` throws if the tar stopped before its end marker.
 */
export class TarParser {
  private at = 0;
  /** Every tar byte consumed so far: `digestBefore()` in `entry` is the sha256 of all bytes before that header. */
  private readonly hash = createHash('sha256');
  private header = Buffer.alloc(0);
  private left = 0;
  private pad = 0;
  private inBody = false;
  private zeros = 0;
  private done = false;

  constructor(private readonly sink: TarSink) {}

  async push(chunk: Buffer): Promise<void> {
    let i = 0;
    while (i < chunk.length) {
      if (this.done) {
        // Nothing but zeros may follow the end marker.
        if (!chunk.subarray(i).every((b) => b === 0)) throw new Error('the archive end marker is damaged or followed by data');
        this.at += chunk.length - i;
        return;
      }
      if (this.inBody) {
        const n = Math.min(this.left, chunk.length - i);
        if (n > 0) {
          this.hash.update(chunk.subarray(i, i + n));
          await this.sink.data(chunk.subarray(i, i + n));
        }
        this.left -= n;
        i += n;
        this.at += n;
        if (this.left === 0) {
          await this.sink.endEntry();
          this.inBody = false;
        }
        continue;
      }
      if (this.pad > 0) {
        const n = Math.min(this.pad, chunk.length - i);
        this.hash.update(chunk.subarray(i, i + n));
        this.pad -= n;
        i += n;
        this.at += n;
        continue;
      }
      const n = Math.min(BLOCK - this.header.length, chunk.length - i);
      this.header = Buffer.concat([this.header, chunk.subarray(i, i + n)]);
      i += n;
      if (this.header.length < BLOCK) continue;
      const h = this.header;
      const offset = this.at;
      this.header = Buffer.alloc(0);
      this.at += BLOCK;
      if (h.every((b) => b === 0)) {
        if (++this.zeros === 2) this.done = true;
        continue;
      }
      if (this.zeros > 0) throw new Error('the archive end marker is damaged or followed by data');
      const sum = parseInt(text(h, 148, 8).trim(), 8);
      if (sum !== checksum(h)) throw new Error(`a header checksum does not match at byte ${offset}`);
      if (text(h, 156, 1) !== '0') throw new Error(`unexpected entry type at byte ${offset}`);
      const name = text(h, 0, 100);
      const size = parseInt(text(h, 124, 12).trim(), 8);
      if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad size for ${name}`);
      await this.sink.entry(name, size, offset);
      this.hash.update(h);
      this.left = size;
      this.pad = (BLOCK - (size % BLOCK)) % BLOCK;
      this.inBody = true;
      if (size === 0) {
        await this.sink.endEntry();
        this.inBody = false;
      }
    }
  }

  digestBefore(): string {
    return this.hash.copy().digest('hex');
  }

  end(): void {
    if (this.inBody) throw new Error('an entry is cut short');
    if (!this.done) throw new Error('the archive ends before its end marker (cut short?)');
  }
}
