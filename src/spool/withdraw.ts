import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { diagLog } from '../diag.js';
import { keepTiers } from '../recorder/event-record.js';
import type { Tier } from '../semconv/attributes.js';
import { appendToSpool } from './append.js';
import { claimFiles, releaseClaim } from './claim.js';
import { readSpoolFile, withDamageCounted } from './read.js';

/**
 * Cuts what the spool holds to the tiers `keep` allows, at once: a withdrawn tier (`telemetry off
 * events`) takes its records, and the text they carry, off the disk now rather than when a sender
 * next gets to them. The files are claimed first, as a sender claims them, so no sender sends them
 * and no writer prunes them meanwhile; each changed one is rewritten under its own window, and
 * all go back. Files a sender already claimed are its own: it applies the consent as it sends.
 * Returns how many files were rewritten or removed.
 */
export function withdrawTiers(spoolDir: string, keep: (tier: Tier) => boolean): number {
  if (!existsSync(spoolDir)) return 0;
  const claim = claimFiles(spoolDir, () => true);
  if (claim === undefined) return 0;
  let changed = 0;
  try {
    for (const file of claim.files) {
      const content = readSpoolFile(claim.dir, file);
      if (content.unreadable !== undefined || content.header === undefined) continue;
      const records = withDamageCounted(content, content.header.app, content.header.at);
      const kept = keepTiers(records, keep);
      // keepTiers keeps a record's identity when it cuts nothing from it.
      if (content.corrupt === 0 && kept.length === records.length && kept.every((r, i) => r === records[i])) continue;
      try {
        // Written in the claim, naming the file it replaces: killed before that one is deleted, the
        // claim merged back drops it (nothing twice). No cap: the spool only shrinks.
        if (kept.length > 0) appendToSpool(claim.dir, { ...content.header, supersedes: [file.name] }, kept, Infinity, false);
        unlinkSync(join(claim.dir, file.name));
        changed++;
      } catch (error) {
        diagLog('warn', `could not take a withdrawn tier out of a spool file: ${(error as Error).message}`);
      }
    }
  } finally {
    // What was left as it was goes back into the spool under its own name.
    releaseClaim(spoolDir, claim.dir);
  }
  return changed;
}
