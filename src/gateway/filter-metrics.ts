import type { OtlpHistogramDataPoint, OtlpMetric, OtlpMetricsRequest, OtlpNumberDataPoint } from '../otlp/types.js';
import type { CatalogIndex, CompiledEvent } from '../privacy/validator.js';
import { COUNT_SUFFIX, DURATION_BUCKETS_SECONDS, DURATION_SUFFIX, UNIT_EVENT, UNIT_SECONDS } from '../semconv/names.js';
import { filterAttributes } from './attributes.js';
import { filterTree, type Filtered } from './filter-tree.js';
import { joinMetrics } from './join-metrics.js';
import { pointCount } from '../otlp/flatten.js';
import { mergeHistogramPoints, mergeSumPoints, sameNumbers } from './merge-points.js';
import type { Reasons } from './reasons.js';
import { knownFlags } from './defined-values.js';


const DELTA = 1;
const CUMULATIVE = 2;

/**
 * Keeps the data points the catalog allows. A point is rejected (and counted) when its metric is
 * not an instrument of a metrics-tier event, or is not the instrument the SDK makes of it — the
 * counter `<event>.count` must be a monotonic delta or cumulative sum in `{event}` of whole
 * non-negative counts, the histogram `<event>.duration` an explicit-bucket histogram in `s` with
 * the SDK's bounds (or none) and a consistent count, sum, min, max and buckets — or when it has
 * no value. Every number a point carries is then one a recording could have produced: none is
 * left free for a client to fill with data of its own. Attributes outside the
 * metrics tier's allowlist are removed, as are exemplars and metric metadata; descriptions become
 * the catalog's. Points that filtering left the same series (same resource, scope, metric,
 * attributes and times) are merged.
 *
 * The request is edited in place: it is a fresh decode owned by the caller.
 */
export function filterMetrics(request: OtlpMetricsRequest, index: CatalogIndex, reasons: Reasons): Filtered<OtlpMetricsRequest> {
  const keep = (metric: OtlpMetric) => filterMetric(metric, index, reasons);
  const { kept, accepted } = filterTree(request.resourceMetrics, 'scopeMetrics', 'metrics', keep, reasons, pointCount);
  const joined = joinMetrics(kept, (m) => overflowed(m.name, reasons), reasons);
  return { request: { resourceMetrics: joined.resources }, accepted: accepted - joined.removed };
}

function filterMetric(m: OtlpMetric, index: CatalogIndex, reasons: Reasons): OtlpMetric | undefined {
  const total = pointCount(m);
  if (total === 0) {
    // A metric sent without points loses nothing by going; the request still changes.
    reasons.edit();
    return undefined;
  }
  const instrument = index.instrument(m.name);
  if (instrument === undefined) {
    reasons.reject(notAnInstrument(m.name, index), total, m.name);
    return undefined;
  }
  const { event, kind } = instrument;
  if (m.metadata.length > 0) reasons.strip(`metadata of ${m.name}`);
  if (m.description !== event.definition.description) reasons.edit();
  if (kind === 'count') {
    const sum = m.sum;
    if (sum === undefined || !sum.isMonotonic || !temporal(sum.aggregationTemporality) || m.unit !== UNIT_EVENT) {
      reasons.reject(`metric ${m.name} is not a monotonic delta or cumulative sum in ${UNIT_EVENT}`, total);
      return undefined;
    }
    const points = keepPoints(sum.dataPoints, event, reasons, countProblem);
    if (points.length === 0) return undefined;
    return {
      name: m.name, description: event.definition.description, unit: m.unit, metadata: [],
      sum: { dataPoints: points.merged ? mergeSumPoints(points, overflowed(m.name, reasons)) : points, aggregationTemporality: sum.aggregationTemporality, isMonotonic: true },
    };
  }
  const histogram = m.histogram;
  if (histogram === undefined || !temporal(histogram.aggregationTemporality) || m.unit !== UNIT_SECONDS) {
    reasons.reject(`metric ${m.name} is not an explicit-bucket delta or cumulative histogram in ${UNIT_SECONDS}`, total);
    return undefined;
  }
  const points = keepPoints(histogram.dataPoints, event, reasons, histogramProblem);
  if (points.length === 0) return undefined;
  return {
    name: m.name, description: event.definition.description, unit: m.unit, metadata: [],
    histogram: { dataPoints: points.merged ? mergeHistogramPoints(points, overflowed(m.name, reasons)) : points, aggregationTemporality: histogram.aggregationTemporality },
  };
}

/** Counts a point of metric `name` dropped because merging it into its series would overflow. */
function overflowed(name: string, reasons: Reasons): () => void {
  return () => reasons.reject(`${name} point whose total with its series (after filtering) is out of range`, 1);
}

function notAnInstrument(name: string, index: CatalogIndex): string {
  for (const suffix of [COUNT_SUFFIX, DURATION_SUFFIX]) {
    if (!name.endsWith(suffix)) continue;
    const event = index.event(name.slice(0, -suffix.length));
    if (event && !event.tiers.has('metrics')) return `metric %s (its event is not on the metrics tier)`;
    if (event && suffix === DURATION_SUFFIX) return `metric %s (its event has no duration)`;
  }
  return 'metric %s (not in the catalog)';
}

function temporal(t: number): boolean {
  return t === DELTA || t === CUMULATIVE;
}

/** Kept points, flagged when filtering attributes may have made two of them the same series. */
type Kept<P> = P[] & { merged?: boolean };

function keepPoints<P extends OtlpNumberDataPoint | OtlpHistogramDataPoint>(
  points: P[],
  event: CompiledEvent,
  reasons: Reasons,
  problem: (p: P) => string | undefined,
): Kept<P> {
  const out: Kept<P> = [];
  for (const p of points) {
    const why = problem(p);
    if (why !== undefined) {
      reasons.reject(`${event.name} point ${why}`, 1);
      continue;
    }
    const attributes = filterAttributes(event, 'metrics', p.attributes, reasons);
    // Any change can join two series: a removed attribute, and as well a value replaced by its
    // enum's fallback or an int sent as a double re-typed.
    if (attributes !== p.attributes && points.length > 1) out.merged = true;
    p.attributes = attributes;
    if (p.exemplars.length > 0) {
      reasons.strip('exemplars');
      p.exemplars = [];
    }
    p.flags = knownFlags(p.flags, 'point', reasons);
    if ('bucketCounts' in p && p.bucketCounts.length === 0 && p.explicitBounds.length > 0) {
      // Bounds without counts describe nothing.
      reasons.strip('bucket bounds without counts');
      p.explicitBounds = [];
    }
    out.push(p);
  }
  return out;
}

function countProblem(p: OtlpNumberDataPoint): string | undefined {
  if (p.asInt !== undefined) return p.asInt.startsWith('-') ? 'with a negative count' : undefined;
  if (p.asDouble !== undefined) return Number.isInteger(p.asDouble) && p.asDouble >= 0 ? undefined : 'with a negative, fractional or non-finite count';
  return 'without a value';
}

function histogramProblem(p: OtlpHistogramDataPoint): string | undefined {
  const bounds = p.explicitBounds;
  if (bounds.length > 0 && !sameNumbers(bounds, DURATION_BUCKETS_SECONDS)) return 'with bucket bounds other than the SDK\'s';
  const n = p.bucketCounts.length;
  // OTLP: one more count than bounds, or no counts at all (a histogram of count and sum only).
  if (bounds.length === 0 ? n > 1 : n !== 0 && n !== bounds.length + 1) return 'whose bucket counts do not match its bounds';
  if (!nonNegative(p.sum) || !nonNegative(p.min) || !nonNegative(p.max)) return 'with a negative or non-finite sum, min or max';
  const count = Number(p.count);
  let first = -1;
  let last = -1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = Number(p.bucketCounts[i]);
    if (c === 0) continue;
    if (first === -1) first = i;
    last = i;
    total += c;
  }
  if (n > 0 && total !== count) return 'whose bucket counts do not add up to its count';
  if (count === 0) return p.sum || p.min || p.max ? 'with a sum, min or max but no values' : undefined;
  const { sum, min, max } = p;
  if (min !== undefined && max !== undefined && min > max) return 'whose min is above its max';
  if (first !== -1 && bounds.length > 0 && ((min !== undefined && !inBucket(min, first)) || (max !== undefined && !inBucket(max, last)))) {
    return 'whose min or max lies outside its lowest or highest bucket';
  }
  // Every value lies in [min, max], so their sum in count × [min, max] (up to rounding).
  if (sum !== undefined && ((min !== undefined && sum < count * min * (1 - SUM_SLACK)) || (max !== undefined && sum > count * max * (1 + SUM_SLACK)))) {
    return 'whose sum lies outside its count times its min and max';
  }
  return undefined;
}

/** Relative rounding a sum of doubles may carry against count × min or max. */
const SUM_SLACK = 1e-9;

/** Whether a value falls in bucket `i` of the SDK's bounds: `(bound[i-1], bound[i]]`, as OpenTelemetry buckets it. */
function inBucket(value: number, i: number): boolean {
  const bounds = DURATION_BUCKETS_SECONDS;
  return (i === 0 || value > (bounds[i - 1] as number)) && (i === bounds.length || value <= (bounds[i] as number));
}

function nonNegative(v: number | undefined): boolean {
  return v === undefined || (v >= 0 && v !== Infinity);
}
