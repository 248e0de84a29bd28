import { describe, expect, it } from 'vitest';
import { attr, type AttributeDefinition } from '../../src/semconv/index.js';
import { createHasher } from '../../src/privacy/hash.js';
import { redact } from '../../src/privacy/redact.js';
import {
  bucketLabel,
  bucketLabels,
  compileRule,
  HASHED_ID_LENGTH,
  normalizeSemver,
  type Rejection,
  type WireValue,
} from '../../src/privacy/rules.js';

// Token-shaped fixtures are assembled at runtime so secret scanners never see a literal token here.
const GHP = `ghp_${'a1B2c3D4e5F6'.repeat(3)}`;

const hash = createHasher('0123456789abcdef0123456789abcdef');
const isRejection = (v: WireValue | Rejection): v is Rejection => typeof v === 'object';
const encode = (def: AttributeDefinition, input: unknown) => compileRule(def).encode(input, hash);
const accepts = (def: AttributeDefinition, wire: unknown) => compileRule(def).accepts(wire);

/** Values no attribute of any kind may carry: composites, and nothing at all. */
const COMPOSITES: ReadonlyArray<[string, unknown]> = [
  ['an array', ['a']],
  ['an empty array', []],
  ['an object', { a: 1 }],
  ['null', null],
  ['undefined', undefined],
  ['a function', () => 'a'],
  ['a symbol', Symbol('a')],
  ['a bigint', 1n],
  ['a Date', new Date(0)],
];

const EVERY_KIND: ReadonlyArray<[string, AttributeDefinition]> = [
  ['enum', attr.enum(['a', 'b'])],
  ['enum with fallback', attr.enum(['a', 'b'], { fallback: '_OTHER' })],
  ['boolean', attr.boolean()],
  ['int', attr.int({ min: 0, max: 10 })],
  ['bucket', attr.bucket([0, 10])],
  ['semver', attr.semver()],
  ['hashed', attr.hashed()],
  ['text', attr.text({ maxLength: 20 })],
];

describe('every attribute kind', () => {
  for (const [kind, def] of EVERY_KIND) {
    it.each(COMPOSITES)(`${kind}: rejects %s on both the SDK and the gateway side`, (_, value) => {
      const e = encode(def, value);
      const a = accepts(def, value);
      expect(isRejection(e) && e.rejected).toBeTruthy();
      expect(isRejection(a) && a.rejected).toBeTruthy();
    });
  }

  it('keeps the tier of the definition', () => {
    expect(compileRule(attr.hashed()).tier).toBe('events');
    expect(compileRule(attr.enum(['a'])).tier).toBe('metrics');
    expect(compileRule(attr.boolean({ tier: 'events' })).tier).toBe('events');
  });
});

describe('enum', () => {
  const plain = attr.enum(['add', 'list']);
  const withFallback = attr.enum(['add', 'list'], { fallback: '_OTHER' });

  it.each([
    ['a declared value', plain, 'add', 'add'],
    ['a declared value (fallback set)', withFallback, 'list', 'list'],
    ['an unknown value mapped to the fallback', withFallback, 'remove', '_OTHER'],
    ['the fallback itself', withFallback, '_OTHER', '_OTHER'],
    ['a different-case value mapped to the fallback', withFallback, 'ADD', '_OTHER'],
  ])('encodes %s', (_, def, input, wire) => {
    expect(encode(def, input)).toBe(wire);
    expect(accepts(def, wire)).toBe(wire);
  });

  it.each([
    ['an unknown value without a fallback', 'remove'],
    ['a different-case value without a fallback', 'Add'],
    ['the empty string', ''],
    ['"_OTHER" when no fallback is declared', '_OTHER'],
  ])('rejects %s', (_, input) => {
    expect(encode(plain, input)).toEqual({ rejected: 'value is not in the enum' });
    expect(accepts(plain, input)).toEqual({ rejected: 'value is not in the enum' });
  });

  it.each([1, true, Number.NaN])('rejects the non-string %s even with a fallback', (input) => {
    expect(encode(withFallback, input)).toEqual({ rejected: expect.stringMatching(/^expected one of the enum values, got a /) });
  });
});

describe('boolean', () => {
  it.each([true, false])('passes %s through', (b) => {
    expect(encode(attr.boolean(), b)).toBe(b);
    expect(accepts(attr.boolean(), b)).toBe(b);
  });

  it.each([['the string "true"', 'true'], ['1', 1], ['0', 0]])('rejects %s', (_, input) => {
    expect(encode(attr.boolean(), input)).toEqual({ rejected: expect.stringMatching(/^expected a boolean, got a /) });
  });
});

describe('int', () => {
  const def = attr.int({ min: -5, max: 5 });

  it.each([-5, 0, 5, -0])('accepts %s inside [min, max] (bounds inclusive)', (n) => {
    expect(encode(def, n)).toBe(n);
    expect(accepts(def, n)).toBe(n);
  });

  it.each([-6, 6, Number.MAX_SAFE_INTEGER])('rejects %s outside the range', (n) => {
    expect(encode(def, n)).toEqual({ rejected: 'integer out of range -5..5' });
  });

  it.each([
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a numeric string', '3'],
  ])('rejects %s', (_, input) => {
    expect(encode(def, input)).toEqual({ rejected: expect.stringMatching(/^expected an integer/) });
    expect(accepts(def, input)).toEqual({ rejected: expect.stringMatching(/^expected an integer/) });
  });
});

describe('bucketLabel and bucketLabels', () => {
  const bounds = [0, 1, 5, 10, 50];

  it('lists every label in order: below the first, [bi, bj) ranges, and above the last', () => {
    expect(bucketLabels(bounds)).toEqual(['<0', '0-1', '1-5', '5-10', '10-50', '50+']);
    expect(bucketLabels([10])).toEqual(['<10', '10+']);
  });

  it.each([
    [-1, '<0'],
    [-0.0001, '<0'],
    [0, '0-1'],
    [0.5, '0-1'],
    [1, '1-5'],
    [4.999, '1-5'],
    [5, '5-10'],
    [10, '10-50'],
    [49.9, '10-50'],
    [50, '50+'],
    [1e9, '50+'],
  ])('puts %s in %s (a value exactly on a bound starts the next bucket)', (value, label) => {
    expect(bucketLabel(bounds, value)).toBe(label);
    expect(bucketLabels(bounds)).toContain(label);
  });

  it('handles fractional bounds', () => {
    expect(bucketLabel([0.5, 2.5], 1)).toBe('0.5-2.5');
    expect(bucketLabels([0.5, 2.5])).toEqual(['<0.5', '0.5-2.5', '2.5+']);
  });

  it('reports a number only as its label, and the gateway accepts only labels', () => {
    const def = attr.bucket(bounds);
    expect(encode(def, 7)).toBe('5-10');
    expect(accepts(def, '5-10')).toBe('5-10');
    expect(accepts(def, 7)).toEqual({ rejected: 'not a bucket label of this attribute' });
    expect(accepts(def, '7')).toEqual({ rejected: 'not a bucket label of this attribute' });
    expect(accepts(def, '5-11')).toEqual({ rejected: 'not a bucket label of this attribute' });
    expect(accepts(attr.bucket([1, 2]), '5-10')).toEqual({ rejected: 'not a bucket label of this attribute' });
  });

  it.each([['NaN', Number.NaN], ['a numeric string', '7'], ['a boolean', true]])('rejects %s on the SDK side', (_, input) => {
    expect(encode(attr.bucket(bounds), input)).toEqual({ rejected: expect.stringMatching(/^expected a/) });
  });

  it.each([
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('rejects %s on the SDK side like NaN', (_, input) => {
    expect(encode(attr.bucket(bounds), input)).toEqual({ rejected: expect.stringMatching(/^expected a/) });
  });
});

describe('normalizeSemver', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['0.0.0', '0.0.0'],
    ['v1.2.3-beta.4+build', '1.2.3-beta'],
    ['1.2.3-beta.4+build.5', '1.2.3-beta'],
    ['1.2.3+build', '1.2.3'],
    ['1.2.3-alice', '1.2.3'],
    ['1.2.3-alpha', '1.2.3-alpha'],
    ['1.2.3-rc.1', '1.2.3-rc'],
    ['1.2.3-next.20240101', '1.2.3-next'],
    ['1.2.3-canary.abc', '1.2.3-canary'],
    ['1.2.3-nightly', '1.2.3-nightly'],
    ['1.2.3-0.3.7', '1.2.3'],
    ['10.20.30', '10.20.30'],
    ['999999999.0.1', '999999999.0.1'],
  ])('reduces %s to %s', (input, out) => {
    expect(normalizeSemver(input)).toBe(out);
  });

  it.each([
    'garbage',
    '',
    '1.2',
    '1.2.3.4',
    '01.2.3',
    '1.02.3',
    'V1.2.3',
    ' 1.2.3',
    '1.2.3 ',
    '1.2.3-',
    '1.2.3-beta_1',
    '1234567890.0.0',
    '/home/alice/1.2.3',
    '1.2.3-alice@example.com',
  ])('refuses %j', (input) => {
    expect(normalizeSemver(input)).toBeUndefined();
  });

  it('keeps the preview tag as preview', () => {
    expect(normalizeSemver('1.2.3-preview.2')).toBe('1.2.3-preview');
  });

  it('keeps a pre-release tag only when it is a known word on its own, so a name never leaves the machine', () => {
    expect(normalizeSemver('1.2.3-devin.smith')).toBe('1.2.3');
    expect(normalizeSemver('1.2.3-betaalice')).toBe('1.2.3');
    expect(normalizeSemver('1.2.3-beta2')).toBe('1.2.3-beta');
  });

  it('is applied by the semver rule, and the gateway accepts only reduced versions', () => {
    const def = attr.semver();
    expect(encode(def, 'v1.2.3-beta.4+build')).toBe('1.2.3-beta');
    expect(encode(def, 'garbage')).toEqual({ rejected: 'not a semantic version' });
    expect(encode(def, 123)).toEqual({ rejected: 'expected a version string, got a number' });
    expect(accepts(def, '1.2.3-beta')).toBe('1.2.3-beta');
    for (const raw of ['v1.2.3', '1.2.3-beta.4', '1.2.3+build', '1.2.3-alice', 'garbage']) {
      expect(accepts(def, raw), raw).toEqual({ rejected: 'not a reduced semantic version' });
    }
  });
});

describe('hashed ids', () => {
  const def = attr.hashed();

  it('are HMAC-hashed to 32 lowercase hex characters, never the input', () => {
    for (const id of ['/home/alice/acme', 'a', 'session-1', '0123456789abcdef0123456789abcdef']) {
      const wire = encode(def, id);
      expect(wire).toMatch(/^[0-9a-f]{32}$/);
      expect(wire).toHaveLength(HASHED_ID_LENGTH);
      expect(wire).not.toBe(id);
      expect(accepts(def, wire)).toBe(wire);
    }
  });

  it('rejects an empty or non-string id', () => {
    expect(encode(def, '')).toEqual({ rejected: 'expected a non-empty string, got a string' });
    expect(encode(def, 42)).toEqual({ rejected: 'expected a non-empty string, got a number' });
  });

  it.each([
    ['an unhashed id', '/home/alice/acme'],
    ['uppercase hex', 'ABCDEF0123456789ABCDEF0123456789'],
    ['too short', '0123456789abcdef'],
    ['too long (a full SHA-256)', '0'.repeat(64)],
    ['a number', 42],
  ])('are refused by the gateway when %s', (_, wire) => {
    expect(accepts(def, wire)).toEqual({ rejected: 'not a hashed identifier' });
  });
});

describe('text', () => {
  it('redacts, then caps at maxLength', () => {
    const def = attr.text({ maxLength: 12 });
    expect(encode(def, 'mail alice@example.com now')).toBe('mail <email>');
    expect(encode(def, 'plain words that go on')).toBe('plain words ');
    expect(encode(def, 'short')).toBe('short');
  });

  it('redacts before capping, so a key cut in half is not leaked', () => {
    // Capping first would keep "key ghp_a1B2c3D4e5F6a1B2", no longer long enough to look like a key.
    const def = attr.text({ maxLength: 24 });
    const wire = encode(def, `key ${GHP} rest`);
    expect(wire).toBe('key <api-key> rest');
    expect(String(wire)).not.toContain('a1B2c3D4');
    const tight = encode(attr.text({ maxLength: 10 }), `key ${GHP}`);
    expect(tight).toBe('key <api-k');
    expect(String(tight)).not.toContain('ghp_');
  });

  it('never leaves half a surrogate pair at the cut', () => {
    const wire = encode(attr.text({ maxLength: 3 }), '😀😀😀');
    expect(wire).toBe('😀');
    expect(encode(attr.text({ maxLength: 4 }), '😀😀😀')).toBe('😀😀');
  });

  it.each([
    ['a card number', 'card 4111 1111 1111 1111 9999', 24],
    ['a phone number', 'jsonadd +1 415 555 0100 12345678901234', 24],
  ])('never emits text its own redactor would still change when the cut completes %s', (_, input, maxLength) => {
    const def = attr.text({ maxLength });
    const wire = encode(def, input);
    expect(typeof wire).toBe('string');
    expect(redact(wire as string)).toBe(wire);
    expect(accepts(def, wire)).toBe(wire);
  });

  it('is redacted again by the gateway', () => {
    const def = attr.text({ maxLength: 100 });
    expect(accepts(def, 'from alice@example.com')).toBe('from <email>');
    expect(accepts(def, 'x'.repeat(200))).toBe('x'.repeat(100));
    expect(accepts(def, 5)).toEqual({ rejected: 'expected a string, got a number' });
  });
});
