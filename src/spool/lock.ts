import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../config/atomic-file.js';
import { join } from 'node:path';
import { isAlive } from './process-alive.js';
import { CLOCK_SKEW_MS } from './window.js';

const LOCK = '.sender.lock';
/** A lock older than this is taken over even if its pid looks alive. */
const STALE_LOCK_MS = 5 * 60_000;

interface LockBody {
  pid: number;
  at: number;
}

function readLock(spoolDir: string): LockBody | undefined {
  try {
    const body = JSON.parse(readFileSync(join(spoolDir, LOCK), 'utf8')) as LockBody;
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
  try {
    writeFileSync(path, body, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  if (senderRunning(spoolDir, now)) return false;
  // Stale: remove and race for it again, so two takers cannot both win.
  try {
    unlinkSync(path);
    writeFileSync(path, body, { flag: 'wx', mode: 0o600 });
    return true;
  } catch {
    return false;
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
