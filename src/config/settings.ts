import type { Tier } from '../semconv/attributes.js';

/** The OTLP signals; the events tier travels as `logs`. */
export type Signal = 'metrics' | 'logs' | 'traces';

/** Every signal, in the order OTLP lists them. */
export const SIGNALS: readonly Signal[] = ['metrics', 'logs', 'traces'];
/** How often spooled events are delivered: only completed windows are sent. */
export type Flush = 'immediate' | 'hourly' | 'daily';
/** OTLP/HTTP encodings. */
export type Protocol = 'http/protobuf' | 'http/json';
/** Where a signal goes. */
export type ExporterKind = 'otlp' | 'console' | 'none';

/** Where a setting came from, highest precedence first. */
export type LayerName = 'kill-switch' | 'admin' | 'env' | 'user' | 'project' | 'default';

/** Everything a layer may say; every field optional, unset means "no opinion". */
export interface Settings {
  metrics?: boolean;
  events?: boolean;
  traces?: boolean;
  flush?: Flush;
  debug?: boolean;
  /** Base OTLP/HTTP endpoint; `/v1/<signal>` is appended. */
  endpoint?: string;
  /** Per-signal endpoints, used as given. */
  signalEndpoints?: Partial<Record<Signal, string>>;
  headers?: Record<string, string>;
  /** Per-signal headers (`OTEL_EXPORTER_OTLP_<SIGNAL>_HEADERS`), added to `headers` and winning over them. */
  signalHeaders?: Partial<Record<Signal, Record<string, string>>>;
  protocol?: Protocol;
  timeoutMs?: number;
  exporters?: Partial<Record<Signal, ExporterKind>>;
  serviceName?: string;
  resourceAttributes?: Record<string, string>;
  metricIntervalMs?: number;
}

/** One layer of configuration with its provenance. */
export interface Layer {
  readonly name: LayerName;
  readonly settings: Settings;
  /** A file path or variable names, shown by `telemetry status`. */
  readonly origin?: string;
  /** When the file it was read from last changed (its mtime in ms): tells a stored choice made since from an old one. */
  readonly stamp?: number;
}

/** The signal a tier travels as. */
export const SIGNAL_OF_TIER: Readonly<Record<Tier, Signal>> = { metrics: 'metrics', events: 'logs', traces: 'traces' };

/** The longest OTLP timeout taken: ten minutes (a sender waits this long for a collector at most). */
export const MAX_TIMEOUT_MS = 600_000;
/** The longest metric export interval taken: a day. */
export const MAX_METRIC_INTERVAL_MS = 86_400_000;

/** Flush values in a stable order. */
export const FLUSH_VALUES: readonly Flush[] = ['immediate', 'hourly', 'daily'];
/** Protocol values in a stable order. */
export const PROTOCOL_VALUES: readonly Protocol[] = ['http/protobuf', 'http/json'];
/** Exporter values in a stable order. */
export const EXPORTER_VALUES: readonly ExporterKind[] = ['otlp', 'console', 'none'];

/** The prefix of an app's environment variables: `todo` → `TODO`. */
export function envPrefix(app: string): string {
  return app.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
