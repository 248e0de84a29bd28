import { OPTEL_SCOPE } from '../semconv/names.js';
import type { HrTime } from '@opentelemetry/api';
import { ExportResultCode, millisToHrTime, type ExportResult } from '@opentelemetry/core';
import { LoggerProvider, type LogRecordProcessor, type SdkLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, MetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Signal } from '../config/settings.js';
import type { EventRecord } from '../recorder/event-record.js';
import { createEmitter, type Emitter } from './emit.js';
import type { Exporters } from './exporters.js';
import { buildResource, type ResourceIdentity } from './resource.js';

/** Records of one installation in one delivery window. */
export interface ReplayBatch {
  readonly identity: ResourceIdentity;
  readonly window: { readonly start: number; readonly end: number };
  readonly records: readonly EventRecord[];
  readonly descriptions: Readonly<Record<string, string>>;
}

/** A reader that collects only when asked: the sender decides when a window is complete. */
class WindowReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Rolled-up points describe the whole window, whatever the clock says at replay time. */
function stampWindow(metrics: ResourceMetrics, window: ReplayBatch['window']): void {
  const start = millisToHrTime(window.start);
  const end = millisToHrTime(window.end);
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints as Array<{ startTime: HrTime; endTime: HrTime }>) {
        point.startTime = start;
        point.endTime = end;
      }
    }
  }
}

function exportWith<T>(exporter: { export(items: T, done: (r: ExportResult) => void): void }, items: T, timeoutMs: number) {
  return new Promise<boolean>((resolve) => {
    // The exporters have their own timeout; this guard makes a wedged one fail the batch instead of hanging.
    const timer = setTimeout(() => resolve(false), timeoutMs + 2_000);
    try {
      exporter.export(items, (result) => {
        clearTimeout(timer);
        resolve(result.code === ExportResultCode.SUCCESS);
      });
    } catch {
      clearTimeout(timer);
      resolve(false);
    }
  });
}

/** What the sender learns, and decides, between one export and the next. */
export interface ReplayProgress {
  /** Asked before each export; false keeps that signal back (it and the rest of it count as not sent). */
  readonly mayGoOn?: (signal: Signal) => boolean;
  /**
   * Told as soon as an export was accepted, before the next one: `signal` has now gone out for the
   * batch's records before index `end`.
   */
  readonly sent?: (signal: Signal, end: number) => void;
}

/**
 * Most records whose log records or spans go in one export: bodies of a few MB at most, even as
 * OTLP/JSON, and few parts per claim (each accepted part rewrites what is left of it in the claim).
 */
const PART_RECORDS = 5000;
/** About the most bytes of attributes in one export of log records or spans: well under a collector's (or `optel gateway`'s) 4 MiB body limit. */
const PART_BYTES = 1024 * 1024;

/**
 * A record's share of an export body, from above: what a log record or span costs in OTLP/JSON
 * (ids, times, the event name, about 400 bytes) and each attribute with its key-value wrapping
 * (about 40 bytes), strings counted as if every character took 3 bytes.
 */
function weightOf(record: EventRecord): number {
  let bytes = 400 + record.name.length * 2;
  for (const attrs of [record.attrs, record.extra]) {
    if (attrs === undefined) continue;
    for (const key in attrs) {
      const value = attrs[key];
      bytes += 40 + key.length + (typeof value === 'string' ? value.length * 3 : 24);
    }
  }
  return bytes;
}

/** `[start, end)` ranges of `records`, each within PART_RECORDS records and PART_BYTES. */
function partsOf(records: readonly EventRecord[]): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let start = 0;
  let bytes = 0;
  records.forEach((record, i) => {
    const weight = weightOf(record);
    if (i > start && (i - start >= PART_RECORDS || bytes + weight > PART_BYTES)) {
      parts.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += weight;
  });
  if (start < records.length) parts.push([start, records.length]);
  return parts;
}

/**
 * Replays records into a fresh MeterProvider (the real instruments, so aggregation is the SDK's)
 * and exports the window's metrics once. `batch` holds every record of its installation's window
 * that goes out as metrics, whatever stored settings each was spooled against: a second export of
 * the same series and window would be a second point a backend keeps only one of. Resolves true
 * when accepted, false when not, undefined when there was nothing to send.
 */
export async function replayMetrics(batch: ReplayBatch, exporter: PushMetricExporter, timeoutMs: number): Promise<boolean | undefined> {
  const reader = new WindowReader();
  const meters = new MeterProvider({ resource: buildResource(batch.identity), readers: [reader] });
  try {
    const emitter = createEmitter({ meter: meters.getMeter(OPTEL_SCOPE) }, (name) => batch.descriptions[name]);
    for (const record of batch.records) emitter.emit(record);
    emitter.drainCounts();
    const { resourceMetrics } = await reader.collect();
    if (resourceMetrics.scopeMetrics.length === 0) return undefined;
    stampWindow(resourceMetrics, batch.window);
    return await exportWith(exporter, resourceMetrics, timeoutMs);
  } finally {
    await meters.shutdown().catch(() => {});
  }
}

/**
 * Replays one batch into fresh OTel providers and exports its log records and spans in parts of
 * bounded size (a week of text spooled offline, in one body, would be over a collector's limit on
 * every attempt). Returns the signals not wholly sent; `progress.sent` says how far each one got.
 */
export async function replayEvents(batch: ReplayBatch, exporters: Exporters, timeoutMs: number, progress: ReplayProgress = {}): Promise<Set<Signal>> {
  const resource = buildResource(batch.identity);
  const scope = OPTEL_SCOPE;
  const describe = (name: string) => batch.descriptions[name];
  const failed = new Set<Signal>();
  const parts = exporters.logs || exporters.traces ? partsOf(batch.records) : [];
  /** Exports what `emitter` collects into `items` for the batch's records, a part at a time; stops at the first part that fails. */
  const sendInParts = async <I>(signal: Signal, exporter: { export(items: I[], done: (r: ExportResult) => void): void }, items: I[], emitter: Emitter) => {
    for (const [start, end] of parts) {
      items.length = 0;
      for (let i = start; i < end; i++) emitter.emit(batch.records[i]!);
      if (items.length === 0) continue;
      // Consent withdrawn during an earlier export (which can take seconds) stops what has not gone out yet.
      if ((progress.mayGoOn?.(signal) ?? true) && (await exportWith(exporter, [...items], timeoutMs))) {
        progress.sent?.(signal, end);
      } else {
        failed.add(signal);
        return;
      }
    }
  };
  if (exporters.logs) {
    const logRecords: SdkLogRecord[] = [];
    const collector: LogRecordProcessor = { onEmit: (record) => void logRecords.push(record), forceFlush: async () => {}, shutdown: async () => {} };
    const logs = new LoggerProvider({ resource, processors: [collector] });
    await sendInParts('logs', exporters.logs, logRecords, createEmitter({ logger: logs.getLogger(scope) }, describe));
    await logs.shutdown().catch(() => {});
  }
  if (exporters.traces) {
    const spans: ReadableSpan[] = [];
    const collector: SpanProcessor = { onStart: () => {}, onEnd: (span) => void spans.push(span), forceFlush: async () => {}, shutdown: async () => {} };
    const tracers = new BasicTracerProvider({ resource, spanProcessors: [collector] });
    await sendInParts('traces', exporters.traces, spans, createEmitter({ tracer: tracers.getTracer(scope) }, describe));
    await tracers.shutdown().catch(() => {});
  }
  return failed;
}
