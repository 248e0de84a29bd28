import { describe, expectTypeOf, it } from 'vitest';
import {
  attr, createTelemetry, defineCatalog, outcome, type Env, type EventAttributes, type EventName, type EventRecord, type Outcome, type TimedEventName,
  type TrackOptions, type WireAttributes,
} from '../../src/index.js';

const catalog = defineCatalog({
  app: 'x',
  events: {
    'x.cli.run': {
      description: 'A command ran.',
      duration: true,
      attributes: {
        command: attr.enum(['add', 'list']),
        interactive: attr.boolean(),
        'items.count': attr.bucket([0, 1, 10]),
        ...outcome(['QuotaError']),
      },
    },
    'x.item.added': {
      description: 'An item was added.',
      attributes: {
        length: attr.int({ min: 0, max: 100 }),
        project: attr.hashed(),
        version: attr.semver(),
        note: attr.text({ maxLength: 40 }),
      },
    },
    'x.cli.untimed': { description: 'Declared without a duration.', duration: false },
  },
});

const telemetry = createTelemetry({
  catalog,
  version: '1.0.0',
  env: {},
  paths: { configHome: '/nonexistent', stateHome: '/nonexistent' },
});

type C = typeof catalog;

describe('track()', () => {
  it('infers event names and attribute types from the catalog', () => {
    expectTypeOf<EventName<C>>().toEqualTypeOf<'x.cli.run' | 'x.item.added' | 'x.cli.untimed'>();
    expectTypeOf<TimedEventName<C>>().toEqualTypeOf<'x.cli.run'>();
    expectTypeOf<EventAttributes<C, 'x.cli.run'>>().toEqualTypeOf<{
      readonly command?: 'add' | 'list';
      readonly interactive?: boolean;
      readonly 'items.count'?: number;
      readonly success?: boolean;
      readonly 'error.type'?: (typeof import('../../src/index.js').DEFAULT_ERROR_TYPES)[number] | 'QuotaError';
    }>();
    expectTypeOf<EventAttributes<C, 'x.item.added'>>().toEqualTypeOf<{
      readonly length?: number;
      readonly project?: string;
      readonly version?: string;
      readonly note?: string;
    }>();
    expectTypeOf(telemetry.app).toEqualTypeOf<'x'>();
  });

  it('compiles correct calls', () => {
    telemetry.track('x.cli.run', { command: 'add', interactive: true, 'items.count': 3 });
    telemetry.track('x.cli.run', { 'error.type': 'QuotaError', success: false }, { durationMs: 12 });
    telemetry.track('x.item.added', { length: 4, project: '/home/alice/acme', version: '1.2.3', note: 'hi' });
    telemetry.track('x.item.added');
    telemetry.track('x.cli.untimed', {});
    expectTypeOf(telemetry.track).returns.toEqualTypeOf<void>();
  });

  it('rejects a misspelled event name', () => {
    // @ts-expect-error 'x.cli.rnu' is not in the catalog
    telemetry.track('x.cli.rnu');
    // @ts-expect-error the dropped event is optel's own, not the author's
    telemetry.track('x.telemetry.dropped', {});
    expectTypeOf(telemetry.track).parameter(0).not.toEqualTypeOf<string>();
  });

  it('rejects an undeclared attribute', () => {
    // @ts-expect-error 'path' is not declared on x.cli.run
    telemetry.track('x.cli.run', { path: '/home/alice' });
    // @ts-expect-error 'command' belongs to another event
    telemetry.track('x.item.added', { command: 'add' });
  });

  it('rejects a value of the wrong type', () => {
    // @ts-expect-error string for a boolean
    telemetry.track('x.cli.run', { interactive: 'yes' });
    // @ts-expect-error number for an enum
    telemetry.track('x.cli.run', { command: 1 });
    // @ts-expect-error enum value outside the declared set
    telemetry.track('x.cli.run', { command: 'remove' });
    // @ts-expect-error string for a bucket
    telemetry.track('x.cli.run', { 'items.count': '3' });
    // @ts-expect-error number for a hashed id
    telemetry.track('x.item.added', { project: 42 });
    // @ts-expect-error error class outside the declared set
    telemetry.track('x.cli.run', { 'error.type': 'MyError' });
  });
});

describe('measure, wrap and handler', () => {
  it('accept events declared with duration: true', () => {
    const n = telemetry.measure('x.cli.run', { command: 'list' }, () => 42);
    expectTypeOf(n).toEqualTypeOf<number>();
    const p = telemetry.measure('x.cli.run', {}, async () => 'done');
    expectTypeOf(p).toEqualTypeOf<Promise<string>>();

    const wrapped = telemetry.wrap('x.cli.run', { command: 'add' }, (a: string, b: number) => a.length + b);
    expectTypeOf(wrapped).toEqualTypeOf<(a: string, b: number) => number>();
    const fromArgs = telemetry.wrap('x.cli.run', (text: string) => ({ interactive: text === '' }), (text: string) => text);
    expectTypeOf(fromArgs).toEqualTypeOf<(text: string) => string>();

    telemetry.handler('x.cli.run', { command: 'add' });
    telemetry.handler('x.cli.run');
  });

  it('reject events declared without a duration', () => {
    // @ts-expect-error x.item.added has no duration
    telemetry.measure('x.item.added', {}, () => 1);
    // @ts-expect-error duration: false is not timed either
    telemetry.measure('x.cli.untimed', {}, () => 1);
    // @ts-expect-error x.item.added has no duration
    telemetry.wrap('x.item.added', {}, () => 1);
    // @ts-expect-error x.item.added has no duration
    telemetry.handler('x.item.added');
    // @ts-expect-error a misspelled timed event
    telemetry.handler('x.cli.rnu');
  });

  it('check the attributes of timed calls too', () => {
    // @ts-expect-error enum value outside the set
    telemetry.measure('x.cli.run', { command: 'remove' }, () => 1);
    // @ts-expect-error undeclared attribute
    telemetry.wrap('x.cli.run', { cwd: '/tmp' }, () => 1);
    // @ts-expect-error string for a boolean
    telemetry.handler('x.cli.run', { interactive: 'no' });
  });

  it('works as a standard decorator on a class method, keeping its signature', () => {
    class Commands {
      prefix = '> ';

      @telemetry.handler('x.cli.run', { command: 'add' })
      add(text: string): string {
        return this.prefix + text;
      }

      @telemetry.handler('x.cli.run', { command: 'list', interactive: false })
      async list(): Promise<string[]> {
        return [];
      }
    }
    const c = new Commands();
    expectTypeOf(c.add).toEqualTypeOf<(text: string) => string>();
    expectTypeOf(c.list).returns.toEqualTypeOf<Promise<string[]>>();
  });
});

describe('the types a host names', () => {
  it('exports the record, outcome and environment types its handlers and tests see', () => {
    expectTypeOf<EventRecord['attrs']>().toEqualTypeOf<WireAttributes>();
    expectTypeOf<TrackOptions['outcome']>().toEqualTypeOf<Outcome | undefined>();
    expectTypeOf<Env>().toMatchTypeOf<Readonly<Record<string, string | undefined>>>();
  });
});
