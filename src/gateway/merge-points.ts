import type { OtlpHistogramDataPoint, OtlpKeyValue, OtlpNumberDataPoint } from '../otlp/types.js';

/**
 * Removing an attribute re-aggregates: two points that differed only by it are now one series, and
 * a backend given both for the same time keeps one and loses the other. These merge them back,
 * exactly as the SDK would have aggregated them had the attribute never been recorded. They run
 * only for metrics that lost an attribute (rare: the SDK sends nothing to remove).
 */

/** Sum points of one series and time window added together (ints stay exact). */
export function mergeSumPoints(points: OtlpNumberDataPoint[]): OtlpNumberDataPoint[] {
  return mergeBy(points, (into, p) => {
    if (into.asInt !== undefined && p.asInt !== undefined) {
      into.asInt = (BigInt(into.asInt) + BigInt(p.asInt)).toString();
      return true;
    }
    into.asDouble = valueOf(into) + valueOf(p);
    delete into.asInt;
    return true;
  });
}

/** Histogram points of one series and window with the same bounds added together; others are left apart. */
export function mergeHistogramPoints(points: OtlpHistogramDataPoint[]): OtlpHistogramDataPoint[] {
  return mergeBy(points, (into, p) => {
    if (!sameNumbers(into.explicitBounds, p.explicitBounds) || into.bucketCounts.length !== p.bucketCounts.length) return false;
    into.count = addDecimal(into.count, p.count);
    into.bucketCounts = into.bucketCounts.map((c, i) => addDecimal(c, p.bucketCounts[i] as string));
    if (into.sum !== undefined && p.sum !== undefined) into.sum += p.sum;
    else delete into.sum;
    if (into.min !== undefined && p.min !== undefined) into.min = Math.min(into.min, p.min);
    else delete into.min;
    if (into.max !== undefined && p.max !== undefined) into.max = Math.max(into.max, p.max);
    else delete into.max;
    return true;
  });
}

type Point = OtlpNumberDataPoint | OtlpHistogramDataPoint;

function mergeBy<P extends Point>(points: P[], add: (into: P, p: P) => boolean): P[] {
  const first = new Map<string, P>();
  const out: P[] = [];
  for (const p of points) {
    const key = seriesKey(p);
    const into = first.get(key);
    if (into !== undefined && add(into, p)) continue;
    if (into === undefined) first.set(key, p);
    out.push(p);
  }
  return out;
}

/** The series and window a point belongs to: its attributes (in any order) and its times. */
function seriesKey(p: Point): string {
  const pairs = p.attributes.map((kv: OtlpKeyValue) => [kv.key, kv.value] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${p.startTimeUnixNano}/${p.timeUnixNano}/${JSON.stringify(pairs)}`;
}

function valueOf(p: OtlpNumberDataPoint): number {
  return p.asDouble ?? Number(p.asInt ?? 0);
}

function addDecimal(a: string, b: string): string {
  return (BigInt(a) + BigInt(b)).toString();
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
