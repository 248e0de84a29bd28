/**
 * The normalized OTLP request shape returned by `decodeRequest` and taken by `encodeRequest`.
 *
 * It is the OTLP/JSON encoding (lowerCamelCase keys, 64-bit integers as decimal strings,
 * enums as numbers, trace/span ids as lowercase hex, other bytes as base64), made canonical
 * so protobuf and JSON input look identical: every scalar and repeated field is present
 * (defaults filled in), while sub-messages, oneof members and proto3 `optional` fields appear
 * only when they were sent (their presence carries meaning).
 */

/** A decimal string holding a 64-bit integer (OTLP/JSON's lossless int64). */
export type Int64String = string;

/** `opentelemetry.proto.common.v1.AnyValue`: at most one member is set; none means "empty". */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64String;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
  /** Base64. */
  bytesValue?: string;
}

/** `KeyValue`: an attribute. */
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/** `EntityRef` (development status upstream, carried through untouched). */
export interface OtlpEntityRef {
  schemaUrl: string;
  type: string;
  idKeys: string[];
  descriptionKeys: string[];
}

/** `Resource`. */
export interface OtlpResource {
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  entityRefs: OtlpEntityRef[];
}

/** `InstrumentationScope`. */
export interface OtlpScope {
  name: string;
  version: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
}

/** `Exemplar`. */
export interface OtlpExemplar {
  filteredAttributes: OtlpKeyValue[];
  timeUnixNano: Int64String;
  asDouble?: number;
  asInt?: Int64String;
  spanId: string;
  traceId: string;
}

/** Fields every metric data point has. */
interface OtlpPointBase {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: Int64String;
  timeUnixNano: Int64String;
  flags: number;
}

/** `NumberDataPoint` (sums and gauges). */
export interface OtlpNumberDataPoint extends OtlpPointBase {
  asDouble?: number;
  asInt?: Int64String;
  exemplars: OtlpExemplar[];
}

/** `HistogramDataPoint`. */
export interface OtlpHistogramDataPoint extends OtlpPointBase {
  count: Int64String;
  sum?: number;
  bucketCounts: Int64String[];
  explicitBounds: number[];
  exemplars: OtlpExemplar[];
  min?: number;
  max?: number;
}

/** `ExponentialHistogramDataPoint.Buckets`. */
export interface OtlpExponentialBuckets {
  offset: number;
  bucketCounts: Int64String[];
}

/** `ExponentialHistogramDataPoint`. */
export interface OtlpExponentialHistogramDataPoint extends OtlpPointBase {
  count: Int64String;
  sum?: number;
  scale: number;
  zeroCount: Int64String;
  positive?: OtlpExponentialBuckets;
  negative?: OtlpExponentialBuckets;
  exemplars: OtlpExemplar[];
  min?: number;
  max?: number;
  zeroThreshold: number;
}

/** `SummaryDataPoint`. */
export interface OtlpSummaryDataPoint extends OtlpPointBase {
  count: Int64String;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
}

/** `Metric`: exactly one of gauge/sum/histogram/exponentialHistogram/summary in valid data. */
export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  gauge?: { dataPoints: OtlpNumberDataPoint[] };
  sum?: { dataPoints: OtlpNumberDataPoint[]; aggregationTemporality: number; isMonotonic: boolean };
  histogram?: { dataPoints: OtlpHistogramDataPoint[]; aggregationTemporality: number };
  exponentialHistogram?: {
    dataPoints: OtlpExponentialHistogramDataPoint[];
    aggregationTemporality: number;
  };
  summary?: { dataPoints: OtlpSummaryDataPoint[] };
  metadata: OtlpKeyValue[];
}

/** `ExportMetricsServiceRequest`. */
export interface OtlpMetricsRequest {
  resourceMetrics: {
    resource?: OtlpResource;
    scopeMetrics: { scope?: OtlpScope; metrics: OtlpMetric[]; schemaUrl: string }[];
    schemaUrl: string;
  }[];
}

/** `LogRecord`. */
export interface OtlpLogRecord {
  timeUnixNano: Int64String;
  observedTimeUnixNano: Int64String;
  severityNumber: number;
  severityText: string;
  body?: OtlpAnyValue;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}

/** `ExportLogsServiceRequest`. */
export interface OtlpLogsRequest {
  resourceLogs: {
    resource?: OtlpResource;
    scopeLogs: { scope?: OtlpScope; logRecords: OtlpLogRecord[]; schemaUrl: string }[];
    schemaUrl: string;
  }[];
}

/** `Span`. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: Int64String;
  endTimeUnixNano: Int64String;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  events: {
    timeUnixNano: Int64String;
    name: string;
    attributes: OtlpKeyValue[];
    droppedAttributesCount: number;
  }[];
  droppedEventsCount: number;
  links: {
    traceId: string;
    spanId: string;
    traceState: string;
    attributes: OtlpKeyValue[];
    droppedAttributesCount: number;
    flags: number;
  }[];
  droppedLinksCount: number;
  status?: { message: string; code: number };
}

/** `ExportTraceServiceRequest`. */
export interface OtlpTracesRequest {
  resourceSpans: {
    resource?: OtlpResource;
    scopeSpans: { scope?: OtlpScope; spans: OtlpSpan[]; schemaUrl: string }[];
    schemaUrl: string;
  }[];
}

/** The request type of each signal. */
export interface OtlpRequestMap {
  metrics: OtlpMetricsRequest;
  logs: OtlpLogsRequest;
  traces: OtlpTracesRequest;
}

/** Any of the three requests. */
export type OtlpRequest = OtlpRequestMap[keyof OtlpRequestMap];

/** What a receiver reports back: how many items it dropped, and an optional explanation. */
export interface OtlpPartialSuccess {
  rejected: number;
  errorMessage?: string;
}

/** The two OTLP/HTTP body encodings. */
export type OtlpFormat = 'protobuf' | 'json';
