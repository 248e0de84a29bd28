import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { listDir } from '../fs/list-dir.js';
import { spoolFiles, type SpoolFileName } from './file-name.js';
import { isAlive } from './process-alive.js';
import { readSpoolFile } from './read.js';
import { CLOCK_SKEW_MS } from './window.js';

const CLAIMS = '.claims';
/**
 * A claim older than this is merged back even if its pid looks alive (pids get reused, a process
 * can hang). Merging back the claim of a sender that is in fact still working sends its files twice,
 * so this is far past anything a live sender takes: it refreshes its lock, and no other sender
 * starts while it does.
 */
const STALE_CLAIM_MS = 60 * 60_000;
const CLAIM_NAME = /^\d+-\d+$/;

/** Files a sender took out of the spool; nobody else can see them until released. */
export interface Claim {
  readonly dir: string;
  readonly files: readonly SpoolFileName[];
}

/**
 * Moves the deliverable files into a private claim directory, one `rename` each: a file is claimed
 * by exactly one sender, which is what keeps concurrent senders from sending a file twice (an export
 * the collector took but whose answer was lost is still sent again: OTLP has no idempotency key).
 */
export function claimFiles(spoolDir: string, deliverable: (file: SpoolFileName) => boolean, maxBytes = Infinity): Claim | undefined {
  const ready = spoolFiles(listDir(spoolDir)).filter(deliverable);
  if (ready.length === 0) return undefined;
  const root = join(spoolDir, CLAIMS);
  try {
    // Made inside the spool as it is, never with its parents: a spool deleted meanwhile stays deleted.
    mkdirSync(root, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const dir = newClaimDir(root);
  if (dir === undefined) return undefined;
  const files: SpoolFileName[] = [];
  let bytes = 0;
  for (const file of ready) {
    if (files.length > 0 && bytes + file.bytes > maxBytes) break;
    try {
      renameSync(join(spoolDir, file.name), join(dir, file.name));
      files.push(file);
      bytes += file.bytes;
    } catch {
      // another sender took it first
    }
  }
  if (files.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return { dir, files };
}

/** A claim directory of this process's own (`<ms>-<pid>`; the next millisecond when one was made in this one). */
function newClaimDir(root: string): string | undefined {
  const now = Date.now();
  for (let k = 0; k < 1_000; k++) {
    const dir = join(root, `${now + k}-${process.pid}`);
    try {
      mkdirSync(dir, { mode: 0o700 });
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
    }
  }
  return undefined;
}

/**
 * Puts a claim's files back into the spool (after a failed delivery): spool files only, each a
 * regular file. Anything else found there (planted, or left by a crash) is deleted with the claim,
 * never moved into the spool.
 */
export function releaseClaim(spoolDir: string, claimDir: string): void {
  for (const file of unsuperseded(claimDir)) {
    const from = join(claimDir, file.name);
    try {
      if (!lstatSync(from).isFile()) continue;
      renameSync(from, join(spoolDir, file.name));
    } catch {
      // the spool was deleted (telemetry turned off): nothing to put back
    }
  }
  rmSync(claimDir, { recursive: true, force: true });
}

/**
 * The claim's spool files once those another one supersedes are deleted: a sender killed between
 * writing a file of what it has still to send and deleting the files it replaces left both.
 */
function unsuperseded(claimDir: string): SpoolFileName[] {
  const files = spoolFiles(listDir(claimDir));
  const replaced = new Set(files.flatMap((file) => readSpoolFile(claimDir, file).header?.supersedes ?? []));
  if (replaced.size === 0) return files;
  for (const name of replaced) rmSync(join(claimDir, name), { recursive: true, force: true });
  return files.filter((file) => !replaced.has(file.name));
}

/** Merges back claims left by senders that died (or hung past `staleMs`). Returns how many. */
export function recoverStaleClaims(spoolDir: string, now = Date.now(), staleMs = STALE_CLAIM_MS): number {
  const root = join(spoolDir, CLAIMS);
  try {
    // Through a symlinked .claims every entry would be someone else's: drop the link, read nothing.
    if (!lstatSync(root).isDirectory()) {
      unlinkSync(root);
      return 0;
    }
  } catch {
    return 0;
  }
  let recovered = 0;
  for (const name of listDir(root)) {
    // Only names a sender gives its claims (`<ms>-<pid>`); anything else is left alone.
    if (!CLAIM_NAME.test(name)) continue;
    const [created, pid] = name.split('-').map(Number);
    const dir = join(root, name);
    try {
      // A claim is a directory a sender made. A symlink here (to ~/Documents, say) is not one:
      // releasing it would move whatever it points to into the spool. Remove the entry itself.
      if (!lstatSync(dir).isDirectory()) {
        unlinkSync(dir);
        continue;
      }
    } catch {
      continue;
    }
    const age = now - (created ?? 0);
    // Made "in the future": written while the clock was ahead, so its age says nothing; a live pid
    // with that name may be any process that reused it.
    const trustworthy = age > -CLOCK_SKEW_MS;
    if (pid !== undefined && pid !== process.pid && isAlive(pid) && age < staleMs && trustworthy) continue;
    if (pid === process.pid) continue;
    releaseClaim(spoolDir, dir);
    recovered++;
  }
  return recovered;
}

/** Files held in claims (being delivered by a sender); anything in `.claims` that is not a claim directory is not counted. */
export function claimedFileCount(spoolDir: string): number {
  const root = join(spoolDir, CLAIMS);
  let count = 0;
  try {
    for (const d of readdirSync(root, { withFileTypes: true })) if (d.isDirectory()) count += readdirSync(join(root, d.name)).length;
  } catch {
    // No claims (or a claim gone while listing): nothing held.
  }
  return count;
}
