import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory } from '../../src/history/append.js';
import { deleteHistory } from '../../src/history/delete.js';
import { readHistory } from '../../src/history/read.js';
import { recordLine } from '../../src/spool/format.js';
import { ROOT } from '../support/run-example.js';
import { DAY, NOON, record } from './records.js';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'optel-history-')), 'history');

describe('readHistory', () => {
  it('returns the records of every day in time order', () => {
    const dir = tempDir();
    appendHistory(dir, [record('b', NOON - DAY + 5), record('a', NOON - DAY + 1)], { now: NOON - DAY + 10 });
    appendHistory(dir, [record('c', NOON)], { now: NOON });
    expect(readHistory(dir).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('skips damaged lines: torn writes, garbage, wrong types', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const good = recordLine(record('demo.cli.run', NOON, { command: 'build' }));
    const lines = [good, '{"n":"demo.cli.run","t":', 'not json', '{"n":1,"t":2,"a":{},"k":"m"}', '{"n":"x","t":1,"a":{"deep":{"o":1}},"k":"m"}', '', good];
    writeFileSync(join(dir, '2025-05-14.jsonl'), `${lines.join('\n')}\n{"n":"torn`);
    writeFileSync(join(dir, 'notes.txt'), 'not a day file');
    expect(readHistory(dir)).toHaveLength(2);
  });

  it('reads only the given time range', () => {
    const dir = tempDir();
    appendHistory(dir, [record('old', NOON - 3 * DAY)], { now: NOON - 3 * DAY });
    appendHistory(dir, [record('recent', NOON - DAY), record('now', NOON)], { now: NOON });
    expect(readHistory(dir, { since: NOON - 2 * DAY }).map((r) => r.name)).toEqual(['recent', 'now']);
    expect(readHistory(dir, { since: NOON - 2 * DAY, until: NOON - 1 }).map((r) => r.name)).toEqual(['recent']);
  });

  it('reads a missing history as empty', () => {
    expect(readHistory(tempDir())).toEqual([]);
  });
});

describe('deleteHistory', () => {
  it('removes every file, and is safe to call when there is nothing', () => {
    const dir = tempDir();
    appendHistory(dir, [record('demo.cli.run', NOON)], { now: NOON });
    expect(deleteHistory(dir)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(deleteHistory(dir)).toBe(true);
  });
});

describe('the history is never sent', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
  }

  it('no module that delivers or receives telemetry imports it', () => {
    const senders = ['export', 'spool', 'otlp', 'gateway', 'dev'].map((d) => join(ROOT, 'src', d)).filter(existsSync).flatMap(sources);
    expect(senders.length).toBeGreaterThan(10);
    const offenders = senders.filter((f) => /from '\.\.\/(history|bug-report)\//.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('only bug reports read it', () => {
    const readers = sources(join(ROOT, 'src')).filter((f) => /history\/read\.js'|readHistory\(/.test(readFileSync(f, 'utf8')));
    // The public entry may re-export it (for tools that build their own report); re-exporting is not reading.
    const outside = readers.map((f) => relative(join(ROOT, 'src'), f)).filter((f) => !/^(history|bug-report)\/|^index\.ts$/.test(f));
    expect(outside).toEqual([]);
  });
});
