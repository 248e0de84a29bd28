import { context, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

// Drives the real OpenTelemetry SDK and its official OTLP exporters at a receiver, so the
// codec is tested against what actually goes over the wire, not against our own encoder.

/** Which official exporters to send through. */
export interface SendOptions {
  formats: readonly ('protobuf' | 'json')[];
  gzip?: boolean;
}

const resource = resourceFromAttributes({
  'service.name': 'optel-test',
  'service.version': '1.2.3',
  'process.pid': 4242,
});

function exporterConfig(url: string, path: string, gzip: boolean | undefined) {
  return {
    url: `${url}${path}`,
    compression: gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    timeoutMillis: 5_000,
  };
}

/**
 * Records a fixed set of instruments (counter, up-down counter, histogram with explicit
 * buckets, int gauge) with delta temporality and flushes one export per format.
 */
export async function sendMetrics(url: string, opts: SendOptions): Promise<void> {
  const readers = opts.formats.map((format) => {
    const config = {
      ...exporterConfig(url, '/v1/metrics', opts.gzip),
      temporalityPreference: AggregationTemporalityPreference.DELTA,
    };
    const exporter = format === 'json' ? new JsonMetricExporter(config) : new ProtoMetricExporter(config);
    return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  });
  const provider = new MeterProvider({ resource, readers });
  const meter = provider.getMeter('optel.test', '0.1.0');

  const commands = meter.createCounter('cli.commands', { unit: '{command}', description: 'Commands run' });
  commands.add(1, { command: 'init', ok: true });
  commands.add(2, { command: 'build', ok: false });
  const active = meter.createUpDownCounter('cli.active', { unit: '{session}' });
  active.add(3);
  active.add(-1);
  const duration = meter.createHistogram('cli.duration', {
    unit: 'ms',
    description: 'Command duration',
    advice: { explicitBucketBoundaries: [10, 100, 1000] },
  });
  for (const ms of [5, 50, 500, 5000]) duration.record(ms, { command: 'build' });
  const cache = meter.createGauge('cli.cache.size', { unit: 'By', valueType: ValueType.INT });
  cache.record(4096);

  // shutdown() collects once more and exports; a forceFlush() first would send two batches.
  await provider.shutdown();
}

/** Emits one event with `eventName` and one plain log through each format's exporter. */
export async function sendLogs(url: string, opts: SendOptions): Promise<void> {
  const processors = opts.formats.map((format) => {
    const config = exporterConfig(url, '/v1/logs', opts.gzip);
    const exporter = format === 'json' ? new JsonLogExporter(config) : new ProtoLogExporter(config);
    // sdk-logs 0.223 takes an options object here, unlike SimpleSpanProcessor.
    return new SimpleLogRecordProcessor({ exporter });
  });
  const provider = new LoggerProvider({ resource, processors });
  const logger = provider.getLogger('optel.test', '0.1.0');
  logger.emit({
    eventName: 'cli.command',
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'ran init',
    attributes: { command: 'init', 'duration.ms': 12, ratio: 0.5, ok: true, tags: ['a', 'b'] },
  });
  logger.emit({
    severityNumber: SeverityNumber.WARN,
    body: { reason: 'slow', count: 2 },
    attributes: { 'event.name': 'cli.legacy_event' },
  });
  await provider.forceFlush();
  await provider.shutdown();
}

/** Records a parent span (error status, one event) and a child span through each format. */
export async function sendSpans(url: string, opts: SendOptions): Promise<void> {
  const spanProcessors = opts.formats.map((format) => {
    const config = exporterConfig(url, '/v1/traces', opts.gzip);
    return new SimpleSpanProcessor(format === 'json' ? new JsonTraceExporter(config) : new ProtoTraceExporter(config));
  });
  const provider = new BasicTracerProvider({ resource, spanProcessors });
  const tracer = provider.getTracer('optel.test', '0.1.0');
  const parent = tracer.startSpan('cli.run', { attributes: { command: 'build', attempt: 1 } });
  const child = tracer.startSpan('cli.compile', {}, trace.setSpan(context.active(), parent));
  child.end();
  parent.addEvent('cache.miss', { key: 'deps' });
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
}
