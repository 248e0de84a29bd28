import { pointCount } from '../otlp/flatten.js';
import type { OtlpMetric, OtlpMetricsRequest } from '../otlp/types.js';
import { attributesKey, mergeHistogramPoints, mergeSumPoints } from './merge-points.js';
import type { Reasons } from './reasons.js';

type ResourceMetrics = OtlpMetricsRequest['resourceMetrics'][number];
type ScopeMetrics = ResourceMetrics['scopeMetrics'][number];

/**
 * Joins what filtering made equal above the points: resources that differed only by a removed
 * attribute (a process id), scopes that differed only by their removed attributes, and then the
 * metrics of one name and temporality within a scope, whose points are merged by series
 * (`merge-points.ts`) — otherwise the upstream would get the same series for the same time twice
 * and keep only one. Edits the filtered lists in place, noting each join in `reasons` (a change
 * with no reason to give); returns the resources left and how many points the joins removed
 * (merged into another, or dropped through `overflow`).
 */
export function joinMetrics(
  resources: ResourceMetrics[],
  overflow: (metric: OtlpMetric) => () => void,
  reasons: Pick<Reasons, 'edit'>,
): { resources: ResourceMetrics[]; removed: number } {
  // Keys are only built where there are two lists to compare: the SDK sends one resource and one scope.
  const joined =
    resources.length > 1 ? joinEqual(resources, resourceKey, (into, r) => (into.scopeMetrics = into.scopeMetrics.concat(r.scopeMetrics)), reasons) : resources;
  let removed = 0;
  for (const r of joined) {
    if (r.scopeMetrics.length > 1) r.scopeMetrics = joinEqual(r.scopeMetrics, scopeKey, (into, s) => (into.metrics = into.metrics.concat(s.metrics)), reasons);
    for (const s of r.scopeMetrics) if (s.metrics.length > 1) removed += joinSameNames(s, overflow, reasons);
  }
  return { resources: joined, removed };
}

/** The first of each set of equal items (by `key`), each having absorbed the later ones through `absorb` (a join is an edit). */
function joinEqual<T>(items: readonly T[], key: (item: T) => string, absorb: (into: T, item: T) => void, reasons: Pick<Reasons, 'edit'>): T[] {
  const first = new Map<string, T>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    const into = first.get(k);
    if (into !== undefined) {
      absorb(into, item);
      reasons.edit();
      continue;
    }
    first.set(k, item);
    out.push(item);
  }
  return out;
}

function resourceKey(r: ResourceMetrics): string {
  // Filtered resources hold only allowlisted string attributes: no dropped count, no entity references.
  return `${r.schemaUrl}\n${r.resource === undefined ? '-' : attributesKey(r.resource.attributes)}`;
}

function scopeKey(s: ScopeMetrics): string {
  // Filtered scopes have no attributes left: a name and a version.
  return JSON.stringify([s.schemaUrl, s.scope?.name, s.scope?.version]);
}

/** Metrics of one name and temporality in a scope joined, their points merged by series; returns the points that left. */
function joinSameNames(scope: ScopeMetrics, overflow: (metric: OtlpMetric) => () => void, reasons: Pick<Reasons, 'edit'>): number {
  if (!repeatsName(scope.metrics)) return 0;
  const first = new Map<string, OtlpMetric>();
  const joined = new Set<OtlpMetric>();
  const out: OtlpMetric[] = [];
  for (const m of scope.metrics) {
    const into = first.get(m.name);
    if (into !== undefined && absorb(into, m)) {
      joined.add(into);
      reasons.edit();
      continue;
    }
    if (into === undefined) first.set(m.name, m);
    out.push(m);
  }
  scope.metrics = out;
  let removed = 0;
  for (const m of joined) {
    const before = pointCount(m);
    if (m.sum) m.sum.dataPoints = mergeSumPoints(m.sum.dataPoints, overflow(m));
    if (m.histogram) m.histogram.dataPoints = mergeHistogramPoints(m.histogram.dataPoints, overflow(m));
    removed += before - pointCount(m);
  }
  return removed;
}

function repeatsName(metrics: readonly OtlpMetric[]): boolean {
  const seen = new Set<string>();
  for (const m of metrics) {
    if (seen.has(m.name)) return true;
    seen.add(m.name);
  }
  return false;
}

/** Adds the points of `m` to `into` when both are the same kind of metric with the same temporality. */
function absorb(into: OtlpMetric, m: OtlpMetric): boolean {
  if (into.sum && m.sum && into.sum.aggregationTemporality === m.sum.aggregationTemporality) {
    into.sum.dataPoints = into.sum.dataPoints.concat(m.sum.dataPoints);
    return true;
  }
  if (into.histogram && m.histogram && into.histogram.aggregationTemporality === m.histogram.aggregationTemporality) {
    into.histogram.dataPoints = into.histogram.dataPoints.concat(m.histogram.dataPoints);
    return true;
  }
  return false;
}
