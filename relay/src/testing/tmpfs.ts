import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A small real file system (a tmpfs) for disk-full and read-only tests; mounting needs root. */
export interface Tmpfs {
  dir: string;
  /** Lazily, so a process that still holds a file cannot hide the test's own error. */
  unmount(): Promise<void>;
}

/** A fresh tmpfs of `size` ("1m"), or null where it cannot be mounted (the caller skips, saying so). */
export async function mountTmpfs(name: string, size: string): Promise<Tmpfs | null> {
  const dir = await mkdtemp(path.join(tmpdir(), `ringback-${name}-`));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    console.warn(`skipped ${name} test: cannot mount a tmpfs here (needs root)`);
    return null;
  }
  return {
    dir,
    async unmount() {
      execFileSync('umount', ['-l', dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
