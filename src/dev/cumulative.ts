import { createHash } from 'node:crypto';
import { exponentialDelta, type ExponentialTotals } from './exponential-delta.js';

/** Streams remembered at most; past it the least recently updated are forgotten. */
const MAX_STREAMS = 20_000;

/** A stream's previous point: a sum's value, or a histogram's parts. */
interface Last {
  start: string;
  value: number;
  histogram?: HistogramTotals;
  exponential?: ExponentialTotals;
}

/** A histogram point's additive parts. */
export interface HistogramTotals {
  count: number;
  sum: number;
  bucketCounts: number[];
}

/**
 * Turns cumulative points into deltas, so a sender using cumulative temporality is counted once
 * per event rather than once per export. A stream is one metric of one scope and resource with
 * one attribute set; a new start time or a value going down is a reset, and then the whole value
 * counts. Delta points need none of this and never come here.
 */
export class CumulativeDeltas {
  private readonly last = new Map<string, Last>();

  /** The increase of a cumulative sum since the stream's previous point. */
  sum(stream: string, start: string, value: number): number {
    const prev = this.since(this.remember(stream, { start, value }), start);
    if (!prev || value < prev.value) return value;
    return value - prev.value;
  }

  /** The increase of a cumulative explicit-bucket histogram since the stream's previous point. */
  histogram(stream: string, start: string, now: HistogramTotals): HistogramTotals {
    const prev = this.since(this.remember(stream, { start, value: 0, histogram: now }), start)?.histogram;
    // Other bounds (so another bucket count) are a changed view: all of it is new.
    if (!prev || now.count < prev.count || prev.bucketCounts.length !== now.bucketCounts.length) return now;
    const buckets = now.bucketCounts.map((n, i) => n - (prev.bucketCounts[i] ?? 0));
    if (buckets.some((n) => n < 0)) return now;
    return { count: now.count - prev.count, sum: now.sum - prev.sum, bucketCounts: buckets };
  }

  /** The increase of a cumulative exponential histogram since the stream's previous point. */
  exponential(stream: string, start: string, now: ExponentialTotals): ExponentialTotals {
    const prev = this.since(this.remember(stream, { start, value: 0, exponential: now }), start)?.exponential;
    if (!prev || now.count < prev.count) return now;
    return exponentialDelta(prev, now) ?? now;
  }

  /** The previous point when it has the same start time: another start is a restart. */
  private since(prev: Last | undefined, start: string): Last | undefined {
    return prev?.start === start ? prev : undefined;
  }

  private remember(stream: string, next: Last): Last | undefined {
    const prev = this.last.get(stream);
    // Delete and re-insert: Map order then doubles as least-recently-updated order for eviction.
    this.last.delete(stream);
    this.last.set(stream, next);
    if (this.last.size > MAX_STREAMS) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    return prev;
  }
}

/** Longest stream key kept as it is; longer ones are remembered by their digest, so 20,000 streams stay small. */
const MAX_KEY = 512;

/**
 * A stable key for one stream (`metric` names the scope and the metric): the same attributes in
 * another order are the same stream.
 */
export function streamKey(resource: Record<string, unknown>, metric: string, attributes: Record<string, unknown>): string {
  const sorted = (r: Record<string, unknown>) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]));
  const key = `${sorted(resource)}\u0000${metric}\u0000${sorted(attributes)}`;
  return key.length <= MAX_KEY ? key : createHash('sha256').update(key).digest('base64');
}
