import { describe, expect, it } from 'vitest';
import * as stable from '@opentelemetry/semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import {
  attr,
  defineCatalog,
  DEFAULT_ERROR_TYPES,
  dropEventSuffix,
  eventTiers,
  outcome,
  type AttributeDefinition,
  type EventDefinition,
} from '../../src/semconv/index.js';
import * as names from '../../src/semconv/names.js';

const good = () =>
  defineCatalog({
    app: 'todo',
    docs: { destination: 'https://telemetry.example.com', retention: '90 days' },
    events: {
      'todo.cli.invoked': {
        description: 'A command was run.',
        duration: true,
        attributes: {
          command: attr.enum(['add', 'list', 'done']),
          interactive: attr.boolean(),
          'items.count': attr.bucket([0, 1, 10, 100]),
          ...outcome(),
        },
      },
      'todo.item.added': {
        description: 'An item was added.',
        attributes: { 'text.length': attr.int({ min: 0, max: 10_000 }), project: attr.hashed() },
      },
    },
  });

/** Builds a one-event catalog around `event` under `name`. */
const withEvent = (name: string, event: EventDefinition) => () => defineCatalog({ app: 'todo', events: { [name]: event } });
const withAttribute = (key: string, def: AttributeDefinition) =>
  withEvent('todo.cli.invoked', { description: 'x', attributes: { [key]: def } });

describe('defineCatalog', () => {
  it('accepts a well-formed catalog and keeps its events, attributes and docs', () => {
    const catalog = good();
    expect(catalog.app).toBe('todo');
    expect(catalog.docs).toEqual({ destination: 'https://telemetry.example.com', retention: '90 days' });
    expect(Object.keys(catalog.events)).toEqual(['todo.cli.invoked', 'todo.item.added', 'todo.telemetry.dropped']);
    expect(catalog.events['todo.cli.invoked'].attributes.command).toMatchObject({ kind: 'enum', values: ['add', 'list', 'done'] });
  });

  it('adds the <app>.telemetry.dropped event every catalog gets for free, on the metrics tier only', () => {
    const events = good().events as Record<string, EventDefinition>;
    const dropped = events[`todo${dropEventSuffix}`];
    expect(dropEventSuffix).toBe('.telemetry.dropped');
    expect(dropped).toBeDefined();
    expect(dropped!.description).toMatch(/dropped/i);
    expect(dropped!.tiers).toEqual(['metrics']);
    expect(dropped!.attributes?.reason).toMatchObject({ kind: 'enum', values: ['spool_full', 'corrupt', 'rejected'] });
  });

  it('adds the dropped event even to a catalog with no events of its own', () => {
    const catalog = defineCatalog({ app: 'todo', events: {} });
    expect(Object.keys(catalog.events)).toEqual(['todo.telemetry.dropped']);
  });

  it('keeps an author-declared dropped event rather than replacing it', () => {
    const own: EventDefinition = { description: 'mine', tiers: ['metrics'] };
    const catalog = defineCatalog({ app: 'todo', events: { 'todo.telemetry.dropped': own } });
    expect((catalog.events as Record<string, EventDefinition>)['todo.telemetry.dropped']).toBe(own);
  });

  it('leaves docs out when none are given', () => {
    expect('docs' in defineCatalog({ app: 'todo', events: {} })).toBe(false);
  });

  it.each([
    ['an uppercase app', 'Todo'],
    ['an app starting with a digit', '1todo'],
    ['an empty app', ''],
    ['an app with a dot', 'to.do'],
  ])('rejects %s name', (_, app) => {
    expect(() => defineCatalog({ app, events: {} })).toThrow(/optel catalog: app name/);
  });

  it.each([
    ['not dot-namespaced', 'todoinvoked'],
    ['only two segments', 'todo.invoked'],
    ['uppercase', 'todo.CLI.invoked'],
    ['a camelCase verb', 'todo.cli.invokedNow'],
    ['a dash', 'todo.cli.was-invoked'],
    ['an empty segment', 'todo..invoked'],
    ['a trailing dot', 'todo.cli.invoked.'],
    ['a segment starting with a digit', 'todo.cli.1st'],
  ])('throws at definition time for an event name that is %s', (_, name) => {
    expect(withEvent(name, { description: 'x' })).toThrow(/must be dot-namespaced lowercase/);
  });

  it.each([
    ['another app', 'other.cli.invoked'],
    ['a longer app that merely starts with it', 'todos.cli.invoked'],
  ])('throws for an event of %s', (_, name) => {
    expect(withEvent(name, { description: 'x' })).toThrow(/must start with "todo\."/);
  });

  it('throws for an event without a description', () => {
    expect(withEvent('todo.cli.invoked', { description: '' })).toThrow(/needs a description/);
    expect(withEvent('todo.cli.invoked', {} as EventDefinition)).toThrow(/needs a description/);
  });

  it.each([
    ['uppercase', 'Command'],
    ['a dash', 'exit-code'],
    ['a space', 'exit code'],
    ['a leading dot', '.command'],
    ['a trailing dot', 'command.'],
    ['a leading digit', '1command'],
    ['empty', ''],
  ])('throws for an attribute name with %s', (_, key) => {
    expect(withAttribute(key, attr.boolean())).toThrow(/must be lowercase dotted/);
  });

  it.each<[string, unknown, RegExp]>([
    ['a type name', 'string', /attribute "k": not an attribute definition: make it with attr/],
    ['null', null, /not an attribute definition/],
    ['an unknown kind', { kind: 'float', tier: 'metrics' }, /not an attribute definition/],
    ['no tier', { kind: 'boolean' }, /its tier must be "metrics" or "events"/],
    ['an empty enum', { kind: 'enum', values: [], tier: 'metrics' }, /attribute "k": an enum needs at least one value/],
    ['enum values that are not strings', { kind: 'enum', values: [1], tier: 'metrics' }, /enum values must be strings/],
    ['an int range that is empty', { kind: 'int', min: 5, max: 1, tier: 'metrics' }, /int range 5..1 is empty/],
    ['bucket bounds that are not a list', { kind: 'bucket', bounds: 5, tier: 'metrics' }, /bucket bounds must be an array/],
    ['text without a length', { kind: 'text', tier: 'events' }, /text maxLength must be/],
  ])('throws, naming the attribute, for a hand-made definition with %s', (_, definition, message) => {
    expect(withAttribute('k', definition as AttributeDefinition)).toThrow(message);
  });

  it.each(['event.name', 'service.name', 'app.installation.id'])('throws for the reserved attribute %s', (key) => {
    expect(withAttribute(key, attr.boolean())).toThrow(/is reserved/);
  });

  it('accepts dotted and snake_case attribute names', () => {
    expect(withAttribute('items.count_total', attr.int({ min: 0, max: 5 }))).not.toThrow();
  });

  it('throws for a traces tier without duration: true', () => {
    expect(withEvent('todo.cli.invoked', { description: 'x', tiers: ['metrics', 'traces'] })).toThrow(/spans need duration: true/);
    expect(withEvent('todo.cli.invoked', { description: 'x', tiers: ['traces'], duration: false })).toThrow(/spans need duration/);
    expect(withEvent('todo.cli.invoked', { description: 'x', tiers: ['traces'], duration: true })).not.toThrow();
  });

  it('throws for an empty tiers array: such an event could never be recorded', () => {
    expect(withEvent('todo.cli.invoked', { description: 'x', tiers: [] })).toThrow(/tiers must name at least one tier/);
  });

  it('throws for an unknown tier', () => {
    expect(withEvent('todo.cli.invoked', { description: 'x', tiers: ['logs' as never] })).toThrow(/unknown tier logs/);
  });

  it('names the library in every definition error, as a TypeError', () => {
    expect(withEvent('Bad', { description: 'x' })).toThrow(TypeError);
    expect(withEvent('Bad', { description: 'x' })).toThrow(/^optel catalog: /);
  });

  it('never accepts an app name that none of its events could start with', () => {
    let accepted = true;
    try {
      defineCatalog({ app: 'my-app', events: {} });
    } catch {
      accepted = false;
    }
    if (accepted) {
      expect(() => defineCatalog({ app: 'my-app', events: { 'my-app.cli.run': { description: 'x' } } })).not.toThrow();
    }
  });
});

describe('attribute builders', () => {
  it.each([
    ['an empty enum', () => attr.enum([])],
    ['an enum with a repeated value', () => attr.enum(['a', 'b', 'a'])],
    ['a bucket without bounds', () => attr.bucket([])],
    ['non-ascending bucket bounds', () => attr.bucket([0, 10, 5])],
    ['repeated bucket bounds', () => attr.bucket([0, 1, 1])],
    ['a NaN bucket bound', () => attr.bucket([0, Number.NaN])],
    ['an infinite bucket bound', () => attr.bucket([0, Number.POSITIVE_INFINITY])],
    ['an int range with min > max', () => attr.int({ min: 5, max: 4 })],
    ['a fractional int bound', () => attr.int({ min: 0, max: 1.5 })],
    ['an unsafe int bound', () => attr.int({ min: 0, max: 2 ** 60 })],
    ['text with maxLength 0', () => attr.text({ maxLength: 0 })],
    ['text with a negative maxLength', () => attr.text({ maxLength: -1 })],
    ['text with a fractional maxLength', () => attr.text({ maxLength: 2.5 })],
    ['text longer than 1024', () => attr.text({ maxLength: 1025 })],
  ])('throws at definition time for %s', (_, build) => {
    expect(build).toThrow(/^optel catalog: /);
  });

  it.each([
    ['an enum', () => attr.enum(['a']), { kind: 'enum', values: ['a'], tier: 'metrics' }],
    ['a boolean', () => attr.boolean(), { kind: 'boolean', tier: 'metrics' }],
    ['a one-value int range', () => attr.int({ min: 3, max: 3 }), { kind: 'int', min: 3, max: 3, tier: 'metrics' }],
    ['a one-bound bucket', () => attr.bucket([10]), { kind: 'bucket', bounds: [10], tier: 'metrics' }],
    ['a semver', () => attr.semver(), { kind: 'semver', tier: 'metrics' }],
    ['a hashed id (events tier by default)', () => attr.hashed(), { kind: 'hashed', tier: 'events' }],
    ['a text (events tier by default)', () => attr.text({ maxLength: 1024 }), { kind: 'text', maxLength: 1024, tier: 'events' }],
  ])('builds %s with its default tier', (_, build, expected) => {
    expect(build()).toEqual(expected);
  });

  it('lets the author move an attribute to another tier and describe it', () => {
    expect(attr.hashed({ tier: 'events', description: 'why' })).toEqual({ kind: 'hashed', tier: 'events', description: 'why' });
    expect(attr.boolean({ tier: 'events' }).tier).toBe('events');
  });

  it('never lets free text or a hashed id be a metric attribute, from the builders or a hand-written definition', () => {
    expect(() => attr.text({ maxLength: 10 }, { tier: 'metrics' })).toThrow('optel catalog: free text may only travel in the events tier (log records and spans), never as a metric attribute');
    expect(() => attr.hashed({ tier: 'metrics' })).toThrow('optel catalog: a hashed id may only travel in the events tier');
    const handWritten = { kind: 'hashed', tier: 'metrics' } as unknown as ReturnType<typeof attr.hashed>;
    expect(() => defineCatalog({ app: 'x', events: { 'x.a.b': { description: 'd', attributes: { id: handWritten } } } }))
      .toThrow('optel catalog: event "x.a.b": attribute "id": a hashed id may only travel in the events tier');
  });

  it.each([
    ['attr.enum with a string', () => attr.enum('abc' as unknown as string[]), "attr.enum() takes an array of strings, e.g. attr.enum(['add', 'list'])"],
    ['attr.int with nothing', () => (attr.int as (r?: unknown) => unknown)(), 'attr.int() takes its range, e.g. attr.int({ min: 0, max: 10 })'],
    ['attr.bucket with a number', () => attr.bucket(5 as unknown as number[]), 'attr.bucket() takes an array of bounds, e.g. attr.bucket([0, 10, 100])'],
    ['attr.text with nothing', () => (attr.text as (l?: unknown) => unknown)(), 'attr.text() takes its limit, e.g. attr.text({ maxLength: 200 })'],
    ['options that are not an object', () => attr.boolean('events' as unknown as { tier: 'events' }), 'attribute options must be an object, e.g. { tier: "events" }'],
  ])('explains a builder called wrongly (%s) instead of failing inside it', (_, build, message) => {
    expect(build).toThrow(`optel catalog: ${message}`);
  });

  it('refuses keys a definition does not know, which would otherwise do nothing without a word', () => {
    expect(() => defineCatalog({ app: 'x', events: { 'x.a.b': { description: 'd', duraton: true } as never } }))
      .toThrow('optel catalog: event "x.a.b": unknown key "duraton" (expected description, attributes, duration, tiers)');
    expect(() => defineCatalog({ app: 'x', events: {}, doc: {} } as never)).toThrow('optel catalog: the catalog: unknown key "doc" (expected app, events, docs)');
    expect(() => defineCatalog({ app: 'x', events: { 'x.a.b': 'an event' } as never })).toThrow('optel catalog: event "x.a.b" must be an object with a description');
  });

  it('refuses a description or docs that are not text, and events given as an array, naming the field', () => {
    expect(withEvent('todo.cli.invoked', { description: 5 } as never)).toThrow('optel catalog: event "todo.cli.invoked": description must be a string');
    expect(() => defineCatalog({ app: 'x', events: {}, docs: { destination: 5 } } as never)).toThrow('optel catalog: docs.destination must be a string');
    expect(() => defineCatalog({ app: 'x', events: {}, docs: { contact: ['a'] } } as never)).toThrow('optel catalog: docs.contact must be a string');
    expect(() => defineCatalog({ app: 'x', events: {}, docs: 'see the site' } as never)).toThrow('optel catalog: docs must be an object (destination, retention, contact)');
    expect(() => defineCatalog({ app: 'x', events: [] as never })).toThrow('optel catalog: the catalog needs an events object, by event name');
    expect(withEvent('todo.cli.invoked', { description: 'x', attributes: [] } as never)).toThrow('optel catalog: event "todo.cli.invoked": attributes must be an object');
    for (const nothing of [null, undefined, 'todo']) expect(() => defineCatalog(nothing as never)).toThrow('optel catalog: defineCatalog needs an object: { app, events }');
  });

  it('copies the values and bounds it is given, so later mutation cannot widen the allowlist', () => {
    const values = ['a', 'b'];
    const bounds = [1, 2];
    const e = attr.enum(values);
    const b = attr.bucket(bounds);
    values.push('c');
    bounds.push(0);
    expect(e.values).toEqual(['a', 'b']);
    expect(b.bounds).toEqual([1, 2]);
  });

  it('keeps an enum fallback only when one is given', () => {
    expect(attr.enum(['a'], { fallback: '_OTHER' }).fallback).toBe('_OTHER');
    expect('fallback' in attr.enum(['a'])).toBe(false);
  });
});

describe('outcome()', () => {
  it('declares success and a closed error.type falling back to _OTHER', () => {
    const o = outcome();
    expect(o.success).toMatchObject({ kind: 'boolean', tier: 'metrics' });
    expect(o['error.type']).toMatchObject({ kind: 'enum', fallback: '_OTHER', tier: 'metrics' });
    expect(o['error.type'].values).toEqual([...DEFAULT_ERROR_TYPES]);
  });

  it('appends the author’s own error classes', () => {
    expect(outcome(['QuotaError'])['error.type'].values).toContain('QuotaError');
  });
});

describe('eventTiers', () => {
  it.each<[string, EventDefinition, readonly string[]]>([
    ['an untimed event: metrics and events', { description: 'x' }, ['metrics', 'events']],
    ['an explicitly untimed event: metrics and events', { description: 'x', duration: false }, ['metrics', 'events']],
    ['a timed event: all three', { description: 'x', duration: true }, ['metrics', 'events', 'traces']],
    ['explicit tiers: exactly those', { description: 'x', duration: true, tiers: ['events'] }, ['events']],
    ['explicit empty tiers: none', { description: 'x', tiers: [] }, []],
  ])('gives %s', (_, event, tiers) => {
    expect(eventTiers(event)).toEqual(tiers);
  });
});

describe('semantic-convention names', () => {
  it.each<[string, string, string]>([
    ['ATTR_SERVICE_NAME', names.ATTR_SERVICE_NAME, stable.ATTR_SERVICE_NAME],
    ['ATTR_SERVICE_VERSION', names.ATTR_SERVICE_VERSION, stable.ATTR_SERVICE_VERSION],
    ['ATTR_SERVICE_NAMESPACE', names.ATTR_SERVICE_NAMESPACE, stable.ATTR_SERVICE_NAMESPACE],
    ['ATTR_DEPLOYMENT_ENVIRONMENT_NAME', names.ATTR_DEPLOYMENT_ENVIRONMENT_NAME, stable.ATTR_DEPLOYMENT_ENVIRONMENT_NAME],
    ['ATTR_TELEMETRY_SDK_NAME', names.ATTR_TELEMETRY_SDK_NAME, stable.ATTR_TELEMETRY_SDK_NAME],
    ['ATTR_TELEMETRY_SDK_LANGUAGE', names.ATTR_TELEMETRY_SDK_LANGUAGE, stable.ATTR_TELEMETRY_SDK_LANGUAGE],
    ['ATTR_TELEMETRY_SDK_VERSION', names.ATTR_TELEMETRY_SDK_VERSION, stable.ATTR_TELEMETRY_SDK_VERSION],
    ['ATTR_ERROR_TYPE', names.ATTR_ERROR_TYPE, stable.ATTR_ERROR_TYPE],
    ['ERROR_TYPE_VALUE_OTHER', names.ERROR_TYPE_VALUE_OTHER, stable.ERROR_TYPE_VALUE_OTHER],
    ['ATTR_APP_INSTALLATION_ID', names.ATTR_APP_INSTALLATION_ID, incubating.ATTR_APP_INSTALLATION_ID],
    ['ATTR_OS_TYPE', names.ATTR_OS_TYPE, incubating.ATTR_OS_TYPE],
    ['ATTR_HOST_ARCH', names.ATTR_HOST_ARCH, incubating.ATTR_HOST_ARCH],
    ['ATTR_PROCESS_RUNTIME_NAME', names.ATTR_PROCESS_RUNTIME_NAME, incubating.ATTR_PROCESS_RUNTIME_NAME],
    ['ATTR_PROCESS_RUNTIME_VERSION', names.ATTR_PROCESS_RUNTIME_VERSION, incubating.ATTR_PROCESS_RUNTIME_VERSION],
    ['ATTR_PROCESS_EXIT_CODE', names.ATTR_PROCESS_EXIT_CODE, incubating.ATTR_PROCESS_EXIT_CODE],
    // Deprecated upstream in favour of the LogRecord's EventName field; optel still sets both.
    ['ATTR_EVENT_NAME', names.ATTR_EVENT_NAME, incubating.ATTR_EVENT_NAME],
  ])('pins %s to the official package', (_, ours, official) => {
    expect(official).toEqual(expect.any(String));
    expect(ours).toBe(official);
  });

  it('lets only resource attributes that carry no path, host or user name through', () => {
    expect([...names.RESOURCE_ATTRIBUTE_ALLOWLIST].sort()).toEqual(
      [
        'app.installation.id', 'host.arch', 'os.type', 'process.runtime.name', 'process.runtime.version',
        'deployment.environment.name', 'service.name', 'service.namespace', 'service.version', 'telemetry.sdk.language',
        'telemetry.sdk.name', 'telemetry.sdk.version',
      ].sort(),
    );
  });

  it('uses the OTel units and ascending CLI-sized duration buckets', () => {
    expect(names.UNIT_EVENT).toBe('{event}');
    expect(names.UNIT_SECONDS).toBe('s');
    const b = names.DURATION_BUCKETS_SECONDS;
    expect(b.every((x, i) => i === 0 || x > b[i - 1]!)).toBe(true);
    expect(b[0]).toBeLessThanOrEqual(0.01);
    expect(b[b.length - 1]).toBeGreaterThanOrEqual(60);
  });
});
