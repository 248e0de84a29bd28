import { describe, expect, it } from 'vitest';
import { attr, defineCatalog, outcome } from '../../src/semconv/index.js';
import { createHasher, newSalt } from '../../src/privacy/hash.js';
import {
  checkAttributes,
  compileCatalog,
  encodeAttributes,
  type CompiledEvent,
  type WireAttributes,
} from '../../src/privacy/validator.js';
import { rng } from '../gateway/random-otlp.js';

const catalog = defineCatalog({
  app: 'todo',
  events: {
    'todo.cli.invoked': {
      description: 'A command was run.',
      duration: true,
      attributes: {
        command: attr.enum(['add', 'list', 'done'], { fallback: '_OTHER' }),
        format: attr.enum(['json', 'text']),
        interactive: attr.boolean(),
        'exit.code': attr.int({ min: 0, max: 255 }),
        'items.count': attr.bucket([0, 1, 10, 100]),
        'node.version': attr.semver(),
        project: attr.hashed(),
        note: attr.text({ maxLength: 24 }),
        ...outcome(),
      },
    },
    'todo.item.added': {
      description: 'An item was added.',
      tiers: ['events'],
      attributes: { session: attr.hashed() },
    },
    'todo.config.read': { description: 'Configuration was read.' },
  },
});

const index = compileCatalog(catalog);
const invoked = index.event('todo.cli.invoked')!;
const hash = createHasher(newSalt());

/** Encodes while collecting every drop reason. */
function enc(input: unknown, withExtra = true, event: CompiledEvent = invoked) {
  const drops: string[] = [];
  const extra: WireAttributes | undefined = withExtra ? {} : undefined;
  const metrics = encodeAttributes(event, input as Record<string, unknown>, hash, extra, (r) => drops.push(r));
  return { metrics, extra, drops };
}

describe('compileCatalog', () => {
  it('indexes every event, in declaration order, with the dropped event last', () => {
    expect(index.app).toBe('todo');
    expect(index.catalog).toBe(catalog);
    expect(index.events().map((e) => e.name)).toEqual(['todo.cli.invoked', 'todo.item.added', 'todo.config.read', 'todo.telemetry.dropped']);
    expect(index.event('todo.nope.nope')).toBeUndefined();
  });

  it('knows each event’s tiers, duration and attribute rules', () => {
    expect([...invoked.tiers]).toEqual(['metrics', 'events', 'traces']);
    expect(invoked.duration).toBe(true);
    expect([...invoked.rules.keys()]).toContain('error.type');
    expect(invoked.rules.get('project')!.tier).toBe('events');
    const added = index.event('todo.item.added')!;
    expect([...added.tiers]).toEqual(['events']);
    expect(added.duration).toBe(false);
    expect([...index.event('todo.config.read')!.tiers]).toEqual(['metrics', 'events']);
  });

  it('maps metric instrument names back to events: .count for every metrics event, .duration only for timed ones', () => {
    expect(index.instrument('todo.cli.invoked.count')).toEqual({ event: invoked, kind: 'count' });
    expect(index.instrument('todo.cli.invoked.duration')).toEqual({ event: invoked, kind: 'duration' });
    expect(index.instrument('todo.config.read.count')?.kind).toBe('count');
    expect(index.instrument('todo.config.read.duration')).toBeUndefined();
    expect(index.instrument('todo.telemetry.dropped.count')?.kind).toBe('count');
    // An events-only event has no instruments at all.
    expect(index.instrument('todo.item.added.count')).toBeUndefined();
    expect(index.instrument('todo.cli.invoked')).toBeUndefined();
  });
});

describe('encodeAttributes', () => {
  it('keeps declared, well-typed attributes and splits them by tier', () => {
    const out = enc({
      command: 'add',
      interactive: false,
      'exit.code': 0,
      'items.count': 12,
      'node.version': 'v20.11.1',
      project: '/home/alice/acme',
      note: 'hello',
      success: true,
    });
    expect(out.drops).toEqual([]);
    expect(out.metrics).toEqual({
      command: 'add',
      interactive: false,
      'exit.code': 0,
      'items.count': '10-100',
      'node.version': '20.11.1',
      success: true,
    });
    expect(out.extra).toEqual({ project: hash('/home/alice/acme'), note: 'hello' });
  });

  it('drops an unknown attribute with a reason via the drop callback, keeping the rest', () => {
    const out = enc({ command: 'list', cwd: '/home/alice' });
    expect(out.metrics).toEqual({ command: 'list' });
    expect(out.drops).toEqual(['attribute "cwd" of "todo.cli.invoked" is not in the catalog']);
  });

  it.each([
    ['a string for a boolean', { interactive: 'yes' }, /attribute "interactive" of "todo.cli.invoked": expected a boolean, got a string/],
    ['a number for an enum', { format: 1 }, /"format" .*expected one of the enum values, got a number/],
    ['an enum value outside the set', { format: 'xml' }, /"format" .*value is not in the enum/],
    ['NaN for an int', { 'exit.code': Number.NaN }, /"exit.code" .*expected an integer, got a number/],
    ['Infinity for an int', { 'exit.code': Number.POSITIVE_INFINITY }, /"exit.code" .*expected an integer/],
    ['an int above the range', { 'exit.code': 256 }, /"exit.code" .*integer out of range 0..255/],
    ['an int below the range', { 'exit.code': -1 }, /"exit.code" .*integer out of range 0..255/],
    ['NaN for a bucket', { 'items.count': Number.NaN }, /"items.count" .*expected a finite number/],
    ['an array', { command: ['add'] }, /"command" .*got an array/],
    ['an object', { interactive: { value: true } }, /"interactive" .*got an object/],
    ['null', { 'exit.code': null }, /"exit.code" .*got null/],
    ['an array for text', { note: ['a', 'b'] }, /"note" .*expected a string, got an array/],
    ['an object for a hashed id', { project: { path: '/home/alice' } }, /"project" .*got an object/],
    ['garbage for a semver', { 'node.version': 'latest' }, /"node.version" .*not a semantic version/],
    ['an empty hashed id', { project: '' }, /"project" .*expected a non-empty string/],
  ])('drops %s with a reason, never throwing', (_, input, reason) => {
    const out = enc(input);
    expect(out.metrics).toEqual({});
    expect(out.extra).toEqual({});
    expect(out.drops).toHaveLength(1);
    expect(out.drops[0]).toMatch(reason);
  });

  it('maps an unknown enum value to its fallback instead of dropping it', () => {
    const out = enc({ command: 'rm -rf /home/alice' });
    expect(out.metrics).toEqual({ command: '_OTHER' });
    expect(out.drops).toEqual([]);
    expect(enc({ 'error.type': 'MyCustomError' }).metrics).toEqual({ 'error.type': '_OTHER' });
    expect(enc({ 'error.type': 'ENOENT' }).metrics).toEqual({ 'error.type': 'ENOENT' });
  });

  it('leaves events-only attributes out, silently, when the richer tiers are off', () => {
    const out = enc({ project: '/home/alice/acme', note: 'hi', command: 'add' }, false);
    expect(out.metrics).toEqual({ command: 'add' });
    expect(out.extra).toBeUndefined();
    expect(out.drops).toEqual([]);
  });

  it('does not even hash an events-only id when the richer tiers are off', () => {
    let calls = 0;
    encodeAttributes(invoked, { project: 'x' }, (v) => (calls++, hash(v)), undefined, () => {});
    expect(calls).toBe(0);
  });

  it('never places an events-tier attribute in metrics', () => {
    const out = enc({ project: 'a', note: 'b' });
    expect(Object.keys(out.metrics)).toEqual([]);
    expect(Object.keys(out.extra!)).toEqual(['project', 'note']);
  });

  it('returns empty attributes for no input, and drops a non-object input', () => {
    expect(enc(undefined)).toEqual({ metrics: {}, extra: {}, drops: [] });
    expect(enc(null, false)).toEqual({ metrics: {}, extra: undefined, drops: [] });
    const s = enc('command=add');
    expect(s.metrics).toEqual({});
    expect(s.drops).toEqual(['attributes of "todo.cli.invoked" must be an object']);
    expect(enc(42).drops).toHaveLength(1);
  });

  it('treats an array of attributes as an object whose keys are not in the catalog', () => {
    const out = enc(['add']);
    expect(out.metrics).toEqual({});
    expect(out.drops).toEqual(['attribute "0" of "todo.cli.invoked" is not in the catalog']);
  });

  it('is not fooled by prototype keys', () => {
    const out = enc(JSON.parse('{"__proto__": {"command": "add"}, "constructor": 1, "toString": "x"}'));
    expect(out.metrics).toEqual({});
    expect(Object.getPrototypeOf(out.metrics)).toBe(Object.prototype);
    expect(out.drops).toHaveLength(3);
  });

  it('drops every attribute of an event that declares none', () => {
    const out = enc({ anything: 1 }, true, index.event('todo.config.read')!);
    expect(out.metrics).toEqual({});
    expect(out.drops).toEqual(['attribute "anything" of "todo.config.read" is not in the catalog']);
  });

  it('redacts text and then caps it', () => {
    expect(enc({ note: 'by alice@example.com' }).extra).toEqual({ note: 'by <email>' });
    expect(enc({ note: 'x'.repeat(100) }).extra).toEqual({ note: 'x'.repeat(24) });
  });
});

describe('checkAttributes (the gateway side)', () => {
  it('accepts well-formed wire attributes on the events tier', () => {
    const wire = { command: 'add', 'items.count': '1-10', project: hash('p'), note: 'ok' };
    expect(checkAttributes(invoked, 'events', wire)).toEqual({ attributes: wire, rejected: [] });
    expect(checkAttributes(invoked, 'traces', wire)).toEqual({ attributes: wire, rejected: [] });
  });

  it('rejects events-only attributes arriving on the metrics tier', () => {
    const out = checkAttributes(invoked, 'metrics', { command: 'add', project: hash('p'), note: 'hi' });
    expect(out.attributes).toEqual({ command: 'add' });
    expect(out.rejected).toEqual(['project: not allowed on the metrics tier', 'note: not allowed on the metrics tier']);
  });

  it('rejects unknown attributes with a reason', () => {
    const out = checkAttributes(invoked, 'events', { 'host.name': 'alice-laptop', command: 'list' });
    expect(out.attributes).toEqual({ command: 'list' });
    expect(out.rejected).toEqual(['host.name: not in the catalog']);
  });

  it('re-redacts text that the client sent unredacted, and caps it', () => {
    const out = checkAttributes(invoked, 'events', { note: 'token for bob@example.org is here and long' });
    expect(out.attributes.note).toBe('token for <email> is her');
    expect(out.rejected).toEqual([]);
  });

  it.each([
    ['a raw number for a bucket', { 'items.count': 7 }, 'items.count: not a bucket label of this attribute'],
    ['an unhashed id', { project: '/home/alice/acme' }, 'project: not a hashed identifier'],
    ['an unreduced version', { 'node.version': 'v20.11.1' }, 'node.version: not a reduced semantic version'],
    ['an int out of range', { 'exit.code': 1000 }, 'exit.code: integer out of range 0..255'],
    ['an enum value outside the set', { format: 'xml' }, 'format: value is not in the enum'],
    ['a boolean as a string', { success: 'true' }, 'success: expected a boolean, got a string'],
    ['an array', { command: ['add'] }, 'command: expected one of the enum values, got an array'],
    ['an object', { note: { text: 'x' } }, 'note: expected a string, got an object'],
  ])('rejects %s that the SDK would never have produced', (_, wire, reason) => {
    expect(checkAttributes(invoked, 'events', wire)).toEqual({ attributes: {}, rejected: [reason] });
  });
});

// ---- property-style: the gateway accepts exactly what the SDK produces ------------------------

const FRAGMENTS = [
  'add', 'list', 'done', 'json', 'xml', '_OTHER', 'ENOENT', 'TypeError', 'v1.2.3', '1.2.3-beta.4+build', '0.0.1-rc.1',
  '1.2', 'alice@example.com', '/home/alice/acme', 'C:\\Users\\bob\\x', '192.168.1.20', 'fe80::1', 'aa:bb:cc:dd:ee:ff',
  'https://u:p@example.com/x', 'Bearer abc.def', 'password=hunter2', '+1 415 555 0100', 'alice-macbook.local',
  ' ', '😀', 'é', '\n', 'x'.repeat(30), '12345678901234', '', '<email>', '<', '>',
];

function randomValue(r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  switch (Math.floor(r() * 9)) {
    case 0: return r() < 0.5;
    case 1: return Math.floor(r() * 600) - 100;
    case 2: return (r() - 0.3) * 10 ** Math.floor(r() * 6);
    case 3: return pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_SAFE_INTEGER]);
    case 4: return pick([null, undefined, [], ['add'], {}, { a: 1 }]);
    default: {
      let s = '';
      const n = 1 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) s += pick(FRAGMENTS) + (r() < 0.5 ? ' ' : '');
      return s;
    }
  }
}

describe('the SDK side and the gateway side agree', () => {
  const keys = [...invoked.rules.keys()];

  /** Encodes many random inputs (only `only` keys) and checks the gateway keeps exactly what left the SDK. */
  function roundTrip(seed: number, only: readonly string[]): number {
    const r = rng(seed);
    let encoded = 0;
    for (let i = 0; i < 3000; i++) {
      const input: Record<string, unknown> = {};
      for (const key of only) if (r() < 0.6) input[key] = randomValue(r);
      const extra: WireAttributes = {};
      const metrics = encodeAttributes(invoked, input, hash, extra, () => {});
      encoded += Object.keys(metrics).length + Object.keys(extra!).length;

      // Every value that leaves the SDK is a primitive...
      for (const v of [...Object.values(metrics), ...Object.values(extra!)]) expect(['string', 'number', 'boolean']).toContain(typeof v);
      // ...and the gateway keeps exactly it, on every tier it may travel in.
      const ctx = JSON.stringify(input);
      const all = { ...metrics, ...extra };
      expect(checkAttributes(invoked, 'metrics', metrics), ctx).toEqual({ attributes: metrics, rejected: [] });
      expect(checkAttributes(invoked, 'events', all), ctx).toEqual({ attributes: all, rejected: [] });
      expect(checkAttributes(invoked, 'traces', all), ctx).toEqual({ attributes: all, rejected: [] });
    }
    return encoded;
  }

  it('on every structured attribute the SDK encodes, over many random inputs', () => {
    expect(roundTrip(20240601, keys.filter((k) => k !== 'note'))).toBeGreaterThan(3000);
  });

  it('on free-form text too, over many random inputs', () => {
    roundTrip(20240601, keys);
  });

  it('and the gateway refuses raw values that were never encoded', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const raw = randomValue(r);
      const rawNumber = typeof raw === 'number' ? raw : 3;
      expect(checkAttributes(invoked, 'events', { 'items.count': rawNumber }).attributes).toEqual({});
      if (typeof raw === 'string' && !/^[0-9a-f]{32}$/.test(raw)) {
        expect(checkAttributes(invoked, 'events', { project: raw }).attributes, raw).toEqual({});
      }
      if (typeof raw === 'string' && !/^\d+\.\d+\.\d+(-[a-z]+)?$/.test(raw)) {
        expect(checkAttributes(invoked, 'events', { 'node.version': raw }).attributes, raw).toEqual({});
      }
    }
  });
});
