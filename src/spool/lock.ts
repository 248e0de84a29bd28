import { lstatSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../config/atomic-file.js';
import { join } from 'node:path';
import { isAlive } from './process-alive.js';
import { CLOCK_SKEW_MS } from './window.js';

const LOCK = '.sender.lock';
/** A lock older than this is taken over even if its pid looks alive. */
const STALE_LOCK_MS = 5 * 60_000;
/** Held (O_EXCL) by the one sender replacing a stale lock. */
const TAKEOVER = '.sender.lock.takeover';
/** A takeover marker this old was left by a taker that died between its few file operations. */
const STALE_TAKEOVER_MS = 30_000;

interface LockBody {
  pid: number;
  at: number;
}

function readLockText(spoolDir: string): string | undefined {
  try {
    return readFileSync(join(spoolDir, LOCK), 'utf8');
  } catch {
    return undefined;
  }
}

function readLock(spoolDir: string): LockBody | undefined {
  try {
    const body = JSON.parse(readLockText(spoolDir) ?? '') as LockBody;
    return typeof body.pid === 'number' && typeof body.at === 'number' ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a live sender holds the spool (writers then leave delivery to it). */
export function senderRunning(spoolDir: string, now = Date.now()): boolean {
  const lock = readLock(spoolDir);
  if (lock === undefined || now - lock.at >= STALE_LOCK_MS || !isAlive(lock.pid)) return false;
  if (lock.at > now + CLOCK_SKEW_MS) {
    // Stamped while the clock was ahead: its age says nothing. Its holder may be working (the clock
    // stepped back), or its pid may since be someone else's; restamped to now, it ages normally
    // and is stale in 5 minutes unless a live holder renews it, instead of looking fresh forever.
    stampLock(spoolDir, lock.pid, now);
  }
  return true;
}

/**
 * Writes `pid`'s lock as of `now`, replaced rather than rewritten in place (a sender reading it
 * half-written would take it for stale), never creating the spool. Gone or read-only: the next look
 * or renewal tries again.
 */
function stampLock(spoolDir: string, pid: number, now: number): void {
  try {
    writeFileAtomic(join(spoolDir, LOCK), JSON.stringify({ pid, at: now } satisfies LockBody), false);
  } catch {
    // Nothing to stamp.
  }
}

/** Takes the sender lock; false when a live sender holds it. Stale locks are taken over. */
export function acquireSenderLock(spoolDir: string, now = Date.now()): boolean {
  const path = join(spoolDir, LOCK);
  const body = JSON.stringify({ pid: process.pid, at: now } satisfies LockBody);
  const create = (): boolean => {
    try {
      writeFileSync(path, body, { flag: 'wx', mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  };
  if (create()) return true;
  const seen = readLockText(spoolDir);
  if (seen !== undefined && senderRunning(spoolDir, now)) return false;
  // Stale (or just released). Two senders that both saw it stale must not both replace it: the
  // second would remove the first's fresh lock. So only the holder of the takeover marker replaces
  // it, and only if it is still the lock that was judged.
  const marker = join(spoolDir, TAKEOVER);
  try {
    writeFileSync(marker, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') clearAbandonedMarker(marker);
    return false;
  }
  try {
    if (readLockText(spoolDir) !== seen) return false;
    if (seen !== undefined) unlinkSync(path);
    return create();
  } catch {
    return false;
  } finally {
    releaseMarker(marker);
  }
}

/** Removes this process's takeover marker, and only its own: cleared as abandoned, the name may be another taker's by now. */
function releaseMarker(marker: string): void {
  try {
    if (readFileSync(marker, 'utf8') === String(process.pid)) unlinkSync(marker);
  } catch {
    // Gone already.
  }
}

/** Removes a takeover marker whose taker died holding it (judged by its age on the file system's clock). */
function clearAbandonedMarker(marker: string): void {
  try {
    const age = Date.now() - lstatSync(marker).mtimeMs;
    // Made ahead of the clock (it stepped back since): its age says nothing, and it is never held long.
    if (age > STALE_TAKEOVER_MS || age < -CLOCK_SKEW_MS) unlinkSync(marker);
  } catch {
    // Gone meanwhile.
  }
}

/** Whether this process holds the lock (another sender takes it over only when it looked stale). */
export function holdsSenderLock(spoolDir: string): boolean {
  return readLock(spoolDir)?.pid === process.pid;
}

/** Renews this process's lock, so a sender that runs long is never taken for a stale one. */
export function refreshSenderLock(spoolDir: string, now = Date.now()): void {
  if (holdsSenderLock(spoolDir)) stampLock(spoolDir, process.pid, now);
}

/** Releases the lock if this process holds it. */
export function releaseSenderLock(spoolDir: string): void {
  if (readLock(spoolDir)?.pid !== process.pid) return;
  try {
    unlinkSync(join(spoolDir, LOCK));
  } catch {
    // already gone
  }
}
