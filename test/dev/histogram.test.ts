import { describe, expect, it } from 'vitest';
import { MergedHistogram } from '../../src/dev/histogram.js';

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1];

describe('MergedHistogram', () => {
  it('adds bucket counts of points with the same bounds', () => {
    const h = new MergedHistogram('s');
    h.addExplicit({ count: 2, sum: 0.006, bucketCounts: [2, 0, 0, 0, 0, 0], explicitBounds: BOUNDS });
    h.addExplicit({ count: 3, sum: 0.06, bucketCounts: [0, 1, 2, 0, 0, 0], explicitBounds: BOUNDS });
    expect(h.snapshot()).toMatchObject({ unit: 's', count: 5, bounds: BOUNDS, buckets: [2, 1, 2, 0, 0, 0] });
    expect(h.snapshot().sum).toBeCloseTo(0.066);
  });

  it('interpolates p50 and p95 inside the bucket that holds the rank', () => {
    const h = new MergedHistogram('s');
    // 10 values in (0.01, 0.025]: p50 is halfway through that bucket, p95 at 95 %.
    h.addExplicit({ count: 10, bucketCounts: [0, 0, 10, 0, 0, 0], explicitBounds: BOUNDS });
    expect(h.quantile(0.5)).toBeCloseTo(0.0175);
    expect(h.quantile(0.95)).toBeCloseTo(0.01 + 0.015 * 0.95);
  });

  it('uses the reported min and max to tighten the outer buckets, so a single value is exact', () => {
    const h = new MergedHistogram('s');
    h.addExplicit({ count: 1, min: 0.0019, max: 0.0019, bucketCounts: [1, 0, 0, 0, 0, 0], explicitBounds: BOUNDS });
    expect(h.quantile(0.5)).toBeCloseTo(0.0019);
    expect(h.quantile(0.95)).toBeCloseTo(0.0019);
  });

  it('places the overflow bucket between the last bound and the max', () => {
    const h = new MergedHistogram('s');
    h.addExplicit({ count: 2, max: 0.3, bucketCounts: [0, 0, 0, 0, 0, 2], explicitBounds: BOUNDS });
    expect(h.quantile(0.5)).toBeCloseTo(0.2);
  });

  it('rebins points with other bounds onto the first bounds it saw, keeping the count', () => {
    const h = new MergedHistogram('s');
    h.addExplicit({ count: 1, bucketCounts: [1, 0, 0, 0, 0, 0], explicitBounds: BOUNDS });
    h.addExplicit({ count: 4, bucketCounts: [1, 3, 0], explicitBounds: [0.02, 0.04] });
    expect(h.snapshot().buckets).toEqual([1, 0, 1, 3, 0, 0]);
  });

  it('rebins exponential histograms and span durations', () => {
    const h = new MergedHistogram('s');
    h.addExponential({ count: 3, scale: 0, zeroCount: 1, positive: { offset: -7, bucketCounts: [2] } }); // (2^-7, 2^-6]
    h.addValue(0.2);
    const snap = h.snapshot();
    expect(snap.count).toBe(4);
    expect(snap.buckets.reduce((a, b) => a + b)).toBe(4);
    expect(snap.buckets[snap.bounds.findIndex((b) => b >= 0.2)]).toBe(1);
  });

  it('keeps totals of points that carry no buckets, and reports no quantiles while empty', () => {
    const h = new MergedHistogram('ms');
    h.addExplicit({ count: 3, sum: 12 });
    expect(h.snapshot()).toMatchObject({ count: 3, sum: 12 });
    expect(h.snapshot().p50).toBeUndefined();
  });
});
