import { describe, expect, it } from 'vitest';
import { exponentialDelta, type ExponentialTotals } from '../../src/dev/exponential-delta.js';

const none = { offset: 0, bucketCounts: [] };

function point(scale: number, offset: number, bucketCounts: number[], zeroCount = 0): ExponentialTotals {
  const count = bucketCounts.reduce((a, b) => a + b, zeroCount);
  return { count, sum: count, scale, zeroCount, positive: { offset, bucketCounts }, negative: none };
}

describe('exponentialDelta', () => {
  it('matches buckets by absolute index when the offset moves down', () => {
    // Index 0 and 1 held one each; a value below them arrived at index -1.
    expect(exponentialDelta(point(0, 0, [1, 1]), point(0, -1, [1, 1, 1]))).toMatchObject({
      count: 1, scale: 0, positive: { offset: -1, bucketCounts: [1, 0, 0] },
    });
  });

  it('brings the finer point to the coarser scale before subtracting', () => {
    // Scale 2 indexes 4..7 are scale 1 indexes 2, 2, 3, 3; at scale 1 the sender has one more in index 3.
    expect(exponentialDelta(point(2, 4, [1, 1, 0, 1]), point(1, 2, [2, 2]))).toMatchObject({
      count: 1, scale: 1, positive: { offset: 2, bucketCounts: [0, 1] },
    });
    // Negative indexes round down too: scale 1 index -3 is scale 0 index -2.
    expect(exponentialDelta(point(1, -3, [1]), point(0, -2, [2]))).toMatchObject({ positive: { offset: -2, bucketCounts: [1] } });
  });

  it('subtracts the zero bucket and the negative buckets as well', () => {
    const prev = { ...point(0, 0, [1], 2), negative: { offset: 1, bucketCounts: [1] } };
    const now = { ...point(0, 0, [1], 3), negative: { offset: 0, bucketCounts: [4, 1] } };
    expect(exponentialDelta(prev, now)).toMatchObject({ zeroCount: 1, positive: { bucketCounts: [0] }, negative: { offset: 0, bucketCounts: [4, 0] } });
  });

  it('gives nothing when a bucket went down or fell out of range: not the same stream', () => {
    expect(exponentialDelta(point(0, 0, [2]), point(0, 0, [1, 5]))).toBeUndefined();
    expect(exponentialDelta(point(0, -3, [1]), point(0, 0, [1, 5]))).toBeUndefined();
    expect(exponentialDelta(point(0, 0, [1], 2), point(0, 0, [3], 1))).toBeUndefined();
  });
});
