import { closeSync, linkSync, openSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';

/** Longest a writer waits for another; past it, it writes anyway (a lost update beats a hung command). */
const WAIT_MS = 2_000;
/** A lock older than this is left over by a process that died holding it. */
const STALE_MS = 10_000;
/** Made on first wait: nothing is allocated where no writer ever waits (a CLI's start-up loads this module). */
let nap: Int32Array | undefined;

/**
 * Takes `lock` (O_EXCL), waiting up to `waitMs` for another holder. A lock past `STALE_MS` is left
 * over by a process that died holding it, and one stamped in the future (the clock stepped back, a
 * restored home) says nothing about its age: both are removed. False when not taken in time, or
 * when it cannot be made at all (read-only directory).
 */
function takeLock(lock: string, waitMs: number): boolean {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      if (isStale(statSync(lock, { throwIfNoEntry: false }))) {
        removeStale(lock);
        continue;
      }
      if (Date.now() >= deadline) return false;
      Atomics.wait((nap ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 5);
    }
  }
}

function isStale(stat: Stats | undefined): boolean {
  if (stat === undefined) return false;
  const age = Date.now() - stat.mtimeMs;
  return age > STALE_MS || age < -STALE_MS;
}

/**
 * Removes a stale lock, and only that one: another process may have removed it and made a fresh
 * one since it was judged. It is moved aside first (one atomic rename), looked at again there, and a
 * fresh one moved by mistake is linked back (never over a lock made meanwhile).
 */
function removeStale(lock: string): void {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // gone already: taken over by another process
  }
  try {
    if (!isStale(statSync(aside, { throwIfNoEntry: false }))) linkSync(aside, lock);
  } catch {
    // a lock was made meanwhile: it is its holder's
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Runs `update` (a read-modify-write of `file`) holding `<file>.lock`, so two processes changing
 * different parts of the file at once keep both changes. Synchronous, like the writes it guards;
 * a lock that cannot be taken (read-only directory) leaves `update` to fail on its own terms.
 */
export function withFileLock<T>(file: string, update: () => T): T {
  const lock = `${file}.lock`;
  const held = takeLock(lock, WAIT_MS);
  try {
    return update();
  } finally {
    if (held) rmSync(lock, { force: true });
  }
}

/**
 * Runs `update` only if `<file>.lock` can be taken at once; false when another process holds it.
 * For decisions another process is making at this very moment (it will record them), where waiting
 * would cost the host's start-up and going ahead would make them twice.
 */
export function ifFileUnlocked(file: string, update: () => void): boolean {
  const lock = `${file}.lock`;
  if (!takeLock(lock, 0)) return false;
  try {
    update();
    return true;
  } finally {
    rmSync(lock, { force: true });
  }
}
