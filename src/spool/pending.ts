import { readdirSync } from 'node:fs';
import type { Flush } from '../config/settings.js';
import { spoolFiles } from './file-name.js';
import { isDeliverable } from './window.js';

/** Whether the spool holds anything deliverable at `now` (a completed window, or anything with `immediate`). */
export function hasDeliverableFiles(spoolDir: string, flush: Flush, now = Date.now()): boolean {
  try {
    return spoolFiles(readdirSync(spoolDir)).some((f) => isDeliverable(f.at, flush, now));
  } catch {
    return false;
  }
}
