import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRecord } from '../recorder/event-record.js';
import { parseRecordLine } from '../spool/format.js';
import { dayFiles, dayOf } from './day-file.js';

/** Which part of the history to read. */
export interface ReadHistoryOptions {
  /** Only records at or after this time (epoch ms). */
  readonly since?: number;
  /** Only records at or before this time (epoch ms). */
  readonly until?: number;
}

/**
 * The history's records in time order (stable for equal times). Damaged lines — a torn write, a
 * disk error, a hand edit — are skipped, and a missing folder is an empty history. Files are named
 * by the day they were appended on, so days before `since` are not even opened.
 */
export function readHistory(historyDir: string, options: ReadHistoryOptions = {}): EventRecord[] {
  const { since = -Infinity, until = Infinity } = options;
  let names: string[];
  try {
    names = readdirSync(historyDir);
  } catch {
    return [];
  }
  // A process appends after its records happened, so a record is never in an earlier day's file.
  const firstDay = Number.isFinite(since) ? dayOf(since) : '';
  const out: EventRecord[] = [];
  for (const file of dayFiles(names)) {
    if (file.day < firstDay) continue;
    let text: string;
    try {
      text = readFileSync(join(historyDir, file.name), 'utf8');
    } catch {
      continue; // pruned meanwhile
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const r = parseRecordLine(line);
      if (r && r.time >= since && r.time <= until) out.push(r);
    }
  }
  // Array.prototype.sort is stable: equal times keep their append order.
  return out.sort((a, b) => a.time - b.time);
}
