import { readdirSync } from 'node:fs';
import type { Flush } from '../config/settings.js';
import { directoryState } from '../fs/directory-state.js';
import { keepTiers } from '../recorder/event-record.js';
import type { Tier } from '../semconv/attributes.js';
import type { Deliverable } from '../config/resolve.js';
import { activeBackoff, type Backoff } from './backoff.js';
import { claimedFileCount } from './claim.js';
import { spoolFiles } from './file-name.js';
import { readSpoolFile } from './read.js';
import { isDeliverable, windowEnded, windowOf } from './window.js';

/**
 * What one delivery window of the spool holds. With `immediate` flush there are no windows: all is
 * one batch, from its first file's time to just after its last (as the sender stamps it).
 */
export interface WindowSummary {
  readonly start: number;
  readonly end: number;
  /** Whether a sender would deliver it now. */
  readonly deliverable: boolean;
  /** Whether the window has ended (a sender delivers it once the last files of its runs have landed, seconds later). */
  readonly ended: boolean;
  readonly files: number;
  readonly bytes: number;
  /** Per event: occurrences, the tiers they travel in, and per attribute how many occurrences carry each value. */
  readonly events: Record<string, { count: number; tiers: string[]; attributes: Record<string, Record<string, number>> }>;
  /** Occurrences per tier recorded but withdrawn since: the sender leaves them out, and so does `events`. */
  readonly withdrawn: Partial<Record<Tier, number>>;
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
  /** The back-off a sender would honour now (as `inBackoff` decides), if any. */
  readonly backoff: Backoff | undefined;
}

/** How to read the spool: the clock, and the tiers that may still be delivered. */
export interface InspectOptions {
  /** Default `Date.now()`. */
  readonly now?: number;
  /** Tiers a sender would deliver now (`deliverableTiers`); default: every tier a record was spooled in. */
  readonly tiers?: Deliverable;
}

type Summary = { -readonly [K in keyof WindowSummary]: WindowSummary[K] };

/** Reads the spool without changing it; throws when its path is something other than a directory. */
export function inspectSpool(spoolDir: string, flush: Flush, options: InspectOptions = {}): SpoolSummary {
  const { now = Date.now(), tiers } = options;
  const state = directoryState(spoolDir);
  if (state === 'not a directory') throw new Error(`${spoolDir} is not a directory`);
  const exists = state === 'directory';
  const windows = new Map<number, Summary>();
  let claimedFiles = 0;
  if (exists) {
    for (const file of spoolFiles(readdirSync(spoolDir))) {
      // `immediate` sends everything spooled as one batch: one group, stretched over its files' times.
      const w = windowOf(file.at, flush) ?? { start: file.at, end: file.at + 1 };
      const key = flush === 'immediate' ? 0 : w.start;
      let s = windows.get(key);
      if (!s) {
        // Tables keyed by what the spool says (event names, attribute keys and values) have no prototype: "__proto__" is just a name.
        s = { ...w, deliverable: false, ended: false, files: 0, bytes: 0, events: table(), withdrawn: {}, corruptLines: 0, unreadableFiles: 0, unreadableCodes: [] };
        windows.set(key, s);
      }
      s.start = Math.min(s.start, w.start);
      s.end = Math.max(s.end, w.end);
      s.files++;
      s.bytes += file.bytes;
      s.deliverable ||= isDeliverable(file.at, flush, now);
      s.ended ||= windowEnded(file.at, flush, now);
      const content = readSpoolFile(spoolDir, file);
      if (content.unreadable !== undefined) {
        s.unreadableFiles++;
        if (!s.unreadableCodes.includes(content.unreadable)) s.unreadableCodes.push(content.unreadable);
      } else {
        s.corruptLines += content.corrupt;
      }
      const allowed = tiers?.(content.header?.overridden);
      for (const recorded of content.records) {
        // The sender's own cut, record by record, so what it leaves out can be counted.
        const r = allowed ? keepTiers([recorded], (t) => allowed[t])[0] : recorded;
        const occurrences = recorded.count ?? 1;
        for (const t of recorded.tiers) if (!r?.tiers.includes(t)) s.withdrawn[t] = (s.withdrawn[t] ?? 0) + occurrences;
        if (r) addRecord(s, r.name, r.tiers, { ...r.attrs, ...r.extra }, occurrences);
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
    backoff: exists ? activeBackoff(spoolDir, now) : undefined,
  };
}

function addRecord(s: Summary, name: string, tiers: readonly Tier[], attributes: Record<string, unknown>, occurrences: number): void {
  const e = (s.events[name] ??= { count: 0, tiers: [], attributes: table() });
  e.count += occurrences;
  for (const t of tiers) if (!e.tiers.includes(t)) e.tiers.push(t);
  // A record can stand for several occurrences (`count`): each of them carries its values.
  for (const [k, v] of Object.entries(attributes)) {
    const values = (e.attributes[k] ??= table());
    values[String(v)] = (values[String(v)] ?? 0) + occurrences;
  }
}

function table<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
