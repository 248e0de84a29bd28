import type { HrTime } from '@opentelemetry/api';
import { ExportResultCode, millisToHrTime, type ExportResult } from '@opentelemetry/core';
import { LoggerProvider, type LogRecordProcessor, type SdkLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Signal } from '../config/settings.js';
import type { EventRecord } from '../recorder/event-record.js';
import { createEmitter } from './emit.js';
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

/** What the sender learns, and decides, between one signal's export and the next. */
export interface ReplayProgress {
  /** Asked before each signal's export; false keeps that signal back (it counts as not sent). */
  readonly mayGoOn?: (signal: Signal) => boolean;
  /** Told as soon as a signal was accepted, before the next is exported (so it can be recorded as sent). */
  readonly sent?: (signal: Signal) => void;
}

/**
 * Replays one batch into fresh OTel providers (the real instruments, so aggregation is the SDK's)
 * and exports each signal once. Returns the signals that failed or were not sent, so only those are
 * re-queued.
 */
export async function replayBatch(batch: ReplayBatch, exporters: Exporters, timeoutMs: number, progress: ReplayProgress = {}): Promise<Set<Signal>> {
  const resource = buildResource(batch.identity);
  const reader = new WindowReader();
  const meters = new MeterProvider({ resource, readers: [reader] });
  const logRecords: SdkLogRecord[] = [];
  const logCollector: LogRecordProcessor = {
    onEmit: (record) => void logRecords.push(record),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const logs = new LoggerProvider({ resource, processors: [logCollector] });
  const spans: ReadableSpan[] = [];
  const spanCollector: SpanProcessor = {
    onStart: () => {},
    onEnd: (span) => void spans.push(span),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const tracers = new BasicTracerProvider({ resource, spanProcessors: [spanCollector] });
  const scope = 'optel';
  const emitter = createEmitter(
    {
      meter: exporters.metrics && meters.getMeter(scope),
      logger: exporters.logs && logs.getLogger(scope),
      tracer: exporters.traces && tracers.getTracer(scope),
    },
    (name) => batch.descriptions[name],
  );
  for (const record of batch.records) emitter.emit(record);
  emitter.drainCounts();

  const failed = new Set<Signal>();
  const send = async <T>(signal: Signal, exporter: { export(items: T, done: (r: ExportResult) => void): void }, items: T) => {
    // Consent withdrawn during an earlier export (which can take seconds) stops what has not gone out yet.
    const go = progress.mayGoOn?.(signal) ?? true;
    if (go && (await exportWith(exporter, items, timeoutMs))) progress.sent?.(signal);
    else failed.add(signal);
  };
  if (exporters.metrics) {
    const { resourceMetrics } = await reader.collect();
    if (resourceMetrics.scopeMetrics.length > 0) {
      stampWindow(resourceMetrics, batch.window);
      await send('metrics', exporters.metrics, resourceMetrics);
    }
  }
  if (exporters.logs && logRecords.length > 0) await send('logs', exporters.logs, logRecords);
  if (exporters.traces && spans.length > 0) await send('traces', exporters.traces, spans);
  await Promise.allSettled([meters.shutdown(), logs.shutdown(), tracers.shutdown()]);
  return failed;
}
