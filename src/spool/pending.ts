import { readdirSync } from 'node:fs';
import type { Flush } from '../config/settings.js';
import { spoolFiles } from './file-name.js';
import { DELIVERY_GRACE_MS, isDeliverable, windowOf } from './window.js';

/** Whether the spool holds anything deliverable at `now` (a completed window, or anything with `immediate`). */
export function hasDeliverableFiles(spoolDir: string, flush: Flush, now = Date.now()): boolean {
  try {
    return spoolFiles(readdirSync(spoolDir)).some((f) => isDeliverable(f.at, flush, now));
  } catch {
    return false;
  }
}

/** How long until every file whose window has ended is deliverable (its `DELIVERY_GRACE_MS` passed); 0 when none waits. */
export function graceLeft(spoolDir: string, flush: Flush, now = Date.now()): number {
  let left = 0;
  try {
    for (const f of spoolFiles(readdirSync(spoolDir))) {
      const end = windowOf(f.at, flush)?.end;
      if (end !== undefined && end <= now) left = Math.max(left, end + DELIVERY_GRACE_MS - now);
    }
  } catch {
    // No spool: nothing waits.
  }
  return left;
}
