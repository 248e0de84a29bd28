import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mirrorDiag } from '../../src/diag.js';
import type { Env } from '../../src/config/env-layer.js';
import { loadConfig, readLayers, type ConfigSources } from '../../src/config/load.js';
import { findProjectFile, telemetryPaths, type TelemetryPaths } from '../../src/config/paths.js';
import type { Settings } from '../../src/config/settings.js';
import { ROOT } from '../support/run-example.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
afterEach(() => mirrorDiag(undefined));

function write(path: string, json: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
}

/** A fresh world: XDG homes, an admin policy path and a repository with a nested working directory. */
function world() {
  const root = mkdtempSync(join(tmpdir(), 'optel-load-'));
  roots.push(root);
  const paths = telemetryPaths('todo', {
    configHome: join(root, 'config'),
    stateHome: join(root, 'state'),
    policyFile: join(root, 'etc', 'todo', 'telemetry.json'),
  })!;
  const repo = join(root, 'work', 'repo');
  const cwd = join(repo, 'src', 'deep');
  mkdirSync(cwd, { recursive: true });
  const projectFile = join(repo, '.todo', 'config.json');
  const sources = (env: Env = {}, defaults: Settings = { metrics: true, events: false, traces: false }): ConfigSources => ({
    app: 'todo',
    env,
    cwd,
    paths,
    projectFile: '.todo/config.json',
    defaults,
  });
  return { root, paths, repo, cwd, projectFile, sources };
}

describe('telemetryPaths', () => {
  it('lays files out under the XDG homes and /etc by default', () => {
    expect(telemetryPaths('todo', { configHome: '/c', stateHome: '/s' })).toEqual({
      userConfigFile: '/c/todo/telemetry.json',
      stateDir: '/s/todo/telemetry',
      spoolDir: '/s/todo/telemetry/spool',
      policyFile: '/etc/todo/telemetry.json',
    });
  });

  it('lets the admin policy path be overridden', () => {
    expect(telemetryPaths('todo', { configHome: '/c', stateHome: '/s', policyFile: '/p.json' })?.policyFile).toBe('/p.json');
  });

  it('has no paths without a home to keep state in', () => {
    expect(telemetryPaths('todo', { configHome: '', stateHome: '/s' })).toBeUndefined();
    expect(telemetryPaths('todo', { configHome: '/c', stateHome: '' })).toBeUndefined();
  });
});

describe('findProjectFile', () => {
  it('finds the settings file in a parent directory', () => {
    const w = world();
    write(w.projectFile, {});
    expect(findProjectFile(w.cwd, '.todo/config.json')).toBe(w.projectFile);
  });

  it('prefers the nearest one', () => {
    const w = world();
    write(w.projectFile, {});
    const nearer = join(w.repo, 'src', '.todo', 'config.json');
    write(nearer, {});
    expect(findProjectFile(w.cwd, '.todo/config.json')).toBe(nearer);
  });

  it('finds nothing when no ancestor has one', () => {
    const w = world();
    expect(findProjectFile(w.cwd, '.todo/no-such-config.json')).toBeUndefined();
  });
});

describe('findProjectFile where it cannot look', () => {
  it('passes over a .todo that is a file: nothing can be below it (another tool\'s ~/.todo)', () => {
    const w = world();
    write(join(w.repo, '.todo'), 'buy milk');
    expect(findProjectFile(w.cwd, '.todo/config.json')).toBeUndefined();
  });

  it('fails closed on a .todo that is a link loop: there may be a file there, and it cannot be read', () => {
    const w = world();
    symlinkSync('.todo', join(w.repo, '.todo'));
    expect(findProjectFile(w.cwd, '.todo/config.json')).toBe(w.projectFile);
    const config = loadConfig(w.sources());
    expect(config.tiers).toEqual({ metrics: false, events: false, traces: false });
    expect(config.explain.find((e) => e.setting === 'metrics')).toMatchObject({ source: 'project', origin: `${w.projectFile} (unreadable (ELOOP): every tier off until it is fixed)` });
  });

  it('fails closed on a .todo directory it may not enter, as on a project file it may not read', () => {
    const w = world();
    write(w.projectFile, { telemetry: { metrics: true } });
    const todoDir = dirname(w.projectFile);
    chmodSync(todoDir, 0o000);
    // Root enters any directory: the check runs in a process as an unprivileged user.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    chmodSync(w.root, 0o755);
    const script = `const { loadConfig } = await import(process.argv[1]); const c = loadConfig(JSON.parse(process.argv[2]));
      console.log(JSON.stringify({ tiers: c.tiers, metrics: c.explain.find((e) => e.setting === 'metrics') }));`;
    try {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, join(ROOT, 'dist', 'config', 'load.js'), JSON.stringify(w.sources())], { ...asUser, encoding: 'utf8' });
      const { tiers, metrics } = JSON.parse(out) as { tiers: unknown; metrics: unknown };
      expect(tiers).toEqual({ metrics: false, events: false, traces: false });
      expect(metrics).toMatchObject({ source: 'project', origin: `${w.projectFile} (unreadable (EACCES): every tier off until it is fixed)` });
    } finally {
      chmodSync(todoDir, 0o755);
    }
  });
});

describe('readLayers and loadConfig with real files', () => {
  it('reads admin, env, user and an upward-found project file, highest first', () => {
    const w = world();
    write(w.paths.policyFile, { traces: false });
    write(w.paths.userConfigFile, { events: true, flush: 'daily' });
    write(w.projectFile, { db: 'todo.json', telemetry: { metrics: false, endpoint: 'https://evil.example.com' } });

    const { layers, killedBy } = readLayers(w.sources({ TODO_TELEMETRY_TRACES: 'on' }));
    expect(killedBy).toBeUndefined();
    expect(layers.map((l) => [l.name, l.origin])).toEqual([
      ['admin', w.paths.policyFile],
      ['env', 'TODO_TELEMETRY_TRACES'],
      ['user', w.paths.userConfigFile],
      ['project', w.projectFile],
      ['default', 'app defaults'],
    ]);

    const c = loadConfig(w.sources({ TODO_TELEMETRY_TRACES: 'on' }));
    expect(c.tiers).toEqual({ metrics: false, events: true, traces: false });
    expect(c.flush).toBe('daily');
    expect(c.export.endpoints.metrics).toBe('http://localhost:4318/v1/metrics');
    const by = (s: string) => c.explain.find((e) => e.setting === s)!;
    expect([by('metrics').source, by('events').source, by('traces').source]).toEqual(['project', 'user', 'admin']);
    expect(by('metrics').origin).toBe(w.projectFile);
  });

  it('skips files that do not exist, keeping the env and default layers', () => {
    const w = world();
    const { layers } = readLayers(w.sources());
    expect(layers.map((l) => l.name)).toEqual(['env', 'default']);
    expect(loadConfig(w.sources()).tiers).toEqual({ metrics: true, events: false, traces: false });
  });

  it('looks for no project file when told not to', () => {
    const w = world();
    write(w.projectFile, { telemetry: { metrics: false } });
    const { layers } = readLayers({ ...w.sources(), projectFile: false });
    expect(layers.map((l) => l.name)).toEqual(['env', 'default']);
  });

  it('lets an admin force a tier on over the user’s off', () => {
    const w = world();
    write(w.paths.policyFile, { metrics: true });
    write(w.paths.userConfigFile, { metrics: false });
    expect(loadConfig(w.sources()).tiers.metrics).toBe(true);
  });

  it.each([
    ['user', (w: ReturnType<typeof world>) => w.paths.userConfigFile],
    ['project', (w: ReturnType<typeof world>) => w.projectFile],
    ['admin', (w: ReturnType<typeof world>) => w.paths.policyFile],
  ] as const)('fails closed on a malformed %s file: every tier off, and the origin says why', (name, fileOf) => {
    const w = world();
    expect(loadConfig(w.sources()).tiers.metrics).toBe(true);
    write(fileOf(w), '{oops');
    const config = loadConfig(w.sources());
    expect(config.tiers).toEqual({ metrics: false, events: false, traces: false });
    expect(config.explain.find((e) => e.setting === 'metrics')).toMatchObject({ source: name, origin: `${fileOf(w)} (not valid JSON: every tier off until it is fixed)` });
  });

  it.each([
    ['user', { metric: false }, (w: ReturnType<typeof world>) => w.paths.userConfigFile],
    ['project', { telemetry: { metric: false } }, (w: ReturnType<typeof world>) => w.projectFile],
    ['admin', { metric: false, Events: false }, (w: ReturnType<typeof world>) => w.paths.policyFile],
  ] as const)('fails closed on the %s file %j, with a key it does not know, as on a malformed one', (name, json, fileOf) => {
    const w = world();
    write(fileOf(w), json);
    const config = loadConfig(w.sources({ TODO_TELEMETRY_EVENTS: 'on' }));
    expect(config.tiers).toEqual({ metrics: false, events: name !== 'admin', traces: false });
    expect(config.explain.find((e) => e.setting === 'metrics')).toMatchObject({ source: name, origin: expect.stringMatching(/ \(unknown keys? "metric".*: every tier off until it is fixed\)$/) });
  });

  it.each([
    ['admin', { enabled: false, metrics: true }, (w: ReturnType<typeof world>) => w.paths.policyFile],
    ['admin', { enabled: 'off', events: 'on' }, (w: ReturnType<typeof world>) => w.paths.policyFile],
    ['user', { enabled: false, metrics: true }, (w: ReturnType<typeof world>) => w.paths.userConfigFile],
    ['project', { telemetry: { enabled: false, metrics: true } }, (w: ReturnType<typeof world>) => w.projectFile],
  ] as const)('lets enabled: false win over a tier turned on in the same %s file %j', (name, json, fileOf) => {
    const w = world();
    write(fileOf(w), json);
    const config = loadConfig(w.sources({}, { metrics: true, events: true, traces: false }));
    expect(config.tiers).toEqual({ metrics: false, events: false, traces: false });
    expect(config.explain.find((e) => e.setting === 'metrics')?.source).toBe(name);
  });

  it.each<[string, Env]>([
    ['DO_NOT_TRACK=1', { DO_NOT_TRACK: '1' }],
    ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true' }],
    ['TODO_TELEMETRY=off', { TODO_TELEMETRY: 'off' }],
  ])('with %s reads no file at all, not even an admin policy that forces metrics on', (variable, env) => {
    const w = world();
    // Files that would force metrics on, each also malformed somewhere, so that reading one would log.
    write(w.paths.policyFile, { metrics: true, events: true, flush: 'never' });
    write(w.paths.userConfigFile, { metrics: true, endpoint: 'nope' });
    write(w.projectFile, '{broken');
    const lines: string[] = [];
    mirrorDiag((l) => lines.push(l));

    const { layers, killedBy } = readLayers(w.sources(env));
    expect(killedBy).toBe(variable.split('=')[0]);
    expect(layers.map((l) => l.name)).toEqual(['default']);
    const c = loadConfig(w.sources(env));
    expect(c.tiers).toEqual({ metrics: false, events: false, traces: false });
    expect(c.enabled).toBe(false);
    expect(lines).toEqual([]);

    // Control: without the kill switch, the same files are read (and their problems reported).
    loadConfig(w.sources());
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(loadConfig(w.sources()).tiers.events).toBe(true);
  });

  it('counts having no home directory as off, reading nothing', () => {
    const w = world();
    const { layers, killedBy } = readLayers({ ...w.sources(), paths: undefined as TelemetryPaths | undefined });
    expect(killedBy).toBe('no home directory');
    expect(layers.map((l) => l.name)).toEqual(['default']);
  });
});
