import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { dayFiles, dayOf, ONE_DAY_MS } from './day-file.js';
import { writeFileAtomic } from '../config/atomic-file.js';

/** Default retention by count: a few weeks of a busy CLI, well under a megabyte. */
export const DEFAULT_HISTORY_MAX_RECORDS = 5000;
/** Default retention by age, in days. */
export const DEFAULT_HISTORY_MAX_DAYS = 7;

/** How much history is kept. */
export interface HistoryRetention {
  /** At most this many records (default 5000). */
  readonly maxRecords?: number;
  /** Only records appended in the last this many days (default 7). */
  readonly maxDays?: number;
  /** The clock (epoch ms; default `Date.now()`). */
  readonly now?: number;
}

/** What one prune removed. */
export interface PruneResult {
  /** Whole day files deleted. */
  readonly filesDeleted: number;
  /** Lines dropped from the one file that was cut to honour `maxRecords`. */
  readonly linesTrimmed: number;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  // A last line without its newline (a torn write) still takes room.
  if (text.length > 0 && !text.endsWith('\n')) n++;
  return n;
}

function unlinkQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false; // another process pruned it first
  }
}

/**
 * Applies the retention: deletes day files older than `maxDays` (whole files, so a file may outlive
 * its first records by up to a day; `readHistory({ since })` filters exactly), then, walking from the
 * newest file back, keeps `maxRecords` lines: older files go, and the file that straddles the limit
 * is rewritten with its newest lines (temp file + rename, so a reader never sees half of it).
 * Reads every file, so `appendHistory` calls it only now and then. Throws on I/O errors.
 */
export function pruneHistory(historyDir: string, retention: HistoryRetention = {}): PruneResult {
  const maxRecords = retention.maxRecords ?? DEFAULT_HISTORY_MAX_RECORDS;
  const maxDays = retention.maxDays ?? DEFAULT_HISTORY_MAX_DAYS;
  const cutoff = dayOf((retention.now ?? Date.now()) - maxDays * ONE_DAY_MS);
  let filesDeleted = 0;
  let linesTrimmed = 0;

  const kept: string[] = [];
  for (const file of dayFiles(readdirSync(historyDir))) {
    if (file.day < cutoff) {
      if (unlinkQuietly(join(historyDir, file.name))) filesDeleted++;
    } else kept.push(file.name);
  }

  let total = 0;
  for (let i = kept.length - 1; i >= 0; i--) {
    const path = join(historyDir, kept[i]!);
    if (total >= maxRecords) {
      if (unlinkQuietly(path)) filesDeleted++;
      continue;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // pruned by someone else meanwhile
    }
    const lines = countLines(text);
    if (total + lines > maxRecords) {
      const keep = maxRecords - total;
      const all = text.split('\n');
      if (all[all.length - 1] === '') all.pop();
      // Today's file may be appended to while it is rewritten: an append landing between the read and
      // the rename is lost. Only a day with more than `maxRecords` records gets here, and history is a
      // diagnostic aid, not data of record, so that rare loss is preferred over a lock on the exit path.
      writeFileAtomic(path, `${all.slice(all.length - keep).join('\n')}\n`);
      linesTrimmed += lines - keep;
      total = maxRecords;
    } else total += lines;
  }
  return { filesDeleted, linesTrimmed };
}
