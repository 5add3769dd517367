import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export class DataDirLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One relay per data dir: a pidfile created exclusively. A pidfile whose process is gone (kill -9)
 * is taken over, so a crashed relay restarts without manual cleanup.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, 'relay.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      // Our own pid counts too: a second store in this process must not share the file either.
      if (pid && alive(pid)) {
        throw new DataDirLockedError(`another relay (pid ${pid}) is using the data dir ${dir}`);
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock the data dir ${dir}`);
}
