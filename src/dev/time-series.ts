/** One bar of a "counts over time" chart: the bucket's index (time / bucket width) and its count. */
export type SeriesPoint = [bucket: number, count: number];

/**
 * Counts per fixed-width time bucket, keeping only the newest `keep` buckets: the data behind
 * the sparklines. Stored sparsely, so an event seen twice an hour costs two entries.
 */
export class CountSeries {
  private readonly buckets = new Map<number, number>();
  private newest = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly bucketMs: number,
    private readonly keep: number,
  ) {}

  /** Adds `n` at time `timeMs`; points older than the kept range only count in totals elsewhere. */
  add(timeMs: number, n: number): void {
    const bucket = Math.floor(timeMs / this.bucketMs);
    if (!Number.isFinite(bucket) || bucket <= this.newest - this.keep) return;
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + n);
    if (bucket > this.newest) this.newest = bucket;
    // Prune in batches: cheap amortized, and the map never grows past 2x the kept range.
    if (this.buckets.size > this.keep * 2) {
      for (const key of this.buckets.keys()) if (key <= this.newest - this.keep) this.buckets.delete(key);
    }
  }

  /** Non-empty buckets in the kept range, oldest first. */
  points(): SeriesPoint[] {
    const floor = this.newest - this.keep;
    return [...this.buckets]
      .filter(([bucket]) => bucket > floor)
      .sort((a, b) => a[0] - b[0]);
  }
}
