import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBugReport } from '../../src/bug-report/bundle.js';
import { readBugReport, writeBugReport } from '../../src/bug-report/file.js';
import { historyDirOf } from '../../src/history/day-file.js';
import { NOON, record } from '../history/records.js';
import { appendHistory } from '../../src/history/append.js';
import { describeBugReport } from '../../src/bug-report/describe.js';
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
  it('refuses a hand-made report whose configuration the listing could not show, before anyone reads it', () => {
    const dir = outDir();
    const { config } = sampleReport();
    const explanation = config.explain[0]!;
    const damaged = {
      explainNull: { ...config, explain: [null] },
      noHeaderNames: { ...config, headerNames: undefined },
      overriddenNotAList: { ...config, explain: [{ ...explanation, overridden: 5 }] },
      overrideWithoutValue: { ...config, explain: [{ ...explanation, overridden: [{ source: 'env' }] }] },
      tierNotABoolean: { ...config, tiers: { ...config.tiers, events: 'yes' } },
      killedByNotAString: { ...config, killedBy: 1 },
    };
    for (const [name, bad] of Object.entries(damaged)) {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, JSON.stringify({ ...sampleReport(), config: bad }));
      expect(() => readBugReport(path), name).toThrow(/^damaged bug report: "config" /);
    }
  });

  it('refuses a file larger than 64 MiB without reading it, plain or once unpacked', () => {
    const dir = outDir();
    const plain = join(dir, 'huge.json');
    writeFileSync(plain, '');
    truncateSync(plain, 64 * 1024 * 1024 + 1); // sparse: no disk used, and reading it would take 64 MiB
    expect(() => readBugReport(plain)).toThrow(/huge\.json is not a bug report: larger than 64 MiB/);
    const bomb = join(dir, 'bomb.json.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(64 * 1024 * 1024 + 1, 0x20)));
    expect(() => readBugReport(bomb)).toThrow(/bomb\.json\.gz is not a bug report: larger than 64 MiB/);
    const torn = join(dir, 'torn.json.gz');
    writeFileSync(torn, gzipSync('{}').subarray(0, 12));
    expect(() => readBugReport(torn)).toThrow(/torn\.json\.gz is not a bug report: damaged gzip data/);
  });

  it('refuses what is not a regular file, which has no size to check and could be read without end', () => {
    // /dev/zero never ends; a directory cannot be read at all.
    expect(() => readBugReport('/dev/zero')).toThrow(/\/dev\/zero is not a bug report: not a regular file/);
  });
});

describe('a report of a large history', () => {
  const tiers = { metrics: true, events: true, traces: false };
  const status = { config: { ...plantedSetup(NOON).telemetry.status().config, tiers } };

  it('carries its newest 20,000 records, says how many older ones it left out, and reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-br-large-'));
    const records = Array.from({ length: 25_000 }, (_, i) => record('demo.cli.run', NOON - 3_600_000 + i * 100, { n: i }));
    appendHistory(dir, records, { now: NOON, maxRecords: 1e6 });
    const report = createBugReport({ app: 'demo', version: '1', status, historyDir: dir, now: NOON });
    expect(report.events).toHaveLength(20_000);
    expect(report.eventsLeftOut).toBe(5_000);
    expect(report.events[0]!.attrs.n).toBe(5_000);
    expect(report.events.at(-1)!.attrs.n).toBe(24_999);
    expect(describeBugReport(report)).toContain('events    20000 (the newest; 5000 older ones left out), over 33 min:');
    const { path } = writeBugReport(report, mkdtempSync(join(tmpdir(), 'optel-br-out-')));
    expect(readBugReport(path)).toEqual(report);
  });

  it('stops earlier when long records would make it too big to read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-br-long-'));
    const text = 'x'.repeat(1_000);
    const records = Array.from({ length: 19_000 }, (_, i) => record('demo.note.added', NOON - 3_600_000 + i * 100, {}, { text: `${i} ${text}` }));
    appendHistory(dir, records, { now: NOON, maxRecords: 1e6 });
    const report = createBugReport({ app: 'demo', version: '1', status, historyDir: dir, now: NOON });
    expect(report.eventsLeftOut).toBeGreaterThan(0);
    expect(report.events.length + report.eventsLeftOut!).toBe(19_000);
    // 16 MiB of records as compact JSON (plus the list's commas and brackets).
    expect(JSON.stringify(report.events).length).toBeLessThanOrEqual(16 * 1024 * 1024 + report.events.length + 1);
    const { path } = writeBugReport(report, mkdtempSync(join(tmpdir(), 'optel-br-out-')));
    expect(readBugReport(path).events).toHaveLength(report.events.length);
  });
});
