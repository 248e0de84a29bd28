import { type AttributeRecord, anyValueToJs, attributesToRecord } from './any-value.js';
import type {
  OtlpExponentialBuckets,
  OtlpLogsRequest,
  OtlpMetric,
  OtlpMetricsRequest,
  OtlpResource,
  OtlpScope,
  OtlpTracesRequest,
} from './types.js';

export type { AttributeRecord, AttributeValue } from './any-value.js';

/** Which data a metric carries. */
export type MetricKind = 'sum' | 'histogram' | 'gauge' | 'exponentialHistogram' | 'summary';

/** AggregationTemporality by name (gauges and summaries have none: 'unspecified'). */
export type MetricTemporality = 'delta' | 'cumulative' | 'unspecified';

/** One data point of a flattened metric; which value fields are set depends on the kind. */
export interface MetricPointRow {
  attributes: AttributeRecord;
  startTimeUnixNano: string;
  timeUnixNano: string;
  /** Sums and gauges. */
  value?: number;
  /** Histograms and summaries. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  /** Explicit-bucket histograms. */
  bucketCounts?: number[];
  explicitBounds?: number[];
  /** Exponential histograms. */
  scale?: number;
  zeroCount?: number;
  positive?: { offset: number; bucketCounts: number[] };
  negative?: { offset: number; bucketCounts: number[] };
  /** Summaries. */
  quantiles?: { quantile: number; value: number }[];
}

/** One metric with its resource and scope folded in. */
export interface MetricRow {
  resource: AttributeRecord;
  scope: string;
  scopeVersion: string;
  name: string;
  unit: string;
  description: string;
  kind: MetricKind;
  temporality: MetricTemporality;
  /** Sums only. */
  monotonic?: boolean;
  points: MetricPointRow[];
}

/** One log record with its resource and scope folded in. */
export interface LogRow {
  resource: AttributeRecord;
  scope: string;
  /** The record's `eventName`, or else its `event.name` attribute (older senders). */
  eventName?: string;
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber?: number;
  severityText?: string;
  body?: unknown;
  attributes: AttributeRecord;
  traceId?: string;
  spanId?: string;
}

/** One span with its resource and scope folded in. */
export interface SpanRow {
  resource: AttributeRecord;
  scope: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status?: { code: number; message?: string };
  attributes: AttributeRecord;
  events: { name: string; timeUnixNano: string; attributes: AttributeRecord }[];
}

const TEMPORALITIES: Readonly<Record<number, MetricTemporality>> = { 1: 'delta', 2: 'cumulative' };

/** Every metric in a request, one row each, points unwrapped into plain numbers. */
export function flattenMetrics(request: OtlpMetricsRequest): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const rm of request.resourceMetrics) {
    const resource = resourceRecord(rm.resource);
    for (const sm of rm.scopeMetrics) {
      for (const metric of sm.metrics) rows.push(metricRow(resource, sm.scope, metric));
    }
  }
  return rows;
}

/** Every log record in a request, one row each. */
export function flattenLogs(request: OtlpLogsRequest): LogRow[] {
  const rows: LogRow[] = [];
  for (const rl of request.resourceLogs) {
    const resource = resourceRecord(rl.resource);
    for (const sl of rl.scopeLogs) {
      for (const log of sl.logRecords) {
        const attributes = attributesToRecord(log.attributes);
        const legacyName = attributes['event.name'];
        const eventName = log.eventName || (typeof legacyName === 'string' ? legacyName : undefined);
        const body = anyValueToJs(log.body);
        rows.push({
          resource,
          scope: sl.scope?.name ?? '',
          ...(eventName ? { eventName } : {}),
          timeUnixNano: log.timeUnixNano,
          observedTimeUnixNano: log.observedTimeUnixNano,
          ...(log.severityNumber ? { severityNumber: log.severityNumber } : {}),
          ...(log.severityText ? { severityText: log.severityText } : {}),
          ...(body !== undefined ? { body } : {}),
          attributes,
          ...(log.traceId ? { traceId: log.traceId } : {}),
          ...(log.spanId ? { spanId: log.spanId } : {}),
        });
      }
    }
  }
  return rows;
}

/** Every span in a request, one row each. */
export function flattenSpans(request: OtlpTracesRequest): SpanRow[] {
  const rows: SpanRow[] = [];
  for (const rs of request.resourceSpans) {
    const resource = resourceRecord(rs.resource);
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        rows.push({
          resource,
          scope: ss.scope?.name ?? '',
          name: span.name,
          kind: span.kind,
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          startTimeUnixNano: span.startTimeUnixNano,
          endTimeUnixNano: span.endTimeUnixNano,
          ...(span.status
            ? { status: { code: span.status.code, ...(span.status.message ? { message: span.status.message } : {}) } }
            : {}),
          attributes: attributesToRecord(span.attributes),
          events: span.events.map((e) => ({
            name: e.name,
            timeUnixNano: e.timeUnixNano,
            attributes: attributesToRecord(e.attributes),
          })),
        });
      }
    }
  }
  return rows;
}

function metricRow(resource: AttributeRecord, scope: OtlpScope | undefined, metric: OtlpMetric): MetricRow {
  const head = {
    resource,
    scope: scope?.name ?? '',
    scopeVersion: scope?.version ?? '',
    name: metric.name,
    unit: metric.unit,
    description: metric.description,
  };
  if (metric.sum) {
    return {
      ...head,
      kind: 'sum',
      temporality: temporality(metric.sum.aggregationTemporality),
      monotonic: metric.sum.isMonotonic,
      points: metric.sum.dataPoints.map((p) => ({ ...pointHead(p), value: numberValue(p) })),
    };
  }
  if (metric.gauge) {
    const points = metric.gauge.dataPoints.map((p) => ({ ...pointHead(p), value: numberValue(p) }));
    return { ...head, kind: 'gauge', temporality: 'unspecified', points };
  }
  if (metric.histogram) {
    const points = metric.histogram.dataPoints.map((p) => ({
      ...pointHead(p),
      ...stats(p),
      bucketCounts: p.bucketCounts.map(Number),
      explicitBounds: p.explicitBounds,
    }));
    return { ...head, kind: 'histogram', temporality: temporality(metric.histogram.aggregationTemporality), points };
  }
  if (metric.exponentialHistogram) {
    const points = metric.exponentialHistogram.dataPoints.map((p) => ({
      ...pointHead(p),
      ...stats(p),
      scale: p.scale,
      zeroCount: Number(p.zeroCount),
      ...(p.positive ? { positive: buckets(p.positive) } : {}),
      ...(p.negative ? { negative: buckets(p.negative) } : {}),
    }));
    const t = temporality(metric.exponentialHistogram.aggregationTemporality);
    return { ...head, kind: 'exponentialHistogram', temporality: t, points };
  }
  const points = (metric.summary?.dataPoints ?? []).map((p) => ({
    ...pointHead(p),
    count: Number(p.count),
    sum: p.sum,
    quantiles: p.quantileValues.map((q) => ({ quantile: q.quantile, value: q.value })),
  }));
  return { ...head, kind: 'summary', temporality: 'unspecified', points };
}

function resourceRecord(resource: OtlpResource | undefined): AttributeRecord {
  return attributesToRecord(resource?.attributes);
}

function temporality(value: number): MetricTemporality {
  return TEMPORALITIES[value] ?? 'unspecified';
}

function pointHead(p: { attributes: OtlpResource['attributes']; startTimeUnixNano: string; timeUnixNano: string }) {
  return { attributes: attributesToRecord(p.attributes), startTimeUnixNano: p.startTimeUnixNano, timeUnixNano: p.timeUnixNano };
}

function numberValue(p: { asDouble?: number; asInt?: string }): number | undefined {
  return p.asDouble ?? (p.asInt !== undefined ? Number(p.asInt) : undefined);
}

function stats(p: { count: string; sum?: number; min?: number; max?: number }) {
  return {
    count: Number(p.count),
    ...(p.sum !== undefined ? { sum: p.sum } : {}),
    ...(p.min !== undefined ? { min: p.min } : {}),
    ...(p.max !== undefined ? { max: p.max } : {}),
  };
}

function buckets(b: OtlpExponentialBuckets): { offset: number; bucketCounts: number[] } {
  return { offset: b.offset, bucketCounts: b.bucketCounts.map(Number) };
}

/** Data points a metric carries, whatever its kind. */
export function pointCount(m: OtlpMetric): number {
  return (
    (m.sum?.dataPoints.length ?? 0) +
    (m.histogram?.dataPoints.length ?? 0) +
    (m.gauge?.dataPoints.length ?? 0) +
    (m.exponentialHistogram?.dataPoints.length ?? 0) +
    (m.summary?.dataPoints.length ?? 0)
  );
}
