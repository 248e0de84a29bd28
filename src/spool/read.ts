import { readRegularFile } from '../fs/read-regular-file.js';
import { join } from 'node:path';
import { droppedRecord, type EventRecord } from '../recorder/event-record.js';
import type { SpoolFileName } from './file-name.js';
import { parseHeaderLine, parseRecordLine, type SpoolHeader } from './format.js';

/** What one spool file holds once read; damaged lines are counted, not fatal. */
export interface SpoolContent {
  readonly file: SpoolFileName;
  readonly header: SpoolHeader | undefined;
  readonly records: EventRecord[];
  /** Damaged or missing occurrences: lines that do not parse, and what the name counts but the file no longer holds. */
  readonly corrupt: number;
  /** Why the file could not be read at all (an errno code); its events are then all counted in `corrupt`. */
  readonly unreadable?: string;
}

/**
 * What a spool file rewritten as another must hold: its records, and one drop record (stamped `at`)
 * counting its damaged lines, so that the count survives the rewrite.
 */
export function withDamageCounted(content: SpoolContent, app: string, at: number): EventRecord[] {
  return content.corrupt > 0 ? [...content.records, droppedRecord(app, 'corrupt', content.corrupt, at)] : content.records;
}

/** Larger than any spool file optel writes (one process's exit, cut to the spool's cap). */
const MAX_SPOOL_FILE_BYTES = 64 * 1024 * 1024;

/** Reads a spool file, skipping lines that do not parse (a torn write or a disk error loses only them). */
export function readSpoolFile(dir: string, file: SpoolFileName): SpoolContent {
  // Only a regular file, never through a symlink: whatever else stands under a spool name (a link to
  // the user's own files, a FIFO, /dev/zero) is not ours to read, let alone send.
  const read = readRegularFile(join(dir, file.name), { maxBytes: MAX_SPOOL_FILE_BYTES, followSymlinks: false });
  if (!('text' in read)) return { file, header: undefined, records: [], corrupt: file.events, unreadable: 'missing' in read ? 'ENOENT' : read.code };
  const lines = read.text.split('\n');
  const header = parseHeaderLine(lines[0] ?? '');
  const records: EventRecord[] = [];
  let corrupt = 0;
  for (let i = header ? 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const record = parseRecordLine(line);
    if (record) records.push(record);
    else corrupt++;
  }
  // The name says how many occurrences were written: lines cut off (a truncated file) count as damaged too.
  let found = corrupt;
  for (const r of records) found += r.count ?? 1;
  if (found < file.events) corrupt += file.events - found;
  return { file, header, records, corrupt };
}
