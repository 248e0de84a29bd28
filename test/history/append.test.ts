import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appendHistory } from '../../src/history/append.js';
import { readHistory } from '../../src/history/read.js';
import { ROOT } from '../support/run-example.js';
import { NOON, record } from './records.js';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'optel-history-')), 'history');

/** A writer process: `node -e` importing the built history module. It says "ready", waits for `go`, then appends. */
function startWriter(dir: string, go: string, writer: number, batches: number, perBatch: number) {
  const module = pathToFileURL(join(ROOT, 'dist', 'history', 'append.js')).href;
  const script = `
    import { existsSync } from 'node:fs';
    import { appendHistory } from ${JSON.stringify(module)};
    const pad = 'x'.repeat(400); // about 500 bytes a line: a batch is over PIPE_BUF (4 KiB)
    process.stdout.write('ready\\n');
    while (!existsSync(${JSON.stringify(go)})); // every writer starts at the same moment
    for (let b = 0; b < ${batches}; b++) {
      const records = [];
      for (let i = 0; i < ${perBatch}; i++) {
        records.push({ name: 'demo.cli.run', time: Date.now(), attrs: { writer: ${writer}, seq: b * ${perBatch} + i }, extra: { pad }, tiers: ['metrics', 'events'] });
      }
      const { written } = appendHistory(${JSON.stringify(dir)}, records, { maxRecords: 1e6, pruneEveryBytes: 1e9 });
      if (written !== records.length) process.exit(3);
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { ready, exited };
}

describe('appendHistory', () => {
  it("appends a batch as whole lines to today's UTC day file, private to the user", () => {
    const dir = tempDir();
    const result = appendHistory(dir, [record('demo.cli.run', NOON - 5, { command: 'build' }), record('demo.file.read', NOON - 1)], { now: NOON });
    expect(result.written).toBe(2);
    expect(readdirSync(dir)).toEqual(['2025-05-14.jsonl']);
    const text = readFileSync(join(dir, '2025-05-14.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(2);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '2025-05-14.jsonl')).mode & 0o777).toBe(0o600);
    expect(readHistory(dir).map((r) => r.name)).toEqual(['demo.cli.run', 'demo.file.read']);
  });

  it('never appends through a symlink planted as the day file', () => {
    const dir = tempDir();
    mkdirSync(dir);
    const bashrc = join(dirname(dir), '.bashrc');
    writeFileSync(bashrc, 'alias ll="ls -l"\n');
    symlinkSync(bashrc, join(dir, '2025-05-14.jsonl'));
    expect(appendHistory(dir, [record('demo.cli.run', NOON - 5, { command: 'build' })], { now: NOON }).written).toBe(0);
    expect(readFileSync(bashrc, 'utf8')).toBe('alias ll="ls -l"\n');
  });

  it('creates nothing for an empty batch', () => {
    const dir = tempDir();
    expect(appendHistory(dir, [], { now: NOON })).toEqual({ written: 0, pruned: false });
    expect(() => readdirSync(dir)).toThrow();
  });

  it('keeps the newest records of a batch larger than maxRecords', () => {
    const dir = tempDir();
    const batch = Array.from({ length: 10 }, (_, i) => record('demo.cli.run', NOON - 100 + i, { seq: i }));
    expect(appendHistory(dir, batch, { now: NOON, maxRecords: 3 }).written).toBe(3);
    expect(readHistory(dir).map((r) => r.attrs.seq)).toEqual([7, 8, 9]);
  });

  it('never throws: where the folder cannot be created the records are lost, and it says so on diag', () => {
    const parent = mkdtempSync(join(tmpdir(), 'optel-history-'));
    writeFileSync(join(parent, 'history'), 'a file where the folder should be');
    expect(() => appendHistory(join(parent, 'history'), [record('demo.cli.run', NOON)], { now: NOON })).not.toThrow();
    expect(appendHistory(join(parent, 'history'), [record('demo.cli.run', NOON)], { now: NOON })).toEqual({ written: 0, pruned: false });
  });

  it('never tears or interleaves a line when several processes append at once', async () => {
    const dir = tempDir();
    const writers = 4;
    const batches = 200;
    const perBatch = 10;
    const go = join(dirname(dir), 'go');
    const children = Array.from({ length: writers }, (_, w) => startWriter(dir, go, w, batches, perBatch));
    await Promise.all(children.map((c) => c.ready));
    writeFileSync(go, '');
    expect(await Promise.all(children.map((c) => c.exited))).toEqual(Array(writers).fill(0));

    const lines = readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').trimEnd().split('\n'));
    expect(lines).toHaveLength(writers * batches * perBatch);
    // The writers really did take turns in the file (the test exercised concurrency).
    const owners = lines.map((l) => /"writer":(\d)/.exec(l)?.[1]);
    expect(owners.filter((w, i) => i > 0 && w !== owners[i - 1]).length).toBeGreaterThan(writers);
    const records = readHistory(dir);
    expect(records).toHaveLength(lines.length); // every line parses: none was damaged
    for (let w = 0; w < writers; w++) {
      const seqs = records.filter((r) => r.attrs.writer === w).map((r) => r.attrs.seq as number).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: batches * perBatch }, (_, i) => i));
    }
  });
});
