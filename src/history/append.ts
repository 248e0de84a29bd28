import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { diagLog } from '../diag.js';
import { ensureDir } from '../fs/ensure-dir.js';
import type { EventRecord } from '../recorder/event-record.js';
import { recordLine } from '../spool/format.js';
import { dayFileName } from './day-file.js';
import { pruneHistory, DEFAULT_HISTORY_MAX_RECORDS, type HistoryRetention } from './prune.js';

/** Options of `appendHistory`: the retention, and how often it is enforced. */
export interface AppendHistoryOptions extends HistoryRetention {
  /**
   * Retention is enforced when today's file is created and each time it grows past another multiple
   * of this many bytes (default 64 KiB ≈ 400 records), so between checks the history may exceed
   * `maxRecords` by about that much. Smaller is tighter and costs more reads.
   */
  readonly pruneEveryBytes?: number;
}

/** What one append did. */
export interface AppendHistoryResult {
  /** Records written (0 when there was nothing to write or the write failed). */
  readonly written: number;
  /** Whether the retention was enforced by this call. */
  readonly pruned: boolean;
}

/** Default growth between two retention checks. */
const DEFAULT_PRUNE_EVERY_BYTES = 64 * 1024;

// Never through a symlink: one planted as a day file (to ~/.bashrc, say) would have records appended to its target.
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

function openForAppend(path: string, dir: string): number {
  try {
    return openSync(path, APPEND_FLAGS, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // First write ever: create the folder only now, so the usual exit costs no mkdir.
    ensureDir(dir);
    return openSync(path, APPEND_FLAGS, 0o600);
  }
}

function prune(historyDir: string, retention: HistoryRetention): boolean {
  try {
    pruneHistory(historyDir, retention);
    return true;
  } catch (error) {
    // The records are written; a failed prune is retried at the next check.
    diagLog('warn', `could not prune the local history: ${(error as Error).message}`);
    return false;
  }
}

/**
 * Appends records (already validated and redacted) to the local history: never sent anywhere, read
 * only by bug reports. Synchronous and cheap, because it runs on a CLI's exit path next to the spool
 * write: one open/write/fstat/close of today's `YYYY-MM-DD.jsonl` (UTC). The batch goes out in one
 * `write()` on an O_APPEND descriptor, so concurrent processes never interleave within a line on a
 * local file system (Linux serialises writes to one file; NFS does not honour O_APPEND — a line torn
 * there is skipped by `readHistory`). A batch larger than `maxRecords` keeps its newest records.
 * Never throws: a full or read-only disk only loses history, with a diag line.
 */
export function appendHistory(historyDir: string, records: readonly EventRecord[], options: AppendHistoryOptions = {}): AppendHistoryResult {
  if (records.length === 0) return { written: 0, pruned: false };
  try {
    const now = options.now ?? Date.now();
    const maxRecords = options.maxRecords ?? DEFAULT_HISTORY_MAX_RECORDS;
    if (maxRecords <= 0) return { written: 0, pruned: false };
    const batch = records.length > maxRecords ? records.slice(records.length - maxRecords) : records;
    let text = '';
    for (const r of batch) text += `${recordLine(r)}\n`;
    const data = Buffer.from(text);

    const fd = openForAppend(join(historyDir, dayFileName(now)), historyDir);
    let after: number;
    try {
      // Regular files take a whole buffer in one write(); the loop only matters on a nearly full disk.
      for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
      after = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }

    // A concurrent append can make `before` inexact; it only decides when to look, not what to keep.
    const before = after - data.length;
    const every = Math.max(1, options.pruneEveryBytes ?? DEFAULT_PRUNE_EVERY_BYTES);
    const due = before <= 0 || Math.floor(before / every) !== Math.floor(after / every);
    return { written: batch.length, pruned: due && prune(historyDir, { ...options, maxRecords, now }) };
  } catch (error) {
    diagLog('warn', `could not keep ${records.length} records in the local history: ${(error as Error).message}`);
    return { written: 0, pruned: false };
  }
}
