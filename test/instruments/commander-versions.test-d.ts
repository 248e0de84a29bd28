import { Command as Command12 } from 'commander-12';
import { Command as Command13 } from 'commander-13';
import { Command as Command14 } from 'commander';
import { describe, expectTypeOf, it } from 'vitest';
import { attr, createTelemetry, defineCatalog } from '../../src/index.js';
import { instrumentCommander } from '../../src/instruments/commander.js';

const catalog = defineCatalog({
  app: 'x',
  events: { 'x.cli.run': { description: 'A command ran.', duration: true, attributes: { 'cli.command': attr.enum(['add']) } } },
});
const telemetry = createTelemetry({ catalog, version: '1.0.0', env: {}, paths: { configHome: '/nonexistent', stateHome: '/nonexistent' } });

describe('instrumentCommander() with the commander a host has', () => {
  it('takes and gives back a program of each supported major version, without a cast', () => {
    expectTypeOf(instrumentCommander(new Command12(), telemetry, { event: 'x.cli.run' })).toEqualTypeOf<Command12>();
    expectTypeOf(instrumentCommander(new Command13(), telemetry, { event: 'x.cli.run' })).toEqualTypeOf<Command13>();
    expectTypeOf(instrumentCommander(new Command14(), telemetry, { event: 'x.cli.run' })).toEqualTypeOf<Command14>();
  });

  it('still refuses what is not a program, and events that are not timed', () => {
    // @ts-expect-error not a commander program
    instrumentCommander({ parse() {} }, telemetry, { event: 'x.cli.run' });
    // @ts-expect-error not an event of the catalog
    instrumentCommander(new Command12(), telemetry, { event: 'x.cli.nope' });
  });
});

describe('instrumentCommander() options', () => {
  it('takes only an attribute of the event as the command attribute', () => {
    instrumentCommander(new Command14(), telemetry, { event: 'x.cli.run', commandAttribute: 'cli.command' });
    // @ts-expect-error a typo of the attribute name
    instrumentCommander(new Command14(), telemetry, { event: 'x.cli.run', commandAttribute: 'cli.comand' });
  });
});
