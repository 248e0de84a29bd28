import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBugReport } from '../../src/bug-report/bundle.js';
import { readBugReport, writeBugReport } from '../../src/bug-report/file.js';
import { replay } from '../../src/bug-report/replay.js';
import { appendHistory } from '../../src/history/append.js';
import { historyDirOf } from '../../src/history/day-file.js';
import { createTelemetry } from '../../src/index.js';
import type { EventRecord } from '../../src/recorder/event-record.js';
import { NOON, record } from '../history/records.js';
import { catalog } from './fixture.js';

const HOUR = 3_600_000;

describe('replay', () => {
  it('plays events in time order, back to back by default', async () => {
    const records = [record('b', NOON + 2 * HOUR), record('a', NOON), record('c', NOON + 5 * HOUR)];
    const seen: string[] = [];
    const started = performance.now();
    const result = await replay(records, { '*': (_attrs, r) => void seen.push(r.name) });
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(result).toEqual({ played: 3, skipped: 0 });
    expect(performance.now() - started).toBeLessThan(5 * HOUR); // hours apart, yet no waiting
  });

  it("keeps the recorded gaps in 'original' timing, scaled by speed", async () => {
    const gaps = [200, 400, 300]; // ms between events as recorded
    const records: EventRecord[] = [record('step', NOON, { i: 0 })];
    for (const [i, gap] of gaps.entries()) records.push(record('step', records[i]!.time + gap, { i: i + 1 }));
    const at: number[] = [];
    const order: unknown[] = [];
    const started = performance.now();
    await replay(records, { step: (attrs) => void (at.push(performance.now() - started), order.push(attrs.i)) }, { timing: 'original', speed: 2 });
    expect(order).toEqual([0, 1, 2, 3]);
    let expected = 0;
    for (const [i, gap] of gaps.entries()) {
      expected += gap / 2;
      expect(at[i + 1]).toBeGreaterThanOrEqual(expected); // never early; no upper bound on a busy machine
    }
  });

  it('caps each gap at maxGapMs: a night between two commands is not waited for', async () => {
    const records = [record('a', NOON), record('b', NOON + 8 * HOUR), record('c', NOON + 16 * HOUR)];
    const started = performance.now();
    const result = await replay(records, { '*': () => {} }, { timing: 'original', maxGapMs: 50 });
    expect(result.played).toBe(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("skips events without a handler unless '*' is given, and passes all attributes and the record", async () => {
    const records = [record('demo.cli.run', NOON, { command: 'build' }, { 'error.type': 'BuildError' }), record('demo.other', NOON + 1)];
    const calls: unknown[] = [];
    expect(await replay(records, { 'demo.cli.run': (attrs, r) => void calls.push([attrs, r.tiers]) })).toEqual({ played: 1, skipped: 1 });
    expect(calls).toEqual([[{ command: 'build', 'error.type': 'BuildError' }, ['metrics', 'events']]]);
    const rest: string[] = [];
    await replay(records, { 'demo.cli.run': () => {}, '*': (_a, r) => void rest.push(r.name) });
    expect(rest).toEqual(['demo.other']);
  });

  it('awaits each handler before the next event', async () => {
    const log: string[] = [];
    await replay([record('a', NOON), record('b', NOON + 1)], {
      a: async () => {
        await new Promise((r) => setTimeout(r, 30));
        log.push('a done');
      },
      b: () => void log.push('b'),
    });
    expect(log).toEqual(['a done', 'b']);
  });

  it('rejects with the abort reason when stopped, and with a handler error', async () => {
    const controller = new AbortController();
    const records = [record('a', NOON), record('b', NOON + HOUR)];
    // The gap before `b` is capped at 10 s; the abort comes while replay waits for it.
    const stopped = replay(records, { a: () => void setTimeout(() => controller.abort(new Error('stop')), 20), b: () => {} }, { timing: 'original', signal: controller.signal });
    await expect(stopped).rejects.toThrow('stop');
    await expect(replay(records, { a: () => { throw new Error('assertion failed'); } })).rejects.toThrow('assertion failed');
    await expect(replay(records, {}, { timing: 'original', speed: 0 })).rejects.toThrow(RangeError);
  });
});

describe('replay as a regression-test harness', () => {
  it("replays a user's bug report against handlers that rebuild state and assert on it", async () => {
    // What a user's runs left in the local history, recorded through the real track() path.
    const dir = mkdtempSync(join(tmpdir(), 'optel-replay-'));
    const printed: EventRecord[] = [];
    const app = createTelemetry({
      catalog, version: '2.0.0', cwd: dir, notice: false,
      env: { DEMO_TELEMETRY_DEBUG: '1', DEMO_TELEMETRY_EVENTS: 'on' },
      paths: { configHome: join(dir, 'config'), stateHome: join(dir, 'state'), policyFile: join(dir, 'policy.json') },
      stderr: (line) => void (line.startsWith('[demo telemetry] {') && printed.push(JSON.parse(line.slice(17)) as EventRecord)),
    });
    app.track('demo.cli.run', { command: 'build', success: true }, { durationMs: 900 });
    app.track('demo.cli.run', { command: 'serve', success: false, 'error.type': 'BuildError' }, { durationMs: 40 });
    app.track('demo.cli.run', { command: 'build', success: true }, { durationMs: 850 });
    const stateDir = join(dir, 'state', 'demo', 'telemetry');
    appendHistory(historyDirOf(stateDir), printed.map((r, i) => ({ ...r, time: NOON - 1000 + i * 100 })), { now: NOON });

    // The maintainer's side: the attached file, read back and replayed.
    const status = app.status();
    const file = writeBugReport(createBugReport({ app: 'demo', version: '2.0.0', status, historyDir: historyDirOf(stateDir), now: NOON }), dir);
    const report = readBugReport(file.path);
    const failures: string[] = [];
    let builds = 0;
    const result = await replay(report, {
      'demo.cli.run': (attrs, r) => {
        expect(['build', 'serve']).toContain(attrs.command);
        expect(r.duration).toBeGreaterThan(0);
        if (attrs.success === false) failures.push(String(attrs['error.type']));
        else if (attrs.command === 'build') builds++;
      },
    }, { timing: 'original', speed: 10 });
    expect(result).toEqual({ played: 3, skipped: 0 });
    expect(builds).toBe(2);
    expect(failures).toEqual(['BuildError']);
  });
});
