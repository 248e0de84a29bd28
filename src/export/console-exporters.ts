import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord, LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Writes text somewhere that is not stdout. */
export type TextSink = (text: string) => void;

const decoder = new TextDecoder();
const ok: ExportResult = { code: ExportResultCode.SUCCESS };

// OTel's own console exporters print with console.log, i.e. to stdout, which may be the host's
// protocol channel; these print the exact OTLP/JSON request to stderr instead.

/** `OTEL_METRICS_EXPORTER=console`: OTLP/JSON on stderr. */
export function consoleMetricExporter(write: TextSink): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void) {
      const bytes = JsonMetricsSerializer.serializeRequest(metrics);
      if (bytes) write(`${decoder.decode(bytes)}\n`);
      done(ok);
    },
    selectAggregationTemporality: () => AggregationTemporality.DELTA,
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

/** `OTEL_LOGS_EXPORTER=console`: OTLP/JSON on stderr. */
export function consoleLogExporter(write: TextSink): LogRecordExporter {
  return {
    export(records: ReadableLogRecord[], done: (result: ExportResult) => void) {
      const bytes = JsonLogsSerializer.serializeRequest(records);
      if (bytes) write(`${decoder.decode(bytes)}\n`);
      done(ok);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

/** `OTEL_TRACES_EXPORTER=console`: OTLP/JSON on stderr. */
export function consoleSpanExporter(write: TextSink): SpanExporter {
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      const bytes = JsonTraceSerializer.serializeRequest(spans);
      if (bytes) write(`${decoder.decode(bytes)}\n`);
      done(ok);
    },
    shutdown: async () => {},
  };
}
