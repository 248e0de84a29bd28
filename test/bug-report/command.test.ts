import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bugReportFromTelemetry, runBugReport } from '../../src/bug-report/command.js';
import { readBugReport } from '../../src/bug-report/file.js';
import { createTelemetry, redact } from '../../src/index.js';
import { cleanEnv, ROOT } from '../support/run-example.js';
import { NOON } from '../history/records.js';
import { catalog, PLANTED, plantedSetup } from './fixture.js';

describe("the app's own `telemetry bug-report` (bugReportFromTelemetry)", () => {
  it('writes one report into the folder, lists what it contains and says where it is', () => {
    const setup = plantedSetup(NOON);
    const dir = mkdtempSync(join(tmpdir(), 'optel-report-out-'));
    const result = bugReportFromTelemetry(setup.telemetry, { version: '2.0.0', dir, now: NOON });
    expect(result.exitCode).toBe(0);
    expect(readdirSync(dir)).toEqual(['demo-bug-report-20250514-120000.json.gz']);
    expect(result.path).toBe(join(dir, 'demo-bug-report-20250514-120000.json.gz'));
    expect(result.output).toContain('demo bug report (optel-bug-report/1)');
    expect(result.output).toMatch(/demo\.cli\.run +2/);
    expect(result.output).toContain(`wrote ${result.path} (`);
    expect(readBugReport(result.path!)).toEqual(result.report);
    expect(result.report.config.appDefaultsKnown).toBe(true);
  });

  it('writes nothing on a dry run, and prints the whole report with json', () => {
    const setup = plantedSetup(NOON);
    const dir = mkdtempSync(join(tmpdir(), 'optel-report-out-'));
    const dry = bugReportFromTelemetry(setup.telemetry, { version: '2.0.0', dir, now: NOON, dryRun: true, json: true });
    expect(readdirSync(dir)).toEqual([]);
    expect(dry.path).toBeUndefined();
    expect(JSON.parse(dry.output)).toEqual(dry.report);
    expect(bugReportFromTelemetry(setup.telemetry, { dir, now: NOON, dryRun: true }).output).toMatch(/\(dry run: nothing written\)\n$/);
  });

  it("takes the app's version from the client when it exposes one", () => {
    const setup = plantedSetup(NOON);
    const client = { app: 'demo', version: '3.1.0', status: () => setup.telemetry.status() };
    expect(bugReportFromTelemetry(client, { dryRun: true, now: NOON }).report.version).toBe('3.1.0');
    expect(bugReportFromTelemetry({ app: 'demo', status: client.status }, { dryRun: true, now: NOON }).report.version).toBe('unknown');
  });

  it('reports a folder it cannot write to with exit code 1, still showing the listing', () => {
    const setup = plantedSetup(NOON);
    const result = bugReportFromTelemetry(setup.telemetry, { version: '2.0.0', dir: join(setup.root, 'missing', 'folder'), now: NOON });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('could not write the bug report');
    expect(result.output).toContain('demo bug report');
  });
});

describe('`optel bug-report <app>` (runBugReport)', () => {
  it("resolves the app's layers from outside it, and says that its defaults are unknown", () => {
    const setup = plantedSetup(NOON);
    const result = runBugReport({
      app: 'demo', cwd: setup.project, env: setup.env, paths: setup.paths, dir: mkdtempSync(join(tmpdir(), 'optel-report-out-')), now: NOON,
    });
    expect(result.exitCode).toBe(0);
    const { report } = result;
    expect(report.version).toBe('unknown');
    expect(report.config.appDefaultsKnown).toBe(false);
    expect(report.config.tiers).toEqual({ metrics: true, events: true, traces: false });
    expect(report.events).toHaveLength(3);
    expect(result.output).toMatch(/metrics +on +\(user: user settings file\)/);
    // What no layer here set is the app's default, which only the app knows: never shown as a fact.
    expect(result.output).toMatch(/exporter\.metrics +otlp +\(optel's default; the app's own is unknown here\)/);
    expect(result.output).toContain("note: made outside demo; `demo telemetry bug-report`, where the app offers it, knows its defaults.");
    const text = JSON.stringify(report);
    for (const secret of [...PLANTED, setup.home]) expect(text).not.toContain(secret);
    expect(redact(text)).toBe(text);
  });

  it('packages no event while a kill switch is set, as the app itself would not', () => {
    const setup = plantedSetup(NOON);
    for (const kill of [{ DO_NOT_TRACK: '1' }, { DEMO_TELEMETRY: 'off' }, { OTEL_SDK_DISABLED: 'true' }]) {
      const env = { ...setup.env, ...kill };
      const outside = runBugReport({ app: 'demo', cwd: setup.project, env, paths: setup.paths, now: NOON, dryRun: true }).report;
      expect(outside.config.killedBy).toBe(Object.keys(kill)[0]);
      expect(outside.events).toEqual([]);
      const inApp = createTelemetry({ catalog, version: '2.0.0', env, cwd: setup.project, paths: setup.paths, notice: false });
      expect(bugReportFromTelemetry(inApp, { now: NOON, dryRun: true }).report.events).toEqual([]);
    }
  });

  it("leaves out a tier whose exporter is set to none, as the app's own command does", () => {
    const setup = plantedSetup(NOON);
    const env = { ...setup.env, OTEL_LOGS_EXPORTER: 'none' };
    const outside = runBugReport({ app: 'demo', cwd: setup.project, env, paths: setup.paths, now: NOON, dryRun: true }).report;
    const inApp = createTelemetry({ catalog, version: '2.0.0', env, cwd: setup.project, paths: setup.paths, notice: false });
    expect(outside.events.map((e) => e.tiers)).toEqual([['metrics'], ['metrics'], ['metrics']]);
    expect(outside.events.some((e) => e.extra)).toBe(false);
    expect(bugReportFromTelemetry(inApp, { now: NOON, dryRun: true }).report.events).toEqual(outside.events);
  });

  it('runs in a real process: reads XDG locations under HOME and writes into the working folder', async () => {
    const home = mkdtempSync(join(tmpdir(), 'optel-home-'));
    const work = join(home, 'work');
    mkdirSync(join(work, '.demo'), { recursive: true });
    writeFileSync(join(work, '.demo', 'config.json'), JSON.stringify({ telemetry: { events: false } }));
    const history = join(home, '.local', 'state', 'demo', 'telemetry', 'history');
    mkdirSync(history, { recursive: true });
    const day = new Date().toISOString().slice(0, 10);
    writeFileSync(join(history, `${day}.jsonl`), `${JSON.stringify({ n: 'demo.cli.run', t: Date.now() - 1000, a: { command: 'build' }, k: 'm' })}\n`);

    const module = pathToFileURL(join(ROOT, 'dist', 'bug-report', 'command.js')).href;
    const script = `import { runBugReport } from ${JSON.stringify(module)};
      const r = runBugReport({ app: 'demo', cwd: process.cwd() });
      process.stdout.write(r.output); process.exitCode = r.exitCode;`;
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: work, env: cleanEnv(home, { DEMO_TELEMETRY_METRICS: 'on' }) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const written = readdirSync(work).filter((f) => f.endsWith('.json.gz'));
    expect(written).toHaveLength(1);
    expect(run.stdout).toContain(`wrote ${join(work, written[0]!)}`);
    expect(run.stdout).toMatch(/metrics +on +\(env: DEMO_TELEMETRY_METRICS\)/);
    expect(run.stdout).toMatch(/events +off +\(project: project settings file\)/);
    expect(run.stdout).toMatch(/demo\.cli\.run +1 +attributes: command/);
    expect(existsSync(join(work, written[0]!))).toBe(true);
  });
});
