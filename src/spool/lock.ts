import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { withTempFile } from '../fs/with-temp-file.js';
import { join } from 'node:path';
import { isAlive } from './process-alive.js';

const LOCK = '.sender.lock';
/** A lock older than this is taken over even if its pid looks alive. */
const STALE_LOCK_MS = 5 * 60_000;
/** Clock skew tolerated on a lock's time; beyond it, the lock was written while the clock was ahead. */
const LOCK_SKEW_MS = 60_000;

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
  if (lock.at > now + LOCK_SKEW_MS) {
    // Stamped while the clock was ahead: its age says nothing. Its holder may be working (the clock
    // stepped back), or its pid may since be someone else's; restamped to now, it ages normally
    // and is stale in 5 minutes unless a live holder renews it, instead of looking fresh forever.
    restamp(spoolDir, lock.pid, now);
  }
  return true;
}

function restamp(spoolDir: string, pid: number, now: number): void {
  const path = join(spoolDir, LOCK);
  try {
    withTempFile(`${path}.${process.pid}.restamp.tmp`, JSON.stringify({ pid, at: now } satisfies LockBody), (tmp) => renameSync(tmp, path));
  } catch {
    // Gone or read-only: the next look tries again.
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
  if (!holdsSenderLock(spoolDir)) return;
  const path = join(spoolDir, LOCK);
  try {
    // Replaced, not rewritten in place: a sender reading it half-written would take it for stale.
    withTempFile(`${path}.${process.pid}.tmp`, JSON.stringify({ pid: process.pid, at: now } satisfies LockBody), (tmp) => renameSync(tmp, path));
  } catch {
    // The spool is gone (telemetry turned off) or read-only: nothing to renew.
  }
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
