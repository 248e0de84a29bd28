import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRecord } from '../recorder/event-record.js';
import type { SpoolFileName } from './file-name.js';
import { parseHeaderLine, parseRecordLine, type SpoolHeader } from './format.js';

/** What one spool file holds once read; damaged lines are counted, not fatal. */
export interface SpoolContent {
  readonly file: SpoolFileName;
  readonly header: SpoolHeader | undefined;
  readonly records: EventRecord[];
  readonly corrupt: number;
  /** Why the file could not be read at all (an errno code); its events are then all counted in `corrupt`. */
  readonly unreadable?: string;
}

/** Reads a spool file, skipping lines that do not parse (a torn write or a disk error loses only them). */
export function readSpoolFile(dir: string, file: SpoolFileName): SpoolContent {
  let text: string;
  try {
    text = readFileSync(join(dir, file.name), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { file, header: undefined, records: [], corrupt: file.events, unreadable: code };
  }
  const lines = text.split('\n');
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
  return { file, header, records, corrupt };
}
