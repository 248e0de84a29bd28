import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { collectDiag } from '../../src/diag.js';
import { attr, createTelemetry, defineCatalog } from '../../src/index.js';
import { instrumentCommander } from '../../src/instruments/commander.js';
import { instrumentMcpServer } from '../../src/integrations/mcp.js';

const catalog = defineCatalog({
  app: 'w',
  events: {
    'w.cli.run': { description: 'A command ran.', duration: true, attributes: { 'cli.command': attr.enum(['build']) } },
    'w.item.added': { description: 'Not timed.' },
  },
});

function telemetryWith(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'optel-wiring-'));
  return createTelemetry({ catalog, version: '1.0.0', env, cwd: dir, paths: { configHome: join(dir, 'c'), stateHome: join(dir, 's'), policyFile: join(dir, 'p.json') } });
}

// What a plain-JavaScript host can get wrong; each must leave its program or server as it was.
const mistakes: [string, (t: ReturnType<typeof telemetryWith>) => [unknown, unknown, unknown], RegExp][] = [
  ['no options', (t) => [undefined, t, undefined], /options need \{ event/],
  ['no telemetry', () => [undefined, null, { event: 'w.cli.run' }], /what createTelemetry\(\) returned/],
  ['an unknown event', (t) => [undefined, t, { event: 'w.cli.nope' }], /"w\.cli\.nope" is not an event of the catalog/],
  ['an untimed event', (t) => [undefined, t, { event: 'w.item.added' }], /"w\.item\.added" is not timed/],
  ['an inherited name', (t) => [undefined, t, { event: 'toString' }], /not an event of the catalog/],
];

describe.each([
  ['telemetry on', {}],
  ['DO_NOT_TRACK=1', { DO_NOT_TRACK: '1' }],
])('wiring mistakes, %s', (_, env) => {
  // Each helper, what it instruments, and the method it would have wrapped.
  const helpers = [
    ['instrumentCommander', () => new Command(), 'parse', instrumentCommander],
    ['instrumentMcpServer', () => new McpServer({ name: 's', version: '1.0.0' }), 'registerTool', instrumentMcpServer],
  ] as const;
  const cases = helpers.flatMap((helper) => mistakes.map(([name, args, reason]) => [helper[0], name, helper, args, reason] as const));

  it.each(cases)('%s with %s leaves its target as it was and says why in diag, without throwing', (_helper, _name, [, make, method, instrument], args, reason) => {
    const telemetry = telemetryWith(env);
    const target = make() as unknown as Record<string, unknown>;
    const wrapped = target[method];
    const [, t, options] = args(telemetry);
    const { result, lines } = collectDiag(() => (instrument as (...a: unknown[]) => unknown)(target, t, options));
    expect(result).toBe(target);
    expect(target[method]).toBe(wrapped);
    expect(lines).toEqual([expect.stringMatching(reason)]);
  });

  it.each(mistakes.filter(([name]) => name !== 'no telemetry'))('instrumentCommander with %s still adds the `telemetry` command the notice names, and records no run', async (_name, args) => {
    const telemetry = telemetryWith(env);
    const program = new Command().exitOverride();
    program.command('build').action(() => {});
    const [, t, options] = args(telemetry);
    collectDiag(() => instrumentCommander(program, t as never, options as never));
    expect(program.commands.map((c) => c.name())).toEqual(['build', 'telemetry']);
    expect(program.commands[1]!.commands.map((c) => c.name())).toContain('off');
  });

  it('what is not a program or a server, null included, is left as it is', () => {
    const telemetry = telemetryWith(env);
    for (const target of [null, undefined, 42, {}, { parse() {} }]) {
      const { lines: commander } = collectDiag(() => expect(instrumentCommander(target as never, telemetry, { event: 'w.cli.run' })).toBe(target));
      expect(commander).toEqual([expect.stringContaining('must be a commander Command')]);
      const { lines: mcp } = collectDiag(() => expect(instrumentMcpServer(target as never, telemetry, { event: 'w.cli.run' })).toBe(target));
      expect(mcp).toEqual([expect.stringContaining('not a server from @modelcontextprotocol/sdk')]);
    }
  });
});
