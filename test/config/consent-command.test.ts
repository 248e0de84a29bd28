import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Env } from '../../src/config/env-layer.js';
import { attr, createTelemetry, defineCatalog, formatStatus, runTelemetryCommand, type TelemetryDefaults } from '../../src/index.js';

const catalog = defineCatalog({
  app: 'todo',
  events: {
    'todo.cli.invoked': { description: 'A command ran.', duration: true, attributes: { command: attr.enum(['add', 'list']) } },
  },
});

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function write(path: string, json: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(json));
}

/** A real telemetry client over fresh temp directories (nothing outside them is read or written). */
function setup(env: Env = {}, defaults: TelemetryDefaults = { endpoint: 'https://telemetry.example.com' }) {
  const root = mkdtempSync(join(tmpdir(), 'optel-consent-'));
  roots.push(root);
  const cwd = join(root, 'repo', 'sub');
  mkdirSync(cwd, { recursive: true });
  const configHome = join(root, 'config');
  const stateHome = join(root, 'state');
  const policyFile = join(root, 'etc', 'todo', 'telemetry.json');
  const userFile = join(configHome, 'todo', 'telemetry.json');
  const projectFile = join(root, 'repo', '.todo', 'config.json');
  const spoolDir = join(stateHome, 'todo', 'telemetry', 'spool');
  const stderr: string[] = [];
  const make = () =>
    createTelemetry({
      catalog,
      version: '1.0.0',
      env,
      cwd,
      defaults,
      paths: { configHome, stateHome, policyFile },
      stderr: (t) => stderr.push(t),
    });
  const readUser = () => JSON.parse(readFileSync(userFile, 'utf8')) as Record<string, unknown>;
  return { root, cwd, userFile, policyFile, projectFile, spoolDir, stderr, make, readUser };
}

/** The status line of one tier: `[on|off, source]`. */
function tierLine(output: string, tier: string): [string, string] {
  const line = output.split('\n').find((l) => l.startsWith(`  ${tier.padEnd(8)} `));
  expect(line, `no line for ${tier} in:\n${output}`).toBeDefined();
  const m = /^ {2}\S+\s+(on|off)\s+(.*)$/.exec(line!)!;
  return [m[1]!, m[2]!];
}

describe('telemetry status', () => {
  it('lists the layer behind each value', () => {
    const s = setup({ TODO_TELEMETRY_TRACES: 'off' });
    write(s.userFile, { events: true });
    write(s.projectFile, { telemetry: { metrics: false, endpoint: 'https://evil.example.com' } });
    write(s.policyFile, { flush: 'daily' });
    const t = s.make();

    const { output, exitCode } = runTelemetryCommand(t, 'status');
    expect(exitCode).toBe(0);
    expect(output.split('\n')[0]).toBe('todo telemetry: on');
    expect(tierLine(output, 'metrics')).toEqual(['off', `(project: ${s.projectFile})`]);
    expect(tierLine(output, 'events')).toEqual(['on', `(user: ${s.userFile})`]);
    expect(tierLine(output, 'traces')).toEqual(['off', '(env: TODO_TELEMETRY_TRACES)']);
    expect(output).toContain(`  flush    daily  (admin: ${s.policyFile})`);
    expect(output).toContain('  endpoint https://telemetry.example.com  (default)');
    expect(output).toContain(
      '  ignored  endpoint.metrics=https://evil.example.com/v1/metrics from project (ignored: a project may only turn tiers off)',
    );
    expect(output).toContain(`  user settings   ${s.userFile}`);
    expect(output).toContain(`  state           ${join(s.root, 'state', 'todo', 'telemetry')}`);
    expect(output.trimEnd().split('\n').at(-1)).toBe(
      'Change with `todo telemetry on|off [metrics|events|traces]`; TODO_TELEMETRY=0 or DO_NOT_TRACK=1 turn everything off.',
    );
    expect(output).toBe(formatStatus(t.status()));
  });

  it('shows the app defaults when nothing else speaks, and no installation id before one exists', () => {
    const s = setup();
    const { output } = runTelemetryCommand(s.make(), 'status');
    expect(tierLine(output, 'metrics')).toEqual(['on', '(default)']);
    expect(tierLine(output, 'events')).toEqual(['off', '(default)']);
    expect(tierLine(output, 'traces')).toEqual(['off', '(default)']);
    expect(output).not.toContain('installation id');
  });

  it('shows no installation id after `off`, which deleted it', () => {
    const s = setup();
    const telemetry = s.make();
    expect(runTelemetryCommand(telemetry, 'reset-id').output).toContain('new installation id');
    expect(runTelemetryCommand(s.make(), 'status').output).toContain('installation id');
    const { output } = runTelemetryCommand(telemetry, 'off');
    expect(output).not.toContain('installation id');
    expect(runTelemetryCommand(s.make(), 'status').output).not.toContain('installation id');
  });

  it('shows what it could not make sense of in the configuration, not only in debug mode', () => {
    const s = setup({ TODO_TELEMETRY_EVENTS: 'maybe' });
    mkdirSync(dirname(s.userFile), { recursive: true });
    writeFileSync(s.userFile, '{"metrics": false,}');
    const { output } = runTelemetryCommand(s.make(), 'status');
    expect(output).toContain('  problem  TODO_TELEMETRY_EVENTS: "maybe" is not on/off; taken as off\n');
    expect(output).toContain(`  problem  ${s.userFile} is not valid JSON; every tier off until it is fixed\n`);
    const typo = runTelemetryCommand(setup({ TODO_TELEMETRY: 'offf' }).make(), 'status').output;
    expect(typo.split('\n')[0]).toBe('todo telemetry: off (kill switch: TODO_TELEMETRY)');
    expect(typo).toContain('  problem  TODO_TELEMETRY="offf" is not on/off; taken as off\n');
  });

  it('shows a key it does not know in an admin or user file as a problem, with every tier off: a typo must not leave telemetry on', () => {
    const s = setup();
    write(s.policyFile, { metric: false, Events: false });
    const admin = runTelemetryCommand(s.make(), 'status').output;
    expect(tierLine(admin, 'metrics')).toEqual(['off', `(admin: ${s.policyFile} (unknown keys "metric", "Events": every tier off until it is fixed))`]);
    expect(admin).toContain(`  problem  ${s.policyFile}: unknown keys "metric", "Events"; every tier off until it is fixed\n`);
    const u = setup();
    write(u.userFile, { metric: false });
    const user = runTelemetryCommand(u.make(), 'status').output;
    expect(user.split('\n')[0]).toBe('todo telemetry: off');
    expect(user).toContain(`  problem  ${u.userFile}: unknown key "metric"; every tier off until it is fixed\n`);
  });

  it('prints what a hostile project file holds without letting it act on the terminal or fake a line', () => {
    const s = setup();
    write(s.projectFile, { telemetry: { metrics: '\u001b]0;pwned\u0007\n  metrics  on   (default)', endpoint: 'http://evil\u001b[2J/\u202e' } });
    const { output } = runTelemetryCommand(s.make(), 'status');
    expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(output).toContain('\\x1b]0;pwned\\x07\\x0a');
    expect(output).toContain('http://evil\\x1b[2J/\\u202e');
    expect(output.split('\n').filter((line) => line.startsWith('  metrics '))).toHaveLength(1);
  });

  it('says which kill switch turned everything off', () => {
    const s = setup({ DO_NOT_TRACK: '1' });
    write(s.userFile, { metrics: true, events: true });
    const { output } = runTelemetryCommand(s.make(), 'status');
    expect(output.split('\n')[0]).toBe('todo telemetry: off (kill switch: DO_NOT_TRACK)');
    for (const tier of ['metrics', 'events', 'traces']) expect(tierLine(output, tier)).toEqual(['off', '(kill switch)']);
    expect(output).not.toContain('flush');
  });

  it.each([
    [{ DO_NOT_TRACK: '1' }, 'DO_NOT_TRACK'],
    [{ OTEL_SDK_DISABLED: 'true' }, 'OTEL_SDK_DISABLED'],
    [{ TODO_TELEMETRY: '0' }, 'TODO_TELEMETRY'],
  ])('under a kill switch (%j) ends by naming the variable to unset, not the ways to turn it off', (env, variable) => {
    const { output } = runTelemetryCommand(setup(env).make(), 'status');
    expect(output.trimEnd().split('\n').at(-1)).toBe(`Telemetry stays off while ${variable} is set; unset it to turn telemetry back on.`);
    expect(output).not.toContain('turn everything off');
  });

  it('blames a tier that consent turned on but an exporter set to none silences on that variable', () => {
    const s = setup({ TODO_TELEMETRY_EVENTS: 'on', OTEL_LOGS_EXPORTER: 'none' });
    const { output } = runTelemetryCommand(s.make(), 'status');
    expect(tierLine(output, 'events')).toEqual(['off', '(env: OTEL_LOGS_EXPORTER)']);
  });

  it('never writes anything', () => {
    const s = setup();
    runTelemetryCommand(s.make(), 'status');
    expect(existsSync(join(s.root, 'config'))).toBe(false);
    expect(existsSync(join(s.root, 'state'))).toBe(false);
    expect(s.stderr).toEqual([]);
  });
});

describe('telemetry off', () => {
  it('writes the user file and deletes the spool directory', () => {
    const s = setup({}, { metrics: true, events: true });
    const t = s.make();
    // What an earlier run left waiting for delivery.
    mkdirSync(s.spoolDir, { recursive: true });
    writeFileSync(join(s.spoolDir, 'pending.jsonl'), '{"name":"todo.cli.invoked"}\n');

    const { output, exitCode } = runTelemetryCommand(t, 'off');
    expect(exitCode).toBe(0);
    expect(s.readUser()).toMatchObject({ metrics: false, events: false, traces: false, source: 'command' });
    expect(existsSync(s.spoolDir)).toBe(false);
    expect(output.split('\n')[0]).toBe('todo telemetry: off');
    for (const tier of ['metrics', 'events', 'traces']) expect(tierLine(output, tier)).toEqual(['off', `(user: ${s.userFile})`]);
    expect(t.config.enabled).toBe(false);
  });

  it('turns off just the tiers it is given, keeping the spool while something still records', () => {
    const s = setup({}, { metrics: true, events: true });
    const t = s.make();
    mkdirSync(s.spoolDir, { recursive: true });
    const { output, exitCode } = runTelemetryCommand(t, 'off', ['events']);
    expect(exitCode).toBe(0);
    expect(s.readUser()).toMatchObject({ events: false });
    expect(s.readUser()).not.toHaveProperty('metrics');
    expect(tierLine(output, 'metrics')).toEqual(['on', '(default)']);
    expect(tierLine(output, 'events')).toEqual(['off', `(user: ${s.userFile})`]);
    expect(existsSync(s.spoolDir)).toBe(true);
  });

  it('is survived by a later process: off stays off', () => {
    const s = setup();
    runTelemetryCommand(s.make(), 'off');
    expect(s.make().config.enabled).toBe(false);
  });
});

describe('telemetry on', () => {
  it('without tiers turns on metrics and events but not traces', () => {
    const s = setup({}, { metrics: false, events: false, traces: false });
    const t = s.make();
    expect(t.config.enabled).toBe(false);
    const { output, exitCode } = runTelemetryCommand(t, 'on');
    expect(exitCode).toBe(0);
    const user = s.readUser();
    expect(user).toMatchObject({ metrics: true, events: true, source: 'command' });
    expect(user).not.toHaveProperty('traces');
    expect(tierLine(output, 'metrics')).toEqual(['on', `(user: ${s.userFile})`]);
    expect(tierLine(output, 'events')).toEqual(['on', `(user: ${s.userFile})`]);
    expect(tierLine(output, 'traces')).toEqual(['off', '(default)']);
    expect(t.config.tiers).toEqual({ metrics: true, events: true, traces: false });
  });

  it('turns traces on only when named', () => {
    const s = setup();
    const { exitCode } = runTelemetryCommand(s.make(), 'on', ['traces']);
    expect(exitCode).toBe(0);
    expect(s.readUser()).toMatchObject({ traces: true });
    expect(s.readUser()).not.toHaveProperty('events');
  });

  it('turns every tier on with "all"', () => {
    const s = setup();
    const t = s.make();
    runTelemetryCommand(t, 'on', ['all']);
    expect(s.readUser()).toMatchObject({ metrics: true, events: true, traces: true });
    expect(t.config.tiers).toEqual({ metrics: true, events: true, traces: true });
  });

  it('cannot beat a kill switch, and says so', () => {
    const s = setup({ TODO_TELEMETRY: '0' });
    const { output, exitCode } = runTelemetryCommand(s.make(), 'on');
    expect(exitCode).toBe(0);
    expect(output.split('\n')[0]).toBe('todo telemetry: off (kill switch: TODO_TELEMETRY)');
  });

  it('cannot beat an admin policy that forces a tier off', () => {
    const s = setup();
    write(s.policyFile, { events: false });
    const { output } = runTelemetryCommand(s.make(), 'on');
    expect(tierLine(output, 'events')).toEqual(['off', `(admin: ${s.policyFile})`]);
  });

  it('saves a tier the admin policy forces off, and says it has no effect while that file does', () => {
    const s = setup();
    write(s.policyFile, { events: false });
    const { output, exitCode } = runTelemetryCommand(s.make(), 'on', ['events']);
    expect(exitCode).toBe(0);
    expect(s.readUser()).toMatchObject({ events: true });
    expect(output.trimEnd().split('\n').at(-1)).toBe(`Saved, but this has no effect on events while the admin policy ${s.policyFile} turns it off.`);
  });

  it('names every tier a policy keeps off in one line', () => {
    const s = setup();
    write(s.policyFile, { enabled: false });
    const { output } = runTelemetryCommand(s.make(), 'on');
    expect(output).toContain(`Saved, but this has no effect on metrics and events while the admin policy ${s.policyFile} turns them off.\n`);
  });

  it.each([
    ['on', { TODO_TELEMETRY_EVENTS: 'off' }, 'TODO_TELEMETRY_EVENTS turns it off'],
    ['off', { TODO_TELEMETRY_EVENTS: 'on' }, 'TODO_TELEMETRY_EVENTS turns it on'],
    ['on', { OTEL_LOGS_EXPORTER: 'none' }, 'OTEL_LOGS_EXPORTER turns it off'],
  ] as const)('`%s events` against %j is saved and names the variable that overrides it', (action, env, why) => {
    const s = setup(env);
    const { output, exitCode } = runTelemetryCommand(s.make(), action, ['events']);
    expect(exitCode).toBe(0);
    expect(s.readUser()).toMatchObject({ events: action === 'on' });
    expect(output).toContain(`Saved, but this has no effect on events while ${why}.\n`);
  });

  it('is saved under a kill switch, and says it has no effect while that variable is set', () => {
    const s = setup({ DO_NOT_TRACK: '1' });
    const { output, exitCode } = runTelemetryCommand(s.make(), 'on');
    expect(exitCode).toBe(0);
    expect(s.readUser()).toMatchObject({ metrics: true, events: true });
    expect(output).toContain('Saved, but this has no effect while DO_NOT_TRACK turns telemetry off.\n');
  });

  it('says nothing more when the choice takes effect, or was already what a higher layer says', () => {
    const s = setup({ TODO_TELEMETRY_TRACES: 'off' });
    expect(runTelemetryCommand(s.make(), 'on').output).not.toContain('Saved, but');
    expect(runTelemetryCommand(s.make(), 'off', ['traces']).output).not.toContain('Saved, but');
  });
});

describe('telemetry with bad arguments', () => {
  it.each([
    ['on', ['logs'], "unknown tier 'logs' (expected metrics, events, traces or all)"],
    ['off', ['metrics', 'everything'], "unknown tier 'everything' (expected metrics, events, traces or all)"],
    ['status', ['bogus'], 'status takes no arguments'],
    ['status', ['--json'], "unknown option '--json'"],
    ['on', ['events', '--dry-run'], "unknown option '--dry-run'"],
    ['reset-id', ['extra'], 'reset-id takes no arguments'],
  ])('%s %j says precisely what is wrong in one line, exit code 2, nothing written', (action, args, message) => {
    const s = setup();
    const { output, exitCode } = runTelemetryCommand(s.make(), action, args);
    expect(exitCode).toBe(2);
    expect(output).toBe(`${message}\n`);
    expect(existsSync(s.userFile)).toBe(false);
    expect(existsSync(join(s.root, 'state'))).toBe(false);
  });

  it('rejects an unknown action with exit code 2', () => {
    const s = setup();
    const { output, exitCode } = runTelemetryCommand(s.make(), 'enable');
    expect(exitCode).toBe(2);
    expect(output).toBe("unknown telemetry command 'enable' (expected status, on, off or reset-id)\n");
  });
});

describe('telemetry reset-id', () => {
  it('replaces the installation id, which status then shows', () => {
    const s = setup();
    const t = s.make();
    const first = runTelemetryCommand(t, 'reset-id');
    expect(first.exitCode).toBe(0);
    const id1 = /^new installation id (\S+)\n$/.exec(first.output)![1]!;
    const id2 = /^new installation id (\S+)\n$/.exec(runTelemetryCommand(t, 'reset-id').output)![1]!;
    expect(id1).not.toBe(id2);
    expect(runTelemetryCommand(t, 'status').output).toContain(`  installation id ${id2}`);
  });
});
