import { readdirSync, renameSync, unlinkSync } from 'node:fs';
import { diagLog } from '../diag.js';
import { ensureDir } from '../fs/ensure-dir.js';
import { withTempFile } from '../fs/with-temp-file.js';
import { join } from 'node:path';
import { droppedRecord, type EventRecord } from '../recorder/event-record.js';
import { parseSpoolFileName, spoolFileName, spoolFiles, TEMP_PREFIX, type SpoolFileName } from './file-name.js';
import { recordLine, type SpoolHeader } from './format.js';

/** Default cap on the whole spool: a week offline of a busy CLI, still small on disk. */
export const DEFAULT_SPOOL_CAP_BYTES = 4 * 1024 * 1024;

/** What one append did. */
export interface AppendResult {
  readonly file: string | undefined;
  /** Occurrences dropped to stay under the cap (reported in the new file as a drop record). */
  readonly dropped: number;
  /** The spool as this append left it (from its own listing: callers need not list it again). */
  readonly files: readonly SpoolFileName[];
}

function countOf(records: readonly EventRecord[]): number {
  let n = 0;
  for (const r of records) n += r.count ?? 1;
  return n;
}

/**
 * Appends one process's records as a new spool file, synchronously (it runs on the exit path).
 * The file appears whole or not at all (temp file + rename), so concurrent writers never tear or
 * interleave lines. Oldest files are dropped first to honour `capBytes`, and the number of
 * occurrences dropped is itself recorded. With `createDir` false a missing directory is an error
 * (ENOENT) rather than made: the sender's writes must never bring back a spool `telemetry off` deleted.
 */
export function appendToSpool(
  spoolDir: string,
  header: SpoolHeader,
  records: readonly EventRecord[],
  capBytes = DEFAULT_SPOOL_CAP_BYTES,
  createDir = true,
): AppendResult {
  // No records, no file; unless it replaces others (it then says that they are all sent).
  if (records.length === 0 && !header.supersedes?.length) return { file: undefined, dropped: 0, files: [] };
  if (createDir) ensureDir(spoolDir);
  const headerLine = `${JSON.stringify(header)}\n`;
  let lines = records.map((r) => `${recordLine(r)}\n`);
  let bytes = Buffer.byteLength(headerLine) + lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
  let dropped = 0;

  let total = 0;
  const existing = spoolFiles(readdirSync(spoolDir));
  for (const f of existing) total += f.bytes;
  let removed = 0;
  for (const oldest of existing) {
    if (total + bytes <= capBytes) break;
    removed++;
    try {
      unlinkSync(join(spoolDir, oldest.name));
      dropped += oldest.events;
    } catch {
      // a sender claimed it meanwhile: it is being delivered, not lost
    }
    total -= oldest.bytes;
  }
  // A single batch larger than the whole cap keeps its newest records (cut once: slicing a record at
  // a time was quadratic, and a 50,000-record exit took 37 s).
  let cut = 0;
  while (bytes > capBytes && cut < lines.length - 1) {
    bytes -= Buffer.byteLength(lines[cut]!);
    dropped += records[cut]!.count ?? 1;
    cut++;
  }
  const kept = cut === 0 ? records : records.slice(cut);
  if (cut > 0) lines = lines.slice(cut);
  if (dropped > 0) {
    diagLog('warn', `spool over its ${capBytes}-byte cap: dropped ${dropped} occurrences, oldest first`);
    const line = `${recordLine(droppedRecord(header.app, 'spool_full', dropped, header.at))}\n`;
    lines.push(line);
    bytes += Buffer.byteLength(line);
  }
  const text = headerLine + lines.join('');
  const name = spoolFileName(header.at, countOf(kept) + dropped, Buffer.byteLength(text));
  withTempFile(join(spoolDir, `${TEMP_PREFIX}${name}`), text, (tmp) => renameSync(tmp, join(spoolDir, name)));
  return { file: name, dropped, files: [...existing.slice(removed), parseSpoolFileName(name)!] };
}
