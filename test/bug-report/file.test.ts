import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBugReport } from '../../src/bug-report/bundle.js';
import { readBugReport, writeBugReport } from '../../src/bug-report/file.js';
import { historyDirOf } from '../../src/history/day-file.js';
import { NOON } from '../history/records.js';
import { plantedSetup } from './fixture.js';

function sampleReport() {
  const setup = plantedSetup(NOON);
  return createBugReport({ app: 'demo', version: '2.0.0', status: setup.telemetry.status(), historyDir: historyDirOf(setup.stateDir), now: NOON });
}
const outDir = () => mkdtempSync(join(tmpdir(), 'optel-report-out-'));

describe('writeBugReport', () => {
  it('writes one gzip-compressed JSON file named after the app and the time, and nothing else', () => {
    const dir = outDir();
    const report = sampleReport();
    const written = writeBugReport(report, dir);
    expect(basename(written.path)).toBe('demo-bug-report-20250514-120000.json.gz');
    expect(readdirSync(dir)).toEqual(['demo-bug-report-20250514-120000.json.gz']);
    const raw = readFileSync(written.path);
    expect(written.bytes).toBe(raw.length);
    expect(statSync(written.path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(gunzipSync(raw).toString('utf8'))).toEqual(report); // any gunzip opens it
  });

  it('never overwrites an earlier report made in the same second', () => {
    const dir = outDir();
    const report = sampleReport();
    const first = writeBugReport(report, dir);
    const second = writeBugReport(report, dir);
    expect(basename(second.path)).toBe('demo-bug-report-20250514-120000-2.json.gz');
    expect(readdirSync(dir).sort()).toEqual([basename(first.path), basename(second.path)].sort());
  });
});

describe('readBugReport', () => {
  it('reads back exactly what was written', () => {
    const report = sampleReport();
    expect(readBugReport(writeBugReport(report, outDir()).path)).toEqual(report);
  });

  it('also reads a report that was unpacked to plain JSON', () => {
    const report = sampleReport();
    const path = join(outDir(), 'report.json');
    writeFileSync(path, JSON.stringify(report));
    expect(readBugReport(path)).toEqual(report);
  });

  it('refuses other formats and damaged reports, saying why', () => {
    const dir = outDir();
    const report = sampleReport();
    const write = (name: string, value: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, gzipSync(typeof value === 'string' ? value : JSON.stringify(value)));
      return path;
    };
    expect(() => readBugReport(write('a', 'not json'))).toThrow(/not JSON/);
    expect(() => readBugReport(write('b', { ...report, format: 'optel-bug-report/2' }))).toThrow(/format "optel-bug-report\/2"/);
    expect(() => readBugReport(write('c', { ...report, platform: { os: 'linux' } }))).toThrow(/platform/);
    expect(() => readBugReport(write('d', { ...report, events: [{ name: 'x', time: 'noon' }] }))).toThrow(/event 0/);
  });
});
