/**
 * The OTLP messages optel decodes and encodes, as the normalized shape needs to know them.
 *
 * optel's codec is generated from this table rather than from .proto files or protobufjs's
 * reflection (neither is loaded at run time), so the facts it needs are written down here: every
 * message's fields, in declaration order, with the kind of value each holds. Field numbers and
 * wire types are in `protobuf-fields.ts`. The tests hold both tables to OpenTelemetry's generated
 * protobufjs module (`test/otlp/schema.test.ts`, and the encoder's and decoder's tests).
 *
 * Messages are named by their path under the `opentelemetry.proto` package. A field is
 * `name type [repeated | optional | oneof:<group>]`, where `type` is
 *
 * - a scalar kind: `string`, `bool`, `double` (float/double), `int32` (any 32-bit integer),
 *   `int64` (signed 64-bit: int64, sfixed64), `uint64` (unsigned 64-bit: uint64, fixed64),
 *   `bytes`, or `id` (bytes written as lowercase hex: trace and span ids, as OTLP/JSON requires);
 * - `enum:<path>`, an enum by its path under `opentelemetry.proto` (its values: `OTLP_ENUMS`);
 * - or another message of this table, by its last name segment (they are all distinct).
 *
 * `optional` is a proto3 `optional` field (presence tracked, no default filled in); `oneof:g`
 * makes the field a member of oneof `g`.
 */
export const OTLP_MESSAGES: Readonly<Record<string, readonly string[]>> = {
  // opentelemetry/proto/collector/*/v1/*_service.proto
  'collector.metrics.v1.ExportMetricsServiceRequest': ['resourceMetrics ResourceMetrics repeated'],
  'collector.metrics.v1.ExportMetricsServiceResponse': ['partialSuccess ExportMetricsPartialSuccess'],
  'collector.metrics.v1.ExportMetricsPartialSuccess': ['rejectedDataPoints int64', 'errorMessage string'],
  'collector.logs.v1.ExportLogsServiceRequest': ['resourceLogs ResourceLogs repeated'],
  'collector.logs.v1.ExportLogsServiceResponse': ['partialSuccess ExportLogsPartialSuccess'],
  'collector.logs.v1.ExportLogsPartialSuccess': ['rejectedLogRecords int64', 'errorMessage string'],
  'collector.trace.v1.ExportTraceServiceRequest': ['resourceSpans ResourceSpans repeated'],
  'collector.trace.v1.ExportTraceServiceResponse': ['partialSuccess ExportTracePartialSuccess'],
  'collector.trace.v1.ExportTracePartialSuccess': ['rejectedSpans int64', 'errorMessage string'],

  // opentelemetry/proto/common/v1/common.proto
  'common.v1.AnyValue': [
    'stringValue string oneof:value',
    'boolValue bool oneof:value',
    'intValue int64 oneof:value',
    'doubleValue double oneof:value',
    'arrayValue ArrayValue oneof:value',
    'kvlistValue KeyValueList oneof:value',
    'bytesValue bytes oneof:value',
  ],
  'common.v1.ArrayValue': ['values AnyValue repeated'],
  'common.v1.KeyValueList': ['values KeyValue repeated'],
  'common.v1.KeyValue': ['key string', 'value AnyValue'],
  'common.v1.InstrumentationScope': [
    'name string',
    'version string',
    'attributes KeyValue repeated',
    'droppedAttributesCount int32',
  ],
  'common.v1.EntityRef': ['schemaUrl string', 'type string', 'idKeys string repeated', 'descriptionKeys string repeated'],

  // opentelemetry/proto/resource/v1/resource.proto
  'resource.v1.Resource': ['attributes KeyValue repeated', 'droppedAttributesCount int32', 'entityRefs EntityRef repeated'],

  // opentelemetry/proto/metrics/v1/metrics.proto
  'metrics.v1.ResourceMetrics': ['resource Resource', 'scopeMetrics ScopeMetrics repeated', 'schemaUrl string'],
  'metrics.v1.ScopeMetrics': ['scope InstrumentationScope', 'metrics Metric repeated', 'schemaUrl string'],
  'metrics.v1.Metric': [
    'name string',
    'description string',
    'unit string',
    'gauge Gauge oneof:data',
    'sum Sum oneof:data',
    'histogram Histogram oneof:data',
    'exponentialHistogram ExponentialHistogram oneof:data',
    'summary Summary oneof:data',
    'metadata KeyValue repeated',
  ],
  'metrics.v1.Gauge': ['dataPoints NumberDataPoint repeated'],
  'metrics.v1.Sum': [
    'dataPoints NumberDataPoint repeated',
    'aggregationTemporality enum:metrics.v1.AggregationTemporality',
    'isMonotonic bool',
  ],
  'metrics.v1.Histogram': [
    'dataPoints HistogramDataPoint repeated',
    'aggregationTemporality enum:metrics.v1.AggregationTemporality',
  ],
  'metrics.v1.ExponentialHistogram': [
    'dataPoints ExponentialHistogramDataPoint repeated',
    'aggregationTemporality enum:metrics.v1.AggregationTemporality',
  ],
  'metrics.v1.Summary': ['dataPoints SummaryDataPoint repeated'],
  'metrics.v1.NumberDataPoint': [
    'attributes KeyValue repeated',
    'startTimeUnixNano uint64',
    'timeUnixNano uint64',
    'asDouble double oneof:value',
    'asInt int64 oneof:value',
    'exemplars Exemplar repeated',
    'flags int32',
  ],
  'metrics.v1.HistogramDataPoint': [
    'attributes KeyValue repeated',
    'startTimeUnixNano uint64',
    'timeUnixNano uint64',
    'count uint64',
    'sum double optional',
    'bucketCounts uint64 repeated',
    'explicitBounds double repeated',
    'exemplars Exemplar repeated',
    'flags int32',
    'min double optional',
    'max double optional',
  ],
  'metrics.v1.ExponentialHistogramDataPoint': [
    'attributes KeyValue repeated',
    'startTimeUnixNano uint64',
    'timeUnixNano uint64',
    'count uint64',
    'sum double optional',
    'scale int32',
    'zeroCount uint64',
    'positive Buckets',
    'negative Buckets',
    'flags int32',
    'exemplars Exemplar repeated',
    'min double optional',
    'max double optional',
    'zeroThreshold double',
  ],
  'metrics.v1.ExponentialHistogramDataPoint.Buckets': ['offset int32', 'bucketCounts uint64 repeated'],
  'metrics.v1.SummaryDataPoint': [
    'attributes KeyValue repeated',
    'startTimeUnixNano uint64',
    'timeUnixNano uint64',
    'count uint64',
    'sum double',
    'quantileValues ValueAtQuantile repeated',
    'flags int32',
  ],
  'metrics.v1.SummaryDataPoint.ValueAtQuantile': ['quantile double', 'value double'],
  'metrics.v1.Exemplar': [
    'filteredAttributes KeyValue repeated',
    'timeUnixNano uint64',
    'asDouble double oneof:value',
    'asInt int64 oneof:value',
    'spanId id',
    'traceId id',
  ],

  // opentelemetry/proto/logs/v1/logs.proto
  'logs.v1.ResourceLogs': ['resource Resource', 'scopeLogs ScopeLogs repeated', 'schemaUrl string'],
  'logs.v1.ScopeLogs': ['scope InstrumentationScope', 'logRecords LogRecord repeated', 'schemaUrl string'],
  'logs.v1.LogRecord': [
    'timeUnixNano uint64',
    'observedTimeUnixNano uint64',
    'severityNumber enum:logs.v1.SeverityNumber',
    'severityText string',
    'body AnyValue',
    'attributes KeyValue repeated',
    'droppedAttributesCount int32',
    'flags int32',
    'traceId id',
    'spanId id',
    'eventName string',
  ],

  // opentelemetry/proto/trace/v1/trace.proto
  'trace.v1.ResourceSpans': ['resource Resource', 'scopeSpans ScopeSpans repeated', 'schemaUrl string'],
  'trace.v1.ScopeSpans': ['scope InstrumentationScope', 'spans Span repeated', 'schemaUrl string'],
  'trace.v1.Span': [
    'traceId id',
    'spanId id',
    'traceState string',
    'parentSpanId id',
    'flags int32',
    'name string',
    'kind enum:trace.v1.Span.SpanKind',
    'startTimeUnixNano uint64',
    'endTimeUnixNano uint64',
    'attributes KeyValue repeated',
    'droppedAttributesCount int32',
    'events Event repeated',
    'droppedEventsCount int32',
    'links Link repeated',
    'droppedLinksCount int32',
    'status Status',
  ],
  'trace.v1.Span.Event': ['timeUnixNano uint64', 'name string', 'attributes KeyValue repeated', 'droppedAttributesCount int32'],
  'trace.v1.Span.Link': [
    'traceId id',
    'spanId id',
    'traceState string',
    'attributes KeyValue repeated',
    'droppedAttributesCount int32',
    'flags int32',
  ],
  'trace.v1.Status': ['message string', 'code enum:trace.v1.Status.StatusCode'],
};

const SEVERITIES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) => [level, `${level}2`, `${level}3`, `${level}4`]);

/**
 * The values of each enum the table names, by the names OTLP/JSON senders may write instead of
 * numbers (`test/otlp/schema.test.ts` checks them against the generated module).
 */
export const OTLP_ENUMS: Readonly<Record<string, readonly string[]>> = {
  'metrics.v1.AggregationTemporality': ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'].map((n) => `AGGREGATION_TEMPORALITY_${n}`),
  'logs.v1.SeverityNumber': ['UNSPECIFIED', ...SEVERITIES].map((n) => `SEVERITY_NUMBER_${n}`),
  'trace.v1.Span.SpanKind': ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map((n) => `SPAN_KIND_${n}`),
  'trace.v1.Status.StatusCode': ['UNSET', 'OK', 'ERROR'].map((n) => `STATUS_CODE_${n}`),
};

/** The request and response message of each signal's export service. */
export const SERVICE_MESSAGES = {
  metrics: {
    request: 'collector.metrics.v1.ExportMetricsServiceRequest',
    response: 'collector.metrics.v1.ExportMetricsServiceResponse',
  },
  logs: {
    request: 'collector.logs.v1.ExportLogsServiceRequest',
    response: 'collector.logs.v1.ExportLogsServiceResponse',
  },
  traces: {
    request: 'collector.trace.v1.ExportTraceServiceRequest',
    response: 'collector.trace.v1.ExportTraceServiceResponse',
  },
} as const;
