import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The secret self-booking tokens and calendar-feed keys are derived from. It lives in its own 0600 file in
 * the data dir, not in ringback.json, so the data file and its backups hold only hashes of tokens; a
 * restored data dir without it keeps every link working (they are looked up by hash) and issues new ones.
 */
export const LINK_KEY_FILE = 'booking-links.key';

const keys = new Map<string, Buffer>();

export function linkKey(dir: string): Buffer {
  const known = keys.get(dir);
  if (known) return known;
  const file = path.join(dir, LINK_KEY_FILE);
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    key = randomBytes(32);
    try {
      writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    } catch (w) {
      // Another process (the CLI, a second start) wrote it first: theirs counts.
      if ((w as NodeJS.ErrnoException).code !== 'EEXIST') throw w;
      key = readFileSync(file);
    }
  }
  if (key.length < 32) throw new Error(`${file} is damaged (shorter than 32 bytes); remove it to issue new self-booking links`);
  keys.set(dir, key);
  return key;
}
