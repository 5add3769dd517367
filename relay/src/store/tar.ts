/**
 * Just enough ustar for backups: regular files with short names, written and read in memory. Operators can
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

function header(name: string, size: number, mtime: number): Buffer {
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

export function writeTar(entries: TarEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.name, e.body.length, mtime), e.body);
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
