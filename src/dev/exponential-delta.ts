/** One side (positive or negative) of an exponential histogram: consecutive bucket counts from `offset`. */
export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

/** An exponential histogram point's additive parts, and the scale its buckets are at. */
export interface ExponentialTotals {
  count: number;
  sum: number;
  scale: number;
  zeroCount: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
}

/**
 * What a stream's cumulative exponential histogram gained from `prev` to `now`. Buckets are matched
 * by absolute index (offset + i), not by position: a sender moves the offset when a value lands
 * below its lowest bucket, and lowers the scale (merging pairs of buckets) when its range grows,
 * so both are first brought to the coarser of the two scales. Undefined when some bucket went
 * down, which no later point of the same stream can do.
 */
export function exponentialDelta(prev: ExponentialTotals, now: ExponentialTotals): ExponentialTotals | undefined {
  const scale = Math.min(prev.scale, now.scale);
  const side = (pick: (t: ExponentialTotals) => ExponentialBuckets) =>
    subtract(downscale(pick(now), now.scale - scale), downscale(pick(prev), prev.scale - scale));
  const positive = side((t) => t.positive);
  const negative = side((t) => t.negative);
  const zeroCount = now.zeroCount - prev.zeroCount;
  if (!positive || !negative || zeroCount < 0) return undefined;
  return { count: now.count - prev.count, sum: now.sum - prev.sum, scale, zeroCount, positive, negative };
}

/** The same buckets `steps` scales coarser: each step halves every index, rounding down. */
function downscale(b: ExponentialBuckets, steps: number): ExponentialBuckets {
  if (steps <= 0) return b;
  // Offsets are 32-bit: past 32 steps every index is already 0 or -1 (and 2 ** steps stays finite).
  const factor = 2 ** Math.min(steps, 32);
  const offset = Math.floor(b.offset / factor);
  const counts: number[] = [];
  b.bucketCounts.forEach((n, i) => {
    const j = Math.floor((b.offset + i) / factor) - offset;
    counts[j] = (counts[j] ?? 0) + n;
  });
  return { offset, bucketCounts: counts };
}

/** `now - prev` over `now`'s range, or undefined when a count of `prev` is not (wholly) in `now`. */
function subtract(now: ExponentialBuckets, prev: ExponentialBuckets): ExponentialBuckets | undefined {
  const counts = [...now.bucketCounts];
  for (let i = 0; i < prev.bucketCounts.length; i++) {
    const n = prev.bucketCounts[i] as number;
    if (!(n > 0)) continue;
    const j = prev.offset + i - now.offset;
    const left = (j >= 0 && j < counts.length ? (counts[j] as number) : 0) - n;
    if (!(left >= 0)) return undefined;
    counts[j] = left;
  }
  return { offset: now.offset, bucketCounts: counts };
}
