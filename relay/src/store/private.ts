import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

type Warn = (message: string) => void;

/**
 * Patient numbers and messages are for the relay's user only: its directories are 0700 and its
 * files 0600. A directory made wider by hand (or by an earlier release) is tightened, once, with a word.
 * What belongs to another user cannot be tightened; that is said, and the relay goes on.
 */
export async function privateDir(dir: string, warn: Warn = () => {}): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch(async (e: NodeJS.ErrnoException) => {
    // A recursive mkdir under a read-only mount reports ENOENT; a plain one gives the real reason (EROFS).
    if (e.code !== 'ENOENT') throw e;
    await mkdir(dir, { mode: 0o700 });
  });
  const mode = (await stat(dir)).mode & 0o777;
  if (mode & 0o077 && (await tighten(dir, 0o700, warn))) {
    warn(`${dir} was readable by other users (mode ${mode.toString(8).padStart(4, '0')}); it is now 0700`);
  }
}

export async function privateFile(file: string, warn: Warn = () => {}): Promise<void> {
  await tighten(file, 0o600, warn);
}

/** Tighten the files already in a directory (backups, archives written by earlier releases). */
export async function privateFiles(dir: string, warn: Warn = () => {}): Promise<void> {
  for (const f of await readdir(dir, { withFileTypes: true })) if (f.isFile()) await privateFile(path.join(dir, f.name), warn);
}

async function tighten(file: string, mode: number, warn: Warn): Promise<boolean> {
  try {
    await chmod(file, mode);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    warn(`${file} belongs to another user, so it cannot be made private (mode ${mode.toString(8).padStart(4, '0')}); chown it to the user running Ringback`);
    return false;
  }
}
