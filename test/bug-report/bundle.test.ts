import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory } from '../../src/history/append.js';
import { historyDirOf } from '../../src/history/day-file.js';
import { BUG_REPORT_FORMAT, createBugReport } from '../../src/bug-report/bundle.js';
import { createTelemetry, redact } from '../../src/index.js';
import { OPTEL_VERSION } from '../../src/version.js';
import { DAY, NOON, record } from '../history/records.js';
import { catalog, PLANTED, plantedSetup } from './fixture.js';

function reportOf(setup: ReturnType<typeof plantedSetup>, now = NOON) {
  return createBugReport({ app: 'demo', version: '2.0.0', status: setup.telemetry.status(), historyDir: historyDirOf(setup.stateDir), now });
}

describe('createBugReport', () => {
  it('contains exactly the documented keys', () => {
    const report = reportOf(plantedSetup(NOON));
    expect(Object.keys(report).sort()).toEqual(['app', 'config', 'createdAt', 'events', 'format', 'platform', 'version']);
    expect(report.format).toBe(BUG_REPORT_FORMAT);
    expect(report.createdAt).toBe('2025-05-14T12:00:00.000Z');
    expect(report.platform).toEqual({ os: process.platform, arch: process.arch, node: process.versions.node, optel: OPTEL_VERSION });
    expect(Object.keys(report.config).sort()).toEqual(
      ['appDefaultsKnown', 'debug', 'enabled', 'endpoints', 'explain', 'exporters', 'flush', 'headerNames', 'protocol', 'tiers']);
    for (const e of report.config.explain) {
      expect(['setting', 'value', 'source', 'origin', 'overridden']).toEqual(expect.arrayContaining(Object.keys(e)));
    }
    for (const e of report.events) {
      expect(['name', 'time', 'duration', 'attrs', 'extra', 'tiers', 'count']).toEqual(expect.arrayContaining(Object.keys(e)));
    }
  });

  it('keeps only what today\'s consent allows of the history (an admin may have withdrawn a tier since)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-br-history-'));
    appendHistory(dir, [record('demo.cli.run', NOON - 60_000, { ok: true }, { text: 'call bob about the merger' }), { ...record('demo.x.y', NOON - 60_000), tiers: ['events'] }], { now: NOON });
    const tiers = { metrics: true, events: false, traces: false };
    const report = createBugReport({ app: 'demo', version: '1', status: { config: { ...plantedSetup(NOON).telemetry.status().config, tiers } }, historyDir: dir, now: NOON });
    expect(report.events).toEqual([{ name: 'demo.cli.run', time: 0, attrs: { ok: true }, tiers: ['metrics'] }]);
  });

  it('leaves out everything sensitive: credentials, header values, paths, names, the installation id', () => {
    const setup = plantedSetup(NOON);
    const text = JSON.stringify(reportOf(setup));
    for (const secret of [...PLANTED, setup.root, setup.home, setup.installationId, hostname()]) expect(text).not.toContain(secret);
    // Nothing left for the redactor to find: it changes nothing in the whole serialised report.
    expect(redact(text)).toBe(text);
  });

  it('keeps what a maintainer needs: the values, the layer behind each, header names, the shape of each endpoint', () => {
    const { config } = reportOf(plantedSetup(NOON));
    expect(config.tiers).toEqual({ metrics: true, events: true, traces: false });
    expect(config.flush).toBe('daily');
    expect(config.endpoints).toEqual({
      metrics: 'https://<host>/<path>/v1/metrics',
      logs: 'https://<host>/<path>/v1/logs',
      traces: 'https://<host>/v1/traces',
    });
    expect(config.headerNames).toEqual(['authorization', 'x-api-key']);
    const explain = Object.fromEntries(config.explain.map((e) => [e.setting, e]));
    expect(explain.events).toMatchObject({ value: 'on', source: 'env', origin: 'DEMO_TELEMETRY_EVENTS' });
    expect(explain['endpoint.traces']).toMatchObject({ source: 'env', origin: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' });
    expect(explain.metrics).toMatchObject({ value: 'on', source: 'user', origin: 'user settings file' });
    expect(explain.flush).toMatchObject({ value: 'daily', source: 'admin', origin: 'admin policy file' });
    expect(explain.traces).toMatchObject({ value: 'off', source: 'project', origin: 'project settings file' });
    expect(explain['endpoint.metrics']!.overridden).toContainEqual(
      { source: 'project', value: 'https://<host>/<path>/v1/metrics', note: 'ignored: a project may only turn tiers off' });
    expect(explain.headers!.value).toBe('{authorization, x-api-key}');
  });

  it('shows the service name as it is sent, and of endpoints a user set only loopback hosts and the OTLP suffix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-br-endpoints-'));
    const env = {
      OTEL_SERVICE_NAME: 'acli-/home/alice/clients/acme-merger',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://ingest.corp-internal.example:4318/tenant/7f3a9c2e1b4d8f6a0e5c3b2a1d9f8e7c',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:4318/v1/logs',
    };
    const telemetry = createTelemetry({ catalog, version: '1', env, cwd: dir, notice: false, defaults: { endpoint: 'https://telemetry.example.com' },
      paths: { configHome: join(dir, 'c'), stateHome: join(dir, 's'), policyFile: join(dir, 'p.json') } });
    const { config } = createBugReport({ app: 'demo', version: '1', status: telemetry.status(), historyDir: undefined, now: NOON });
    expect(config.endpoints).toEqual({ metrics: 'https://<host>:4318/<path>/v1/metrics', logs: 'http://127.0.0.1:4318/v1/logs', traces: 'https://<host>:4318/<path>/v1/traces' });
    const explain = Object.fromEntries(config.explain.map((e) => [e.setting, e]));
    expect(explain.serviceName!.value).toBe('acli-<path>');
    // Shown as masked, not redacted again: a loopback address and the OTLP suffix are what a maintainer looks for.
    expect(explain['endpoint.logs']!.value).toBe('http://127.0.0.1:4318/v1/logs');
    const text = JSON.stringify(config);
    for (const secret of ['corp-internal', 'alice', 'acme', '7f3a9c']) expect(text).not.toContain(secret);
    // The app's own default endpoint is public (it ships in the app) and shown as it is.
    const byDefault = createTelemetry({ catalog, version: '1', env: {}, cwd: dir, notice: false, defaults: { endpoint: 'https://telemetry.example.com' },
      paths: { configHome: join(dir, 'c'), stateHome: join(dir, 's'), policyFile: join(dir, 'p.json') } });
    expect(createBugReport({ app: 'demo', version: '1', status: byDefault.status(), historyDir: undefined, now: NOON }).config.endpoints.metrics)
      .toBe('https://telemetry.example.com/v1/metrics');
  });

  it('carries the recorded events of the last days, oldest first, as they were recorded but for ids and times', () => {
    const setup = plantedSetup(NOON);
    const history = historyDirOf(setup.stateDir);
    appendHistory(history, [record('demo.cli.run', NOON - 9 * DAY)], { now: NOON - 9 * DAY, maxDays: 30 });
    const report = reportOf(setup);
    const project = report.events[1]!.extra!.project;
    expect(report.events).toEqual(setup.events.map((e, i) => ({
      ...e, time: i * 60_000, ...(e.extra ? { extra: { ...e.extra, project } } : {}),
    })));
    expect(report.events.map((e) => e.name)).toEqual(['demo.cli.run', 'demo.note.added', 'demo.cli.run']);
    expect(report.events[1]!.extra!.text).toBe('mail <email> about <path>');
    expect(createBugReport({ app: 'demo', version: '2.0.0', status: setup.telemetry.status(), historyDir: history, now: NOON, days: 10 }).events)
      .toHaveLength(4);
  });

  it('holds no hashed id or time that the collector received with the installation id', () => {
    const setup = plantedSetup(NOON);
    const sent = setup.events[1]!;
    const report = reportOf(setup);
    const kept = report.events[1]!;
    expect(kept.extra!.project).toMatch(/^[0-9a-f]{32}$/);
    expect(kept.extra!.project).not.toBe(sent.extra!.project);
    expect(reportOf(setup).events[1]!.extra!.project).not.toBe(kept.extra!.project); // a fresh key each report
    const text = JSON.stringify(report);
    for (const e of setup.events) expect(text).not.toContain(String(e.time));
  });

  it('still describes the configuration when a kill switch turned telemetry off', () => {
    const setup = plantedSetup(NOON);
    const off = createTelemetry({ catalog, version: '2.0.0', env: { ...setup.env, DO_NOT_TRACK: '1' }, cwd: setup.project, paths: setup.paths });
    const report = createBugReport({ app: 'demo', version: '2.0.0', status: off.status(), historyDir: undefined, now: NOON });
    expect(report.config).toMatchObject({ enabled: false, killedBy: 'DO_NOT_TRACK' });
    expect(report.config.explain[0]).toMatchObject({ setting: 'telemetry', value: 'off', source: 'kill-switch', origin: 'DO_NOT_TRACK' });
    expect(report.events).toEqual([]);
  });
});
