import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { filterAttributes } from '../../src/gateway/attributes.js';
import { createReasons } from '../../src/gateway/reasons.js';
import type { OtlpAnyValue, OtlpKeyValue } from '../../src/otlp/types.js';
import type { CompiledEvent } from '../../src/privacy/validator.js';
import { index, kv } from './fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection, in MiB. */
function heapMiB(): number {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const invoked = index.events().find((e) => e.name === 'shop.cli.invoked') as CompiledEvent;

/** Filters one list as the metrics filter does; the kept list and the partial-success message. */
function judge(pairs: OtlpKeyValue[]): { kept: OtlpKeyValue[]; message: string } {
  const reasons = createReasons('data points');
  const kept = filterAttributes(invoked, 'metrics', pairs, reasons);
  return { kept, message: reasons.message() };
}

describe('filterAttributes', () => {
  it('gives a list seen before the same verdict, reasons included, every time', () => {
    const list = () => kv({ 'cli.command': 'buy', secret: 'x', 'exit.code': 3 });
    const first = judge(list());
    expect(first.kept.map((a) => a.key)).toEqual(['cli.command', 'exit.code']);
    expect(first.message).toContain('"secret"');
    for (let i = 0; i < 3; i++) expect(judge(list())).toEqual(first);
  });

  it('returns a clean list as the very same array, and a changed one as a fresh copy', () => {
    const clean = kv({ 'cli.command': 'buy', success: true });
    expect(judge(clean).kept).toBe(clean);
    const dirty = () => kv({ 'cli.command': 'buy', 'user.email': 'ann@example.com' });
    const a = judge(dirty()).kept;
    const b = judge(dirty()).kept;
    expect(a).not.toBe(b);
    a.pop();
    expect(b.map((x) => x.key)).toEqual(['cli.command']);    // A value replaced (an enum's fallback) is a change too, though nothing was removed.
    const fallback = kv({ 'error.type': 'ENEWERROR' });
    expect(judge(fallback).kept).not.toBe(fallback);
  });

  it('tells values apart by type, and a list apart from its prefix', () => {
    // exit.code is an int: an integer is kept, the same digits as a string are not.
    expect(judge([{ key: 'exit.code', value: { intValue: '7' } }]).kept).toHaveLength(1);
    expect(judge([{ key: 'exit.code', value: { stringValue: '7' } }]).kept).toHaveLength(0);
    expect(judge([{ key: 'exit.code', value: { intValue: '7' } }]).kept).toHaveLength(1);
    expect(judge(kv({ 'cli.command': 'list' })).message).toBe('');
    expect(judge(kv({ 'cli.command': 'list', 'exit.code': 999 })).message).toContain('exit.code');
    expect(judge(kv({ 'cli.command': 'list' })).message).toBe('');
  });

  it('judges long texts every time without remembering them', () => {
    const long = 'ann@example.com '.repeat(20);
    const first = judge([{ key: 'note', value: { stringValue: long } }]);
    expect(JSON.stringify(first.kept)).not.toContain('ann@example.com');
    expect(first.message).toContain('note');
    expect(judge([{ key: 'note', value: { stringValue: long } }])).toEqual(first);
  });

  it('stays right past the bound of what it remembers', () => {
    for (let i = 0; i < 40_000; i++) {
      const code = i % 300;
      const { kept } = judge(kv({ 'cli.command': i % 2 ? 'buy' : 'list', 'exit.code': code, [`k${i % 50}`]: 'v' }));
      expect(kept.map((a) => a.key)).toEqual(code <= 255 ? ['cli.command', 'exit.code'] : ['cli.command']);
    }
  });

  it('keeps nothing of lists it does not remember, and forgets the rest past its bound', () => {
    const composite: OtlpAnyValue = { arrayValue: { values: [] } };
    let before = heapMiB();
    for (let i = 0; i < 100_000; i++) judge([{ key: `k${i}`, value: i % 2 ? composite : {} }]);
    expect(heapMiB() - before).toBeLessThan(8);
    before = heapMiB();
    judge(Array.from({ length: 50_000 }, (_, i) => ({ key: `long${i}`, value: { intValue: String(i) } })));
    expect(heapMiB() - before).toBeLessThan(8);
    before = heapMiB();
    for (let i = 0; i < 100_000; i++) judge(kv({ 'cli.command': 'buy', [`x${i}`]: i }));
    expect(heapMiB() - before).toBeLessThan(24);
  });
});
