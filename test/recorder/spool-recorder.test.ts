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

  it('writes what it holds 5 s before its hourly window ends, so the window is delivered whole, stamped with the time of writing', async () => {
    const { rec, writes, spoolDir } = recorder('hourly');
    const hour = 3_600_000;
    // Recorded (by the records' own clock) 5.05 s before an hour ends: due in 50 ms.
    const end = Math.ceil(Date.now() / hour) * hour + 10 * hour;
    rec.record({ ...one(0), time: end - 5_050 });
    rec.record({ ...one(1), time: end - 5_040 });
    for (let i = 0; i < 100 && writes.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes).toEqual([2]);
    const [file] = spoolFiles(readdirSync(spoolDir));
    expect(Math.abs(file!.at - Date.now())).toBeLessThan(60_000);
    // Once the window has ended and its grace passed, the owner hears of the write again (to start a sender).
    for (let i = 0; i < 200 && writes.length === 1; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(writes).toEqual([2, 2]);
    await rec.shutdown();
    expect(writes).toEqual([2, 2]);
  }, 30_000);

  it('writes nothing early after discard(): withdrawn consent leaves no file', async () => {
    const { rec, writes, spoolDir } = recorder();
    for (let i = 0; i < EARLY_WRITE_RECORDS; i++) rec.record(one(i));
    rec.discard();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([]);
    expect(() => readdirSync(spoolDir)).toThrow(/ENOENT/);
  });
});
