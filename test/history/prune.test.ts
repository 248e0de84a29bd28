import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory } from '../../src/history/append.js';
import { pruneHistory } from '../../src/history/prune.js';
import { readHistory } from '../../src/history/read.js';
import { DAY, NOON, record } from './records.js';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'optel-history-')), 'history');

/** One record a day for `days` days up to NOON, each appended on its own day. */
function fillDays(dir: string, days: number): void {
  for (let d = days - 1; d >= 0; d--) {
    const at = NOON - d * DAY;
    appendHistory(dir, [record('demo.cli.run', at - 1, { day: d })], { now: at, maxDays: 365 });
  }
}

describe('history retention', () => {
  it('deletes whole day files older than maxDays when a new day begins', () => {
    const dir = tempDir();
    fillDays(dir, 10);
    expect(readdirSync(dir)).toHaveLength(10);
    const tomorrow = NOON + DAY;
    expect(appendHistory(dir, [record('demo.cli.run', tomorrow - 1)], { now: tomorrow, maxDays: 3 }).pruned).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['2025-05-12.jsonl', '2025-05-13.jsonl', '2025-05-14.jsonl', '2025-05-15.jsonl']);
  });

  it('keeps the newest maxRecords: older files go, the file on the limit keeps its newest lines', () => {
    const dir = tempDir();
    for (let d = 2; d >= 0; d--) {
      const at = NOON - d * DAY;
      const batch = Array.from({ length: 4 }, (_, i) => record('demo.cli.run', at - 10 + i, { day: d, i }));
      appendHistory(dir, batch, { now: at, maxRecords: 100 });
    }
    expect(pruneHistory(dir, { maxRecords: 6, now: NOON })).toEqual({ filesDeleted: 1, linesTrimmed: 2 });
    const kept = readHistory(dir).map((r) => `${r.attrs.day}:${r.attrs.i}`);
    expect(kept).toEqual(['1:2', '1:3', '0:0', '0:1', '0:2', '0:3']);
  });

  it('enforces the count from appendHistory each time the newest file grows past pruneEveryBytes', () => {
    const dir = tempDir();
    for (let i = 0; i < 30; i++) {
      appendHistory(dir, [record('demo.cli.run', NOON - 100 + i, { i })], { now: NOON, maxRecords: 10, pruneEveryBytes: 1 });
    }
    expect(readHistory(dir).map((r) => r.attrs.i)).toEqual(Array.from({ length: 10 }, (_, k) => 20 + k));
  });

  it('between checks the history may run over maxRecords by up to pruneEveryBytes', () => {
    const dir = tempDir();
    const results = Array.from({ length: 30 }, (_, i) =>
      appendHistory(dir, [record('demo.cli.run', NOON - 100 + i, { i })], { now: NOON, maxRecords: 10, pruneEveryBytes: 64 * 1024 }));
    expect(results.filter((r) => r.pruned)).toHaveLength(1); // only when the day's file was created
    expect(readHistory(dir)).toHaveLength(30);
  });

  it('leaves an empty or missing history alone', () => {
    const dir = tempDir();
    expect(() => pruneHistory(dir)).toThrow(); // no folder: an I/O error for the caller (appendHistory catches it)
    appendHistory(dir, [record('demo.cli.run', NOON)], { now: NOON });
    expect(pruneHistory(dir, { now: NOON })).toEqual({ filesDeleted: 0, linesTrimmed: 0 });
  });
});
