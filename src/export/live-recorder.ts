import { OPTEL_SCOPE } from '../semconv/names.js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type CollectionResult, type PeriodicExportingMetricReaderOptions } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ResolvedConfig } from '../config/resolve.js';
import { SIGNAL_OF_TIER, type Signal } from '../config/settings.js';
import { TIERS, type Tier } from '../semconv/attributes.js';
import type { Recorder } from '../recorder/event-record.js';
import { diagLog } from '../diag.js';
import { createEmitter } from './emit.js';
import { createExporters, type Exporters } from './exporters.js';
import { buildResource, type ResourceIdentity } from './resource.js';
import type { TextSink } from './console-exporters.js';

/** What the daemon recorder needs. */
export interface LiveRecorderOptions {
  readonly config: ResolvedConfig;
  readonly identity: ResourceIdentity;
  readonly describe: (name: string) => string | undefined;
  readonly stderr: TextSink;
  /** Upper bound on `shutdown()`, default 5 s: a daemon's exit waits at most this long. */
  readonly shutdownTimeoutMs?: number;
}

/**
 * `work`, given up after `ms`. The timer holds the process: a host awaiting `shutdown()` on its way
 * out gets its last export sent. The exporters' sockets do not, so at most `ms` (not the OTLP timeout).
 */
function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(
      () => { clearTimeout(timer); resolve(); },
      () => { clearTimeout(timer); resolve(); },
    );
  });
}

/** The periodic reader, letting the emitter hand over its summed counts before every collection (timer, flush, shutdown). */
class LiveReader extends PeriodicExportingMetricReader {
  constructor(options: PeriodicExportingMetricReaderOptions, private readonly beforeCollect: () => void) {
    super(options);
  }
  override collect(options?: Parameters<PeriodicExportingMetricReader['collect']>[0]): Promise<CollectionResult> {
    this.beforeCollect();
    return super.collect(options);
  }
}

/**
 * The long-running-process recorder: live OTel providers (periodic delta metric export on unref'd
 * timers, batched logs and spans) fed by the same emitter the sender replays through, so a daemon
 * and a CLI produce identical data. Providers are private: the host's global OTel setup is untouched.
 */
export async function createLiveRecorder(options: LiveRecorderOptions): Promise<Recorder> {
  const { config } = options;
  const tiers = (Object.keys(config.tiers) as Tier[]).filter((t) => config.tiers[t]);
  const limit = options.shutdownTimeoutMs ?? 5_000;
  // Every deadline of an export stays within the shutdown bound: the SDK's own (timers that hold
  // the process) and the exporter's, whose retries after a refusal or a 503 run on held timers too.
  const exportTimeoutMillis = Math.min(config.export.timeoutMs, limit);
  const made = await createExporters({ ...config.export, timeoutMs: exportTimeoutMillis }, tiers.map((t) => SIGNAL_OF_TIER[t]), options.stderr, { holdExit: false });
  // Signals whose consent was withdrawn: what the providers still hold of them goes nowhere.
  const withdrawnSignals = new Set<Signal>();
  const gate = <E extends Exportable>(exporter: E | undefined, signal: Signal) => exporter && gated(exporter, () => withdrawnSignals.has(signal));
  const exporters: Exporters = { metrics: gate(made.metrics, 'metrics'), logs: gate(made.logs, 'logs'), traces: gate(made.traces, 'traces') };
  const resource = buildResource(options.identity);
  let drainCounts = (): void => {};
  const meters = exporters.metrics
    ? new MeterProvider({
        resource,
        readers: [new LiveReader({
          exporter: exporters.metrics,
          exportIntervalMillis: config.export.metricIntervalMs,
          exportTimeoutMillis: Math.min(exportTimeoutMillis, config.export.metricIntervalMs),
        }, () => drainCounts())],
      })
    : undefined;
  const logs = exporters.logs ? new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: exporters.logs, exportTimeoutMillis })] }) : undefined;
  const traces = exporters.traces ? new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporters.traces, { exportTimeoutMillis })] }) : undefined;
  const emitter = createEmitter(
    { meter: meters?.getMeter(OPTEL_SCOPE), logger: logs?.getLogger(OPTEL_SCOPE), tracer: traces?.getTracer(OPTEL_SCOPE) },
    options.describe,
  );
  drainCounts = emitter.drainCounts;
  let closed: Promise<void> | undefined;
  let off = false;
  const shutdown = () => {
    closed ??= bounded(Promise.allSettled([meters?.shutdown(), logs?.shutdown(), traces?.shutdown()]), limit);
    return closed;
  };
  return {
    record: (record) => {
      if (off) return;
      // As the CLI recorder says it: the providers are shut, and the record would vanish unseen.
      if (closed) return diagLog('warn', `dropped "${record.name}": recorded after shutdown()`);
      emitter.emit(record);
    },
    flush: () => bounded(Promise.allSettled([meters?.forceFlush(), logs?.forceFlush(), traces?.forceFlush()]), limit),
    shutdown,
    discard(withdrawn = TIERS) {
      // Withdrawn consent: record nothing more, and what the providers still hold of the withdrawn
      // tiers goes nowhere (their last export fails at the gate, without a socket). The other
      // tiers' last export goes out as on shutdown.
      off = true;
      for (const tier of withdrawn) withdrawnSignals.add(SIGNAL_OF_TIER[tier]);
      void shutdown();
    },
  };
}

/** What every OTel exporter has. */
type Exportable = { export(items: never, done: (result: ExportResult) => void): void };

/** `exporter` behind a gate: while `shut()` says so, an export ends at once and sends nothing. */
function gated<E extends Exportable>(exporter: E, shut: () => boolean): E {
  return new Proxy(exporter, {
    get(target, key) {
      if (key === 'export') {
        return (items: never, done: (result: ExportResult) => void) =>
          // Dropped on purpose: reported as done, or the SDK would print it as an export error.
          shut() ? done({ code: ExportResultCode.SUCCESS }) : target.export(items, done);
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
