import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { diagLog } from '../diag.js';
import { listDir } from '../fs/list-dir.js';
import { droppedRecord, keepTiers } from '../recorder/event-record.js';
import type { Tier } from '../semconv/attributes.js';
import { appendToSpool } from './append.js';
import { spoolFiles } from './file-name.js';
import { acquireSenderLock, releaseSenderLock } from './lock.js';
import { readSpoolFile } from './read.js';

/**
 * Cuts what the spool holds to the tiers `keep` allows, at once: a withdrawn tier (`telemetry off
 * events`) takes its records, and the text they carry, off the disk now rather than when a sender
 * next gets to them. Done under the sender lock, so no sender claims a file meanwhile; each changed
 * file is rewritten under its own window and then removed (writers only ever add files). When a
 * sender is running, the files are left to it: it applies the consent in force as it sends.
 * Returns how many files were rewritten or removed.
 */
export function withdrawTiers(spoolDir: string, keep: (tier: Tier) => boolean): number {
  if (!existsSync(spoolDir) || !acquireSenderLock(spoolDir)) return 0;
  let changed = 0;
  try {
    for (const file of spoolFiles(listDir(spoolDir))) {
      const content = readSpoolFile(spoolDir, file);
      if (content.unreadable !== undefined || content.header === undefined) continue;
      const records = content.corrupt > 0 ? [...content.records, droppedRecord(content.header.app, 'corrupt', content.corrupt, content.header.at)] : content.records;
      const kept = keepTiers(records, keep);
      // keepTiers keeps a record's identity when it cuts nothing from it.
      if (content.corrupt === 0 && kept.length === records.length && kept.every((r, i) => r === records[i])) continue;
      try {
        // No cap: the file only shrinks. Never creating the spool: deleted meanwhile, it stays deleted.
        if (kept.length > 0) appendToSpool(spoolDir, content.header, kept, Infinity, false);
        unlinkSync(join(spoolDir, file.name));
        changed++;
      } catch (error) {
        diagLog('warn', `could not take a withdrawn tier out of a spool file: ${(error as Error).message}`);
      }
    }
  } finally {
    releaseSenderLock(spoolDir);
  }
  return changed;
}
