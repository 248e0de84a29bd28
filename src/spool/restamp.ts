import { unlinkSync } from 'node:fs';
import { listDir } from '../fs/list-dir.js';
import { join } from 'node:path';
import { diagLog } from '../diag.js';
import type { Flush } from '../config/settings.js';
import { appendToSpool } from './append.js';
import { spoolFiles } from './file-name.js';
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
export function restampMisdatedFiles(spoolDir: string, flush: Flush, fallback: Omit<SpoolHeader, 'optel' | 'at'>, capBytes: number | undefined, now = Date.now()): number {
  let moved = 0;
  for (const file of spoolFiles(listDir(spoolDir))) {
    if (!misdated(file.at, flush, now)) continue;
    const content = readSpoolFile(spoolDir, file);
    if (content.unreadable !== undefined) continue;
    const shift = file.at - now;
    const header: SpoolHeader = { ...(content.header ?? { optel: 1, ...fallback }), at: now };
    // Damage counted at the file's own time, which the shift moves to now like every record.
    const records = withDamageCounted(content, header.app, file.at).map((r) => ({ ...r, time: r.time - shift }));
    try {
      // Never creating the spool: deleted meanwhile (`telemetry off`), it stays deleted.
      appendToSpool(spoolDir, header, records, capBytes, false);
      unlinkSync(join(spoolDir, file.name));
      moved++;
    } catch (error) {
      diagLog('warn', `could not move a spool file stamped by a wrong clock to now: ${(error as Error).message}`);
    }
  }
  return moved;
}
