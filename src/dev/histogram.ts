import type { MetricPointRow } from '../otlp/flatten.js';
import { DURATION_BUCKETS_SECONDS } from '../semconv/names.js';

/** A merged latency histogram as the dashboard draws it. */
export interface HistogramSnapshot {
  /** The metric's unit (`s` for optel durations). */
  unit: string;
  count: number;
  sum: number;
  min?: number;
  max?: number;
  /** Explicit upper bounds; `buckets` has one more entry, the overflow bucket. */
  bounds: number[];
  buckets: number[];
  /** Interpolated within the bucket that holds the rank; undefined while empty. */
  p50?: number;
  p95?: number;
}

/** One explicit-bucket data point, as `flattenMetrics` unwraps it. */
export type ExplicitPoint = Pick<MetricPointRow, 'count' | 'sum' | 'min' | 'max' | 'bucketCounts' | 'explicitBounds'>;

/** One exponential-bucket data point, as `flattenMetrics` unwraps it. */
export type ExponentialPoint = Pick<MetricPointRow, 'count' | 'sum' | 'min' | 'max' | 'scale' | 'zeroCount' | 'positive'>;

/** More bounds than any sane histogram has; a sender sending more gets rebinned onto the defaults. */
const MAX_BOUNDS = 160;

/**
 * Histogram data points merged into one set of explicit buckets. The first point's bounds are
 * adopted; points with other bounds (another sender, an exponential histogram, span durations)
 * are rebinned by each source bucket's upper edge, which keeps counts exact and moves values at
 * most one bucket: good enough for a dev dashboard's p50/p95.
 */
export class MergedHistogram {
  private bounds: number[] | undefined;
  private counts: number[] = [];
  private count = 0;
  private sum = 0;
  private min: number | undefined;
  private max: number | undefined;

  constructor(private readonly unit: string) {}

  /** Merges an explicit-bucket point (delta counts). */
  addExplicit(p: ExplicitPoint): void {
    const src = p.explicitBounds ?? [];
    const counts = p.bucketCounts ?? [];
    if (counts.length === 0 || counts.length !== src.length + 1) {
      // No buckets (allowed by OTLP): only the totals can be kept.
      this.addStats(p);
      return;
    }
    if (!this.bounds && src.length <= MAX_BOUNDS && isAscending(src)) this.adopt(src);
    const target = this.ensureBounds();
    const same = src.length === target.length && src.every((b, i) => b === target[i]);
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i] ?? 0;
      if (!(n > 0)) continue;
      const index = same ? i : bucketOf(target, i < src.length ? (src[i] as number) : overflowValue(src, p.max));
      this.counts[index] = (this.counts[index] ?? 0) + n;
    }
    this.addStats(p);
  }

  /** Merges an exponential-bucket point by rebinning each bucket's upper edge. */
  addExponential(p: ExponentialPoint): void {
    const target = this.ensureBounds();
    const base = 2 ** (2 ** -(p.scale ?? 0));
    if (p.zeroCount) this.counts[bucketOf(target, 0)] = (this.counts[bucketOf(target, 0)] ?? 0) + p.zeroCount;
    const positive = p.positive;
    if (positive) {
      positive.bucketCounts.forEach((n, i) => {
        if (!(n > 0)) return;
        const upper = base ** (positive.offset + i + 1);
        const index = bucketOf(target, p.max !== undefined ? Math.min(upper, p.max) : upper);
        this.counts[index] = (this.counts[index] ?? 0) + n;
      });
    }
    this.addStats(p);
  }

  /** Records one measured value (a span's duration). */
  addValue(value: number): void {
    if (!Number.isFinite(value)) return;
    const index = bucketOf(this.ensureBounds(), value);
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.addStats({ count: 1, sum: value, min: value, max: value });
  }

  /** The value below which fraction `q` of the recorded values fall, or undefined when empty. */
  quantile(q: number): number | undefined {
    const bounds = this.bounds ?? [];
    const total = this.counts.reduce((a, b) => a + (b ?? 0), 0);
    if (total === 0) return undefined;
    const rank = q * total;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const n = this.counts[i] ?? 0;
      if (n === 0 || seen + n < rank) {
        seen += n;
        continue;
      }
      let lo = i === 0 ? Math.min(0, bounds[0] ?? 0) : (bounds[i - 1] as number);
      let hi = i < bounds.length ? (bounds[i] as number) : (this.max ?? lo);
      // The reported min and max tighten the outer buckets, and make a single value exact.
      if (this.min !== undefined) lo = Math.max(lo, this.min);
      if (this.max !== undefined) hi = Math.min(hi, this.max);
      if (hi < lo) hi = lo;
      return lo + (hi - lo) * Math.max(0, Math.min(1, (rank - seen) / n));
    }
    return this.max;
  }

  /** What the dashboard draws. */
  snapshot(): HistogramSnapshot {
    const bounds = this.bounds ?? [];
    const buckets = Array.from({ length: bounds.length + 1 }, (_, i) => this.counts[i] ?? 0);
    const p50 = this.quantile(0.5);
    const p95 = this.quantile(0.95);
    return {
      unit: this.unit,
      count: this.count,
      sum: this.sum,
      ...(this.min !== undefined ? { min: this.min } : {}),
      ...(this.max !== undefined ? { max: this.max } : {}),
      bounds: [...bounds],
      buckets,
      ...(p50 !== undefined ? { p50 } : {}),
      ...(p95 !== undefined ? { p95 } : {}),
    };
  }

  private adopt(bounds: readonly number[]): void {
    this.bounds = [...bounds];
    this.counts = Array<number>(bounds.length + 1).fill(0);
  }

  private ensureBounds(): number[] {
    if (!this.bounds) this.adopt(DURATION_BUCKETS_SECONDS);
    return this.bounds as number[];
  }

  private addStats(p: { count?: number; sum?: number; min?: number; max?: number }): void {
    if (Number.isFinite(p.count)) this.count += p.count as number;
    if (Number.isFinite(p.sum)) this.sum += p.sum as number;
    if (Number.isFinite(p.min)) this.min = this.min === undefined ? p.min : Math.min(this.min, p.min as number);
    if (Number.isFinite(p.max)) this.max = this.max === undefined ? p.max : Math.max(this.max, p.max as number);
  }
}

/** Index of the explicit bucket holding `value`: buckets are (bounds[i-1], bounds[i]]. */
function bucketOf(bounds: readonly number[], value: number): number {
  for (let i = 0; i < bounds.length; i++) if (value <= (bounds[i] as number)) return i;
  return bounds.length;
}

/** A value that lands in the overflow bucket of any target: the point's max, or past the last bound. */
function overflowValue(bounds: readonly number[], max: number | undefined): number {
  const last = bounds[bounds.length - 1] ?? 0;
  return max !== undefined && max > last ? max : last * 2 + 1;
}

function isAscending(bounds: readonly number[]): boolean {
  return bounds.every((b, i) => Number.isFinite(b) && (i === 0 || b > (bounds[i - 1] as number)));
}
