import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { diagLog } from '../diag.js';
import type { Flush } from '../config/settings.js';
import { appendToSpool } from './append.js';
import { claimFiles, releaseClaim } from './claim.js';
import type { SpoolHeader } from './format.js';
import { readSpoolFile, withDamageCounted } from './read.js';
import { misdated } from './window.js';

/**
 * Moves files written under a wrong clock to now: stamped more than a window in the future (the
 * clock was ahead), or before 2024 (the clock was not set). Rewritten with their times shifted, they
 * join the current window and go out in its one batch when it completes, instead of waiting until
 * that date, going out early as a second, overlapping delta for the same hour, or arriving stamped
 * 1970. Run by the sender, under its lock. Returns how many files were moved.
 */
export function restampMisdatedFiles(spoolDir: string, flush: Flush, fallback: Omit<SpoolHeader, 'optel' | 'at'>, now = Date.now()): number {
  // Claimed first, as withdrawTiers does: each rewrite lands in the claim naming the file it
  // replaces, so a sender killed before deleting that file leaves nothing to count twice.
  const claim = claimFiles(spoolDir, (file) => misdated(file.at, flush, now));
  if (claim === undefined) return 0;
  let moved = 0;
  try {
    for (const file of claim.files) {
      const content = readSpoolFile(claim.dir, file);
      if (content.unreadable !== undefined) continue;
      const shift = file.at - now;
      const header: SpoolHeader = { ...(content.header ?? { optel: 1, ...fallback }), at: now, supersedes: [file.name] };
      // Damage counted at the file's own time, which the shift moves to now like every record.
      const records = withDamageCounted(content, header.app, file.at).map((r) => ({ ...r, time: r.time - shift }));
      try {
        // No cap: the spool does not grow. Never creating the claim: deleted with the spool (`telemetry off`), it stays deleted.
        appendToSpool(claim.dir, header, records, Infinity, false);
        unlinkSync(join(claim.dir, file.name));
        moved++;
      } catch (error) {
        diagLog('warn', `could not move a spool file stamped by a wrong clock to now: ${(error as Error).message}`);
      }
    }
  } finally {
    releaseClaim(spoolDir, claim.dir);
  }
  return moved;
}
