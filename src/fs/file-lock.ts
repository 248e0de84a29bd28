import { closeSync, openSync, rmSync, statSync } from 'node:fs';

/** Longest a writer waits for another; past it, it writes anyway (a lost update beats a hung command). */
const WAIT_MS = 2_000;
/** A lock older than this is left over by a process that died holding it. */
const STALE_MS = 10_000;
/** Made on first wait: nothing is allocated where no writer ever waits (a CLI's start-up loads this module). */
let nap: Int32Array | undefined;

/**
 * Runs `update` (a read-modify-write of `file`) holding `<file>.lock`, so two processes changing
 * different parts of the file at once keep both changes. Synchronous, like the writes it guards;
 * a lock that cannot be taken (read-only directory) leaves `update` to fail on its own terms.
 */
export function withFileLock<T>(file: string, update: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  let held = false;
  while (!held) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      held = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) break;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_MS) rmSync(lock, { force: true });
      else Atomics.wait((nap ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 5);
    }
  }
  try {
    return update();
  } finally {
    if (held) rmSync(lock, { force: true });
  }
}
