import { describe, expect, it } from 'vitest';
import { createBugReport } from '../../src/bug-report/bundle.js';
import { describeBugReport } from '../../src/bug-report/describe.js';
import { historyDirOf } from '../../src/history/day-file.js';
import { NOON } from '../history/records.js';
import { createTelemetry } from '../../src/index.js';
import { catalog, PLANTED, plantedSetup } from './fixture.js';

describe('describeBugReport', () => {
  const setup = plantedSetup(NOON);
  const report = createBugReport({ app: 'demo', version: '2.0.0', status: setup.telemetry.status(), historyDir: historyDirOf(setup.stateDir), now: NOON });
  const text = describeBugReport(report);

  it('lists versions and platform', () => {
    expect(text).toContain('app       demo 2.0.0');
    expect(text).toContain(`platform  ${process.platform} ${process.arch}, Node.js ${process.versions.node}, optel `);
  });

  it('shows a version with control characters as text, on its one line, never acted on by the terminal', () => {
    const version = '1\u001b[2J\u001b]0;PWNED\u0007\n  platform  fake';
    const shown = describeBugReport({ ...report, version });
    expect(shown).toContain('app       demo 1\\x1b[2J\\x1b]0;PWNED\\x07\\x0a  platform  fake\n');
    expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('lists every configuration value with the layer that set it, and what a project tried', () => {
    expect(text).toMatch(/events +on +\(env: DEMO_TELEMETRY_EVENTS\)/);
    expect(text).toMatch(/flush +daily +\(admin: admin policy file\)/);
    expect(text).toMatch(/traces +off +\(project: project settings file\)/);
    expect(text).toContain('ignored https://<host>/<path>/v1/metrics from project (ignored: a project may only turn tiers off)');
    expect(text).toContain('header names (values left out): authorization, x-api-key');
  });

  it('says a tier is off by the kill switch, as `telemetry status` does, not on by the layer it overrode', () => {
    const killed = createTelemetry({ catalog, version: '2.0.0', env: { ...setup.env, DO_NOT_TRACK: '1' }, cwd: setup.project, paths: setup.paths, notice: false });
    const report = createBugReport({ app: 'demo', version: '2.0.0', status: killed.status(), historyDir: undefined, now: NOON });
    expect(report.config.explain.find((e) => e.setting === 'metrics')).toEqual({
      setting: 'metrics', value: 'off', source: 'kill-switch', origin: 'DO_NOT_TRACK', overridden: [{ source: 'default', value: 'on' }],
    });
    const killedText = describeBugReport(report);
    expect(killedText).toContain('telemetry off (kill switch: DO_NOT_TRACK)');
    for (const tier of ['metrics', 'events', 'traces']) expect(killedText).toMatch(new RegExp(`\\n +${tier} +off +\\(kill-switch: DO_NOT_TRACK\\)\\n`));
  });

  it('says a tier whose exporter is `none` is off by that exporter, as `telemetry status` does', () => {
    const none = createTelemetry({ catalog, version: '2.0.0', env: { ...setup.env, OTEL_LOGS_EXPORTER: 'none' }, cwd: setup.project, paths: setup.paths, notice: false });
    const report = createBugReport({ app: 'demo', version: '2.0.0', status: none.status(), historyDir: undefined, now: NOON });
    expect(report.config.tiers.events).toBe(false);
    expect(describeBugReport(report)).toMatch(/\n +events +off +\(env: OTEL_LOGS_EXPORTER\)\n/);
  });

  it('counts the events per name with their attribute names, over how long', () => {
    expect(text).toContain('events    3, over 2 min:');
    expect(text).toMatch(/demo\.cli\.run +2 +attributes: command, error\.type, success/);
    expect(text).toMatch(/demo\.note\.added +1 +attributes: project, text/);
  });

  it('says what is not in it, and shows nothing the report leaves out', () => {
    expect(text).toContain("Not in it: variables' values other than those above, file paths, the installation id, this machine's host and user names;");
    expect(text).toContain('hashed ids are\n  hashed again with a key made for this report alone, and times count from the first event, to the second');
    for (const secret of [...PLANTED, setup.home]) expect(text).not.toContain(secret);
  });

  it("notes when the app's own defaults are unknown", () => {
    const outside = createBugReport({ app: 'demo', version: 'unknown', status: setup.telemetry.status(), historyDir: undefined, appDefaultsKnown: false, now: NOON });
    expect(describeBugReport(outside)).toContain("note: made outside demo; `demo telemetry bug-report`, where the app offers it, knows its defaults.");
    expect(describeBugReport(outside)).toContain('events    none in the local history');
  });
});
