import type { FieldPlan, MessagePlan } from './field-plan.js';

/**
 * Each field's number and protobuf type: what `schema.ts` leaves to the generated code (read off
 * opentelemetry-proto; the encoder's and decoder's tests check bytes and values against the generated code).
 */
const WIRE: Readonly<Record<string, string>> = {
  'collector.metrics.v1.ExportMetricsServiceRequest': 'resourceMetrics 1',
  'collector.metrics.v1.ExportMetricsServiceResponse': 'partialSuccess 1',
  'collector.metrics.v1.ExportMetricsPartialSuccess': 'rejectedDataPoints 1 int64, errorMessage 2',
  'collector.logs.v1.ExportLogsServiceRequest': 'resourceLogs 1',
  'collector.logs.v1.ExportLogsServiceResponse': 'partialSuccess 1',
  'collector.logs.v1.ExportLogsPartialSuccess': 'rejectedLogRecords 1 int64, errorMessage 2',
  'collector.trace.v1.ExportTraceServiceRequest': 'resourceSpans 1',
  'collector.trace.v1.ExportTraceServiceResponse': 'partialSuccess 1',
  'collector.trace.v1.ExportTracePartialSuccess': 'rejectedSpans 1 int64, errorMessage 2',
  'common.v1.AnyValue': 'stringValue 1, boolValue 2, intValue 3 int64, doubleValue 4, arrayValue 5, kvlistValue 6, bytesValue 7',
  'common.v1.ArrayValue': 'values 1',
  'common.v1.KeyValueList': 'values 1',
  'common.v1.KeyValue': 'key 1, value 2',
  'common.v1.InstrumentationScope': 'name 1, version 2, attributes 3, droppedAttributesCount 4 uint32',
  'common.v1.EntityRef': 'schemaUrl 1, type 2, idKeys 3, descriptionKeys 4',
  'resource.v1.Resource': 'attributes 1, droppedAttributesCount 2 uint32, entityRefs 3',
  'metrics.v1.ResourceMetrics': 'resource 1, scopeMetrics 2, schemaUrl 3',
  'metrics.v1.ScopeMetrics': 'scope 1, metrics 2, schemaUrl 3',
  'metrics.v1.Metric': 'name 1, description 2, unit 3, gauge 5, sum 7, histogram 9, exponentialHistogram 10, summary 11, metadata 12',
  'metrics.v1.Gauge': 'dataPoints 1',
  'metrics.v1.Sum': 'dataPoints 1, aggregationTemporality 2 int32, isMonotonic 3',
  'metrics.v1.Histogram': 'dataPoints 1, aggregationTemporality 2 int32',
  'metrics.v1.ExponentialHistogram': 'dataPoints 1, aggregationTemporality 2 int32',
  'metrics.v1.Summary': 'dataPoints 1',
  'metrics.v1.NumberDataPoint':
    'startTimeUnixNano 2 fixed64, timeUnixNano 3 fixed64, asDouble 4, exemplars 5, asInt 6 sfixed64, attributes 7, flags 8 uint32',
  'metrics.v1.HistogramDataPoint':
    'startTimeUnixNano 2 fixed64, timeUnixNano 3 fixed64, count 4 fixed64, sum 5, bucketCounts 6 fixed64, explicitBounds 7, ' +
    'exemplars 8, attributes 9, flags 10 uint32, min 11, max 12',
  'metrics.v1.ExponentialHistogramDataPoint':
    'attributes 1, startTimeUnixNano 2 fixed64, timeUnixNano 3 fixed64, count 4 fixed64, sum 5, scale 6 sint32, zeroCount 7 fixed64, ' +
    'positive 8, negative 9, flags 10 uint32, exemplars 11, min 12, max 13, zeroThreshold 14',
  'metrics.v1.ExponentialHistogramDataPoint.Buckets': 'offset 1 sint32, bucketCounts 2 uint64',
  'metrics.v1.SummaryDataPoint':
    'startTimeUnixNano 2 fixed64, timeUnixNano 3 fixed64, count 4 fixed64, sum 5, quantileValues 6, attributes 7, flags 8 uint32',
  'metrics.v1.SummaryDataPoint.ValueAtQuantile': 'quantile 1, value 2',
  'metrics.v1.Exemplar': 'timeUnixNano 2 fixed64, asDouble 3, spanId 4, traceId 5, asInt 6 sfixed64, filteredAttributes 7',
  'logs.v1.ResourceLogs': 'resource 1, scopeLogs 2, schemaUrl 3',
  'logs.v1.ScopeLogs': 'scope 1, logRecords 2, schemaUrl 3',
  'logs.v1.LogRecord':
    'timeUnixNano 1 fixed64, severityNumber 2 int32, severityText 3, body 5, attributes 6, droppedAttributesCount 7 uint32, ' +
    'flags 8 fixed32, traceId 9, spanId 10, observedTimeUnixNano 11 fixed64, eventName 12',
  'trace.v1.ResourceSpans': 'resource 1, scopeSpans 2, schemaUrl 3',
  'trace.v1.ScopeSpans': 'scope 1, spans 2, schemaUrl 3',
  'trace.v1.Span':
    'traceId 1, spanId 2, traceState 3, parentSpanId 4, name 5, kind 6 int32, startTimeUnixNano 7 fixed64, ' +
    'endTimeUnixNano 8 fixed64, attributes 9, droppedAttributesCount 10 uint32, events 11, droppedEventsCount 12 uint32, ' +
    'links 13, droppedLinksCount 14 uint32, status 15, flags 16 fixed32',
  'trace.v1.Span.Event': 'timeUnixNano 1 fixed64, name 2, attributes 3, droppedAttributesCount 4 uint32',
  'trace.v1.Span.Link': 'traceId 1, spanId 2, traceState 3, attributes 4, droppedAttributesCount 5 uint32, flags 6 fixed32',
  'trace.v1.Status': 'message 2, code 3 int32',
};

/** Protobuf types the table names; the rest follow from the field's kind (string, bool, double, bytes, ids, messages). */
type Explicit = 'int64' | 'uint64' | 'fixed64' | 'sfixed64' | 'int32' | 'uint32' | 'sint32' | 'fixed32';

/** One field as the wire sees it: its number and protobuf type. */
export interface WireField {
  readonly plan: FieldPlan;
  readonly number: number;
  readonly type: Explicit | 'string' | 'bool' | 'double' | 'bytes' | 'id' | 'message';
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;

/** The fields of a message in field-number order (the order protobufjs writes them in). */
export function wireFields(plan: MessagePlan): WireField[] {
  const spec = WIRE[plan.path];
  if (spec === undefined) throw new Error(`otlp protobuf: no wire table for ${plan.path}`);
  const byName = new Map(plan.fields.map((f) => [f.name, f]));
  const fields = spec.split(', ').map((entry): WireField => {
    const [name = '', number = '', explicit] = entry.split(' ');
    const field = byName.get(name);
    if (!field || !IDENTIFIER.test(name)) throw new Error(`otlp protobuf: ${plan.path} has no field ${name}`);
    const implicit = { string: 'string', bool: 'bool', double: 'double', bytes: 'bytes', id: 'id', message: 'message' } as const;
    const type = (explicit as Explicit | undefined) ?? implicit[field.kind as keyof typeof implicit];
    if (type === undefined) throw new Error(`otlp protobuf: ${plan.path}.${name} needs a protobuf type`);
    return { plan: field, number: Number(number), type };
  });
  if (fields.length !== plan.fields.length) throw new Error(`otlp protobuf: ${plan.path} lists ${fields.length} of ${plan.fields.length} fields`);
  // protobufjs writes fields in field-number order; so does this, so the bytes are the same.
  return fields.sort((a, b) => a.number - b.number);
}

/** The wire type each protobuf type is written with when not packed. */
export const WIRE_TYPES: Readonly<Record<WireField['type'], number>> = {
  int64: 0, uint64: 0, int32: 0, uint32: 0, sint32: 0, bool: 0,
  fixed64: 1, sfixed64: 1, double: 1, fixed32: 5,
  string: 2, bytes: 2, id: 2, message: 2,
};
