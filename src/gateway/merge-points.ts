import type { OtlpHistogramDataPoint, OtlpKeyValue, OtlpNumberDataPoint } from '../otlp/types.js';

/**
 * Filtering re-aggregates: two points that differed only by a removed attribute, or by values the
 * catalog maps to one (an enum's fallback, an int sent as a double), are now one series, and a
 * backend given both for the same time keeps one and loses the other. These merge them back,
 * exactly as the SDK would have aggregated them had the catalog applied when they were recorded.
 * They run only for metrics whose points filtering changed (rare: the SDK sends nothing to change).
 */

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** What adding one point to another did: added, left apart (not the same shape), or refused (the total would not fit). */
type Added = 'merged' | 'apart' | 'overflow';

/**
 * Sum points of one series and time window added together (ints stay exact). A point whose total
 * would not fit (past int64, or a non-finite double) is dropped and `overflow` called: a merge must
 * never send what the catalog's checks would refuse, such as a negative or infinite count.
 */
export function mergeSumPoints(points: OtlpNumberDataPoint[], overflow: () => void): OtlpNumberDataPoint[] {
  return mergeBy(points, overflow, (into, p) => {
    if (into.asInt !== undefined && p.asInt !== undefined) {
      const total = BigInt(into.asInt) + BigInt(p.asInt);
      if (total > INT64_MAX) return 'overflow';
      into.asInt = total.toString();
      return 'merged';
    }
    const total = valueOf(into) + valueOf(p);
    if (!Number.isFinite(total)) return 'overflow';
    into.asDouble = total;
    delete into.asInt;
    return 'merged';
  });
}

/** Histogram points of one series and window with the same bounds added together; others are left apart, overflows dropped as for sums. */
export function mergeHistogramPoints(points: OtlpHistogramDataPoint[], overflow: () => void): OtlpHistogramDataPoint[] {
  return mergeBy(points, overflow, (into, p) => {
    if (!sameNumbers(into.explicitBounds, p.explicitBounds) || into.bucketCounts.length !== p.bucketCounts.length) return 'apart';
    const count = BigInt(into.count) + BigInt(p.count);
    const buckets = into.bucketCounts.map((c, i) => BigInt(c) + BigInt(p.bucketCounts[i] as string));
    const sum = into.sum !== undefined && p.sum !== undefined ? into.sum + p.sum : undefined;
    if (count > UINT64_MAX || buckets.some((b) => b > UINT64_MAX) || (sum !== undefined && !Number.isFinite(sum))) return 'overflow';
    into.count = count.toString();
    into.bucketCounts = buckets.map(String);
    if (sum !== undefined) into.sum = sum;
    else delete into.sum;
    if (into.min !== undefined && p.min !== undefined) into.min = Math.min(into.min, p.min);
    else delete into.min;
    if (into.max !== undefined && p.max !== undefined) into.max = Math.max(into.max, p.max);
    else delete into.max;
    // Each sum lay within its count × [min, max], so the total does; rounding in the addition must
    // not carry it out, or the gateway would forward what it rejects (filtering twice must agree).
    if (into.sum !== undefined) {
      const n = Number(count);
      if (into.min !== undefined) into.sum = Math.max(into.sum, n * into.min);
      if (into.max !== undefined) into.sum = Math.min(into.sum, n * into.max);
    }
    return 'merged';
  });
}

type Point = OtlpNumberDataPoint | OtlpHistogramDataPoint;

function mergeBy<P extends Point>(points: P[], overflow: () => void, add: (into: P, p: P) => Added): P[] {
  const first = new Map<string, P>();
  const out: P[] = [];
  for (const p of points) {
    const key = seriesKey(p);
    const into = first.get(key);
    if (into !== undefined) {
      const added = add(into, p);
      if (added === 'merged') continue;
      if (added === 'overflow') {
        overflow();
        continue;
      }
    } else {
      first.set(key, p);
    }
    out.push(p);
  }
  return out;
}

/** The series and window a point belongs to: its attributes (in any order) and its times. */
function seriesKey(p: Point): string {
  return `${p.startTimeUnixNano}/${p.timeUnixNano}/${attributesKey(p.attributes)}`;
}

/** A key equal for two attribute lists exactly when they hold the same pairs, in any order. */
export function attributesKey(attributes: readonly OtlpKeyValue[]): string {
  const pairs = attributes.map((kv) => [kv.key, kv.value] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(pairs);
}

function valueOf(p: OtlpNumberDataPoint): number {
  return p.asDouble ?? Number(p.asInt ?? 0);
}

/** Whether two lists hold the same numbers in the same order. */
export function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
