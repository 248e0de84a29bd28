import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic-file.js';

const FILE = '.backoff.json';
const BASE_MS = 1_000;
const MAX_MS = 15 * 60_000;

/** The delivery back-off after failures: exponential from 1 s, capped at 15 min. */
export interface Backoff {
  readonly failures: number;
  readonly until: number;
}

// The last instant a Date can hold: an `until` past it cannot be shown as a time.
const MAX_TIME = 8.64e15;

/** The back-off the file records, if it holds one that could have been written (else undefined, as when there is none). */
export function readBackoff(spoolDir: string): Backoff | undefined {
  try {
    const { failures, until } = (JSON.parse(readFileSync(join(spoolDir, FILE), 'utf8')) ?? {}) as Record<string, unknown>;
    // A hand-edited or damaged file: a count that is no count, or a time no Date can hold, is no back-off.
    const valid = typeof failures === 'number' && Number.isSafeInteger(failures) && failures >= 0 &&
      typeof until === 'number' && until >= 0 && until <= MAX_TIME;
    return valid ? { failures, until } : undefined;
  } catch {
    return undefined;
  }
}

/** The back-off a sender honours at `now`: the recorded one while it lasts; undefined when delivery may go ahead. */
export function activeBackoff(spoolDir: string, now = Date.now()): Backoff | undefined {
  const b = readBackoff(spoolDir);
  // No back-off is ever longer than MAX_MS: a longer one was written while the clock was ahead.
  return b !== undefined && b.until > now && b.until - now <= MAX_MS ? b : undefined;
}

/** Whether delivery should wait at `now`. */
export function inBackoff(spoolDir: string, now = Date.now()): boolean {
  return activeBackoff(spoolDir, now) !== undefined;
}

/** Records one more failure. */
export function recordFailure(spoolDir: string, now = Date.now()): Backoff {
  const failures = (readBackoff(spoolDir)?.failures ?? 0) + 1;
  const wait = Math.min(BASE_MS * 2 ** (failures - 1), MAX_MS);
  const next = { failures, until: now + wait };
  try {
    // Replaced, not written through: a symlink planted under that name must not lead the write elsewhere.
    writeFileAtomic(join(spoolDir, FILE), JSON.stringify(next), false);
  } catch {
    // the spool is gone or read-only: the next run simply tries again
  }
  return next;
}

/** Clears the back-off after a success. */
export function clearBackoff(spoolDir: string): void {
  try {
    unlinkSync(join(spoolDir, FILE));
  } catch {
    // nothing to clear
  }
}
