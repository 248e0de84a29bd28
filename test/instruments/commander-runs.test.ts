import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { attr, createTelemetry, defineCatalog, outcome } from '../../src/index.js';
import { instrumentCommander } from '../../src/instruments/commander.js';
import { collectDiag } from '../../src/diag.js';

const catalog = defineCatalog({
  app: 'r',
  events: { 'r.cli.run': { description: 'A command ran.', duration: true, attributes: { 'cli.command': attr.enum(['build', 'crash', 'lint']), 'process.exit.code': attr.int({ min: 0, max: 255 }), ...outcome() } } },
});

/** A program in a debug-mode client, whose stderr (every record, as it would be sent) is captured. */
function program(options: { hostHook?: () => void } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'optel-runs-'));
  const lines: string[] = [];
  const telemetry = createTelemetry({
    catalog, version: '1.0.0', env: { R_TELEMETRY_DEBUG: '1' }, cwd: dir, notice: false,
    paths: { configHome: join(dir, 'c'), stateHome: join(dir, 's'), policyFile: join(dir, 'p.json') },
    stderr: (text) => lines.push(text),
  });
  const cli = new Command().exitOverride();
  cli.command('build').action(() => {});
  cli.command('crash').action(() => {
    throw new RangeError('boom');
  });
  if (options.hostHook) cli.hook('preAction', options.hostHook);
  instrumentCommander(cli, telemetry, { event: 'r.cli.run', telemetryCommand: false });
  const runs = () => lines.filter((l) => l.includes('"name":"r.cli.run"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))).attrs as Record<string, unknown>);
  return { cli, runs, telemetry };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('instrumentCommander in a host that parses more than once (a REPL, tests)', () => {
  it('judges each run by what it did: an exit code left by an earlier run is not this run failing', async () => {
    const { cli, runs } = program();
    await expect(cli.parseAsync(['crash'], { from: 'user' })).rejects.toThrow('boom');
    process.exitCode = 1; // the host reports the crash, and goes on
    await cli.parseAsync(['build'], { from: 'user' });
    cli.parse(['build'], { from: 'user' });
    expect(runs().map((r) => [r['cli.command'], r.success, r['error.type'] ?? null])).toEqual([
      ['crash', false, 'RangeError'], ['build', true, null], ['build', true, null],
    ]);
  });

  it('still sees a run that sets a failing exit code of its own', async () => {
    const { cli, runs } = program();
    cli.command('lint').action(() => {
      process.exitCode = 3;
    });
    await cli.parseAsync(['lint'], { from: 'user' });
    expect(runs().map((r) => [r.success, r['process.exit.code']])).toEqual([[false, 3]]);
  });

  it('records a run that a host preAction hook, registered before it, stops by throwing', async () => {
    const { cli, runs } = program({ hostHook: () => {
      throw new TypeError('not logged in');
    } });
    await expect(cli.parseAsync(['build'], { from: 'user' })).rejects.toThrow('not logged in');
    expect(runs()).toEqual([expect.objectContaining({ 'cli.command': 'build', success: false, 'error.type': 'TypeError' })]);
  });

  it('instruments a program once: a second call leaves it as it is, so no run is counted twice', async () => {
    const { cli, runs, telemetry } = program();
    const { lines } = collectDiag(() => instrumentCommander(cli, telemetry, { event: 'r.cli.run', telemetryCommand: false }));
    expect(lines).toEqual([expect.stringContaining('already instrumented')]);
    await cli.parseAsync(['build'], { from: 'user' });
    expect(runs()).toHaveLength(1);
  });

  it('adds its process listeners once, however many programs it instruments', () => {
    program();
    const before = [process.listenerCount('exit'), process.listenerCount('uncaughtExceptionMonitor')];
    for (let i = 0; i < 12; i++) program();
    expect([process.listenerCount('exit'), process.listenerCount('uncaughtExceptionMonitor')]).toEqual(before);
  });
});

describe('instrumentCommander in a program with a `telemetry` command of its own', () => {
  it('keeps the host\'s command, adds none and says so on diag, whatever the consent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optel-runs-'));
    const telemetry = createTelemetry({
      catalog, version: '1.0.0', env: { DO_NOT_TRACK: '1' }, cwd: dir, notice: false,
      paths: { configHome: join(dir, 'c'), stateHome: join(dir, 's'), policyFile: join(dir, 'p.json') },
    });
    const cli = new Command().exitOverride();
    let hostRan = false;
    cli.command('telemetry').action(() => {
      hostRan = true;
    });
    const aliased = new Command().exitOverride();
    aliased.command('settings').alias('telemetry');
    expect(collectDiag(() => instrumentCommander(aliased, telemetry, { event: 'r.cli.run' })).lines).toEqual([expect.stringContaining('of its own')]);
    // A test double whose aliases() gives nothing: no throw, optel's command added.
    const double = new Command().exitOverride();
    Object.assign(double.command('settings'), { aliases: () => undefined });
    expect(() => instrumentCommander(double, telemetry, { event: 'r.cli.run' })).not.toThrow();
    expect(double.commands.map((c) => c.name())).toEqual(['settings', 'telemetry']);
    const { lines } = collectDiag(() => instrumentCommander(cli, telemetry, { event: 'r.cli.run' }));
    expect(lines).toEqual([expect.stringContaining('has a `telemetry` command of its own')]);
    await cli.parseAsync(['telemetry'], { from: 'user' });
    expect(hostRan).toBe(true);
    expect(cli.commands.filter((c) => c.name() === 'telemetry')).toHaveLength(1);
  });
});
