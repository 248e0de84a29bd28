import { readdirSync, statSync } from 'node:fs';
import type { Flush } from '../config/settings.js';
import { readBackoff, type Backoff } from './backoff.js';
import { claimedFileCount } from './claim.js';
import { spoolFiles } from './file-name.js';
import { readSpoolFile } from './read.js';
import { isDeliverable, windowOf } from './window.js';

/** What one delivery window of the spool holds. */
export interface WindowSummary {
  readonly start: number;
  readonly end: number;
  /** Whether a sender would deliver it now. */
  readonly deliverable: boolean;
  readonly files: number;
  readonly bytes: number;
  /** Per event: occurrences and the tiers they travel in. */
  readonly events: Record<string, { count: number; tiers: string[]; attributes: Record<string, Record<string, number>> }>;
  readonly corruptLines: number;
  /** Files that could not be read, with the errno codes why (their events would be counted as dropped). */
  readonly unreadableFiles: number;
  readonly unreadableCodes: string[];
}

/** What is spooled and would be sent. */
export interface SpoolSummary {
  readonly spoolDir: string;
  readonly exists: boolean;
  readonly flush: Flush;
  readonly windows: WindowSummary[];
  /** Files a sender has claimed and is delivering (or died delivering). */
  readonly claimedFiles: number;
  readonly backoff: Backoff | undefined;
}

/** Reads the spool without changing it. */
export function inspectSpool(spoolDir: string, flush: Flush, now = Date.now()): SpoolSummary {
  const exists = isDirectory(spoolDir);
  const windows = new Map<number, { -readonly [K in keyof WindowSummary]: WindowSummary[K] }>();
  let claimedFiles = 0;
  if (exists) {
    for (const file of spoolFiles(readdirSync(spoolDir))) {
      const w = windowOf(file.at, flush === 'immediate' ? 'hourly' : flush)!;
      let s = windows.get(w.start);
      if (!s) {
        // Tables keyed by what the spool says (event names, attribute keys and values) have no prototype: "__proto__" is just a name.
        s = { start: w.start, end: w.end, deliverable: false, files: 0, bytes: 0, events: table(), corruptLines: 0, unreadableFiles: 0, unreadableCodes: [] };
        windows.set(w.start, s);
      }
      s.files++;
      s.bytes += file.bytes;
      s.deliverable ||= isDeliverable(file.at, flush, now);
      const content = readSpoolFile(spoolDir, file);
      if (content.unreadable !== undefined) {
        s.unreadableFiles++;
        if (!s.unreadableCodes.includes(content.unreadable)) s.unreadableCodes.push(content.unreadable);
      } else {
        s.corruptLines += content.corrupt;
      }
      for (const r of content.records) {
        const e = (s.events[r.name] ??= { count: 0, tiers: [], attributes: table() });
        e.count += r.count ?? 1;
        for (const t of r.tiers) if (!e.tiers.includes(t)) e.tiers.push(t);
        for (const [k, v] of Object.entries({ ...r.attrs, ...r.extra })) {
          const values = (e.attributes[k] ??= table());
          values[String(v)] = (values[String(v)] ?? 0) + 1;
        }
      }
    }
    claimedFiles = claimedFileCount(spoolDir);
  }
  return {
    spoolDir,
    exists,
    flush,
    windows: [...windows.values()].sort((a, b) => a.start - b.start),
    claimedFiles,
    backoff: exists ? readBackoff(spoolDir) : undefined,
  };
}

function table<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Whether `path` is a directory; false when nothing is there, and an Error saying why when it cannot be read (EACCES is not "nothing spooled"). */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new Error(`cannot read ${path}: ${code ?? String(error)}`);
  }
}
