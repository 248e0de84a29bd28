import { describe, expect, it } from 'vitest';
import { LatestValues } from '../../src/dev/latest-values.js';

describe('LatestValues', () => {
  it('remembers at most 100 streams per event, forgetting the least recently updated', () => {
    const values = new LatestValues();
    for (let i = 0; i < 150; i++) values.record(1, `stream ${i}`, { n: i }, 1, 'level');
    values.record(2, 'stream 0', { n: 0 }, 1, 'level');
    expect(values.value()).toBe(100);
    const kept = values.breakdown().find((a) => a.key === 'n')!;
    expect(kept.values.length + kept.other).toBeLessThanOrEqual(100);
  });

  it('ignores a value that is not finite', () => {
    const values = new LatestValues();
    values.record(1, 's', {}, NaN, 'gauge');
    expect(values.value()).toBeUndefined();
    values.record(1, 's', {}, 2, 'level');
    values.record(2, 's', {}, Infinity, 'level');
    expect(values.value()).toBe(2);
  });
});
