import type { OtlpHistogramDataPoint, OtlpMetric, OtlpMetricsRequest, OtlpNumberDataPoint } from '../otlp/types.js';
import type { CatalogIndex, CompiledEvent } from '../privacy/validator.js';
import { COUNT_SUFFIX, DURATION_SUFFIX, UNIT_EVENT, UNIT_SECONDS } from '../semconv/names.js';
import { filterAttributes } from './attributes.js';
import { filterTree, type Filtered } from './filter-tree.js';
import { joinMetrics } from './join-metrics.js';
import { pointCount } from '../otlp/flatten.js';
import { mergeHistogramPoints, mergeSumPoints } from './merge-points.js';
import type { Reasons } from './reasons.js';
import { knownFlags } from './defined-values.js';

/** Most explicit bounds a duration histogram may carry (the SDK sends 16); more is not a CLI latency. */
export const MAX_HISTOGRAM_BOUNDS = 64;

const DELTA = 1;
const CUMULATIVE = 2;

/**
 * Keeps the data points the catalog allows. A point is rejected (and counted) when its metric is
 * not an instrument of a metrics-tier event, or is not the instrument the SDK makes of it — the
 * counter `<event>.count` must be a monotonic delta or cumulative sum in `{event}` with
 * non-negative values, the histogram `<event>.duration` an explicit-bucket histogram in `s` with
 * consistent buckets and non-negative sums — or when it has no value. Attributes outside the
 * metrics tier's allowlist are removed, as are exemplars and metric metadata; descriptions become
 * the catalog's. Points that filtering left the same series (same resource, scope, metric,
 * attributes and times) are merged.
 *
 * The request is edited in place: it is a fresh decode owned by the caller.
 */
export function filterMetrics(request: OtlpMetricsRequest, index: CatalogIndex, reasons: Reasons): Filtered<OtlpMetricsRequest> {
  const keep = (metric: OtlpMetric) => filterMetric(metric, index, reasons);
  const { kept, accepted } = filterTree(request.resourceMetrics, 'scopeMetrics', 'metrics', keep, reasons, pointCount);
  const joined = joinMetrics(kept, (m) => overflowed(m.name, reasons));
  return { request: { resourceMetrics: joined.resources }, accepted: accepted - joined.removed };
}

function filterMetric(m: OtlpMetric, index: CatalogIndex, reasons: Reasons): OtlpMetric | undefined {
  const total = pointCount(m);
  if (total === 0) return undefined;
  const instrument = index.instrument(m.name);
  if (instrument === undefined) {
    reasons.reject(notAnInstrument(m.name, index), total, m.name);
    return undefined;
  }
  const { event, kind } = instrument;
  if (m.metadata.length > 0) reasons.strip(`metadata of ${m.name}`);
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
      // Bounds without counts describe nothing: 64 numbers the client chose.
      reasons.strip('bucket bounds without counts');
      p.explicitBounds = [];
    }
    out.push(p);
  }
  return out;
}

function countProblem(p: OtlpNumberDataPoint): string | undefined {
  if (p.asInt !== undefined) return p.asInt.startsWith('-') ? 'with a negative count' : undefined;
  if (p.asDouble !== undefined) return p.asDouble >= 0 && p.asDouble !== Infinity ? undefined : 'with a negative or non-finite count';
  return 'without a value';
}

function histogramProblem(p: OtlpHistogramDataPoint): string | undefined {
  const bounds = p.explicitBounds;
  if (bounds.length > MAX_HISTOGRAM_BOUNDS) return `with more than ${MAX_HISTOGRAM_BOUNDS} bucket bounds`;
  const n = p.bucketCounts.length;
  // OTLP: one more count than bounds, or no counts at all (a histogram of count and sum only).
  if (bounds.length === 0 ? n > 1 : n !== 0 && n !== bounds.length + 1) return 'whose bucket counts do not match its bounds';
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i] as number;
    if (!Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number))) return 'with bounds that are not finite and ascending';
  }
  if (!nonNegative(p.sum) || !nonNegative(p.min) || !nonNegative(p.max)) return 'with a negative or non-finite sum, min or max';
  return undefined;
}

function nonNegative(v: number | undefined): boolean {
  return v === undefined || (v >= 0 && v !== Infinity);
}
