import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { ensureDir } from '../fs/ensure-dir.js';
import { join } from 'node:path';
import { spoolFiles, type SpoolFileName } from './file-name.js';
import { isAlive } from './process-alive.js';

const CLAIMS = '.claims';
/**
 * A claim older than this is merged back even if its pid looks alive (pids get reused, a process
 * can hang). Merging back the claim of a sender that is in fact still working sends its files twice,
 * so this is far past anything a live sender takes: it refreshes its lock, and no other sender
 * starts while it does.
 */
const STALE_CLAIM_MS = 60 * 60_000;

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
  let names: string[];
  try {
    names = readdirSync(spoolDir);
  } catch {
    return undefined;
  }
  const ready = spoolFiles(names).filter(deliverable);
  if (ready.length === 0) return undefined;
  const dir = join(spoolDir, CLAIMS, `${Date.now()}-${process.pid}`);
  ensureDir(dir);
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

/** Puts a claim's files back into the spool (after a failed delivery). */
export function releaseClaim(spoolDir: string, claimDir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(claimDir);
  } catch {
    return;
  }
  for (const name of names) {
    try {
      renameSync(join(claimDir, name), join(spoolDir, name));
    } catch {
      // the spool was deleted (telemetry turned off): nothing to put back
    }
  }
  rmSync(claimDir, { recursive: true, force: true });
}

/** Deletes a delivered claim. */
export function completeClaim(claimDir: string): void {
  rmSync(claimDir, { recursive: true, force: true });
}

/** Merges back claims left by senders that died (or hung past `staleMs`). Returns how many. */
export function recoverStaleClaims(spoolDir: string, now = Date.now(), staleMs = STALE_CLAIM_MS): number {
  const root = join(spoolDir, CLAIMS);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return 0;
  }
  let recovered = 0;
  for (const name of names) {
    const [created, pid] = name.split('-').map(Number);
    const dir = join(root, name);
    let age = now - (created ?? 0);
    if (!Number.isFinite(age)) age = now - statSync(dir).mtimeMs;
    if (pid !== undefined && pid !== process.pid && isAlive(pid) && age < staleMs) continue;
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
