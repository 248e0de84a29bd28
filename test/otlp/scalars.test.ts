import { describe, expect, it } from 'vitest';
import { jsonToDecimal } from '../../src/otlp/scalars.js';

describe('jsonToDecimal', () => {
  it.each([
    ['0', true, '0'],
    ['-0', true, '0'],
    ['007', true, '7'],
    ['1700000060000000000', false, '1700000060000000000'],
    ['9223372036854775807', true, '9223372036854775807'],
    ['9223372036854775808', true, undefined],
    ['-9223372036854775808', true, '-9223372036854775808'],
    ['-9223372036854775809', true, undefined],
    ['18446744073709551615', false, '18446744073709551615'],
    ['18446744073709551616', false, undefined],
    ['99999999999999999999', false, undefined],
    ['-1', false, undefined],
    ['-1', true, '-1'],
    ['', true, undefined],
    ['-', true, undefined],
    ['1e3', true, undefined],
    [' 1', true, undefined],
    ['+1', true, undefined],
    [42, true, '42'],
    [1.5, true, undefined],
    [2 ** 64, false, undefined],
    [2 ** 53 - 1, true, '9007199254740991'],
    [-(2 ** 53) + 1, true, '-9007199254740991'],
    // Parsed from 9007199254740993 as much as from 9007199254740992: refused, not rounded.
    [2 ** 53, true, undefined],
    // Unsigned (fixed64: timestamps, counts) is taken rounded: clients write nanosecond timestamps as numbers.
    [1_700_000_000_000_000_000, false, '1700000000000000000'],
    [2 ** 53, false, '9007199254740992'],
    [-1, false, undefined],
    [-0, false, '0'],
    [null, true, undefined],
  ])('%j (signed: %s) → %j', (value, signed, expected) => {
    expect(jsonToDecimal(value, signed)).toBe(expected);
  });

  it('agrees with BigInt on every length and edge around the limits', () => {
    const limits = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 0n, 10n ** 18n, 10n ** 19n];
    for (const limit of limits) {
      for (let delta = -2n; delta <= 2n; delta++) {
        const n = limit + delta;
        for (const signed of [true, false]) {
          const inRange = signed ? n >= -(2n ** 63n) && n < 2n ** 63n : n >= 0n && n < 2n ** 64n;
          expect(jsonToDecimal(n.toString(), signed)).toBe(inRange ? n.toString() : undefined);
        }
      }
    }
  });
});
