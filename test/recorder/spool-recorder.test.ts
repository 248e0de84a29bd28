import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flush } from '../../src/config/settings.js';
import { createSpoolRecorder, EARLY_WRITE_RECORDS } from '../../src/recorder/spool-recorder.js';
import { spoolFiles } from '../../src/spool/file-name.js';
import { readSpoolFile } from '../../src/spool/read.js';

function recorder(flush?: Flush) {
  const spoolDir = join(mkdtempSync(join(tmpdir(), 'optel-spool-rec-')), 'spool');
  const writes: number[] = [];
  const rec = createSpoolRecorder({
    app: 'demo', version: '1', spoolDir, installationId: () => 'id', describe: () => 'd', flush,
    // How many records each write left in the spool, all files counted.
    afterWrite: () => writes.push(spooled().length),
  });
  const spooled = () => spoolFiles(readdirSync(spoolDir)).flatMap((file) => readSpoolFile(spoolDir, file).records);
  return { rec, spoolDir, writes, spooled };
}

const one = (i: number) => ({ name: 'demo.cli.run', time: 1_700_000_000_000 + i, attrs: { n: i }, tiers: ['metrics' as const] });

describe('the CLI recorder in a long-lived process', () => {
  it(`spools its buffer once it holds ${EARLY_WRITE_RECORDS} records, after record() returns, and every record exactly once`, async () => {
    const { rec, writes, spooled } = recorder();
    for (let i = 0; i < 2500; i++) rec.record(one(i));
    // Never inside record(): the host's own work goes on first.
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([2500]);
    for (let i = 2500; i < 2510; i++) rec.record(one(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([2500]);
    await rec.shutdown();
    expect(writes).toEqual([2500, 2510]);
    expect(spooled().map((r) => r.attrs.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 2510 }, (_, i) => i));
  });

  it('spools the records of each hourly window in a file stamped with that window, written once a record of the next arrives', async () => {
    const { rec, writes, spoolDir } = recorder('hourly');
    const hour = 3_600_000;
    const at = (h: number, i: number) => ({ ...one(i), time: 1_700_000_000_000 - (1_700_000_000_000 % hour) + h * hour + i });
    rec.record(at(0, 0));
    rec.record(at(0, 1));
    rec.record(at(2, 2));
    // Never inside record(): once the host's work yields, the first window's records go.
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    rec.record(at(2, 3));
    await rec.shutdown();
    const files = spoolFiles(readdirSync(spoolDir)).map((file) => readSpoolFile(spoolDir, file));
    // Each file in the window of its records (the second window's in two files: one written early, one at exit).
    expect(files.map((f) => [Math.floor(f.header!.at / hour) - Math.floor(at(0, 0).time / hour), f.records.map((r) => r.attrs.n)])).toEqual([
      [0, [0, 1]],
      [2, [2]],
      [2, [3]],
    ]);
  });

  it('writes nothing early after discard(): withdrawn consent leaves no file', async () => {
    const { rec, writes, spoolDir } = recorder();
    for (let i = 0; i < EARLY_WRITE_RECORDS; i++) rec.record(one(i));
    rec.discard();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([]);
    expect(() => readdirSync(spoolDir)).toThrow(/ENOENT/);
  });
});
