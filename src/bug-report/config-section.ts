import type { Explanation, ResolvedConfig } from '../config/resolve.js';
import type { ExporterKind, Flush, LayerName, Protocol, Signal } from '../config/settings.js';
import type { Tier } from '../semconv/attributes.js';
import { scrubUrl } from '../config/scrub-url.js';

/** One line of "which layer set this", as a bug report carries it: no paths, no secrets. */
export interface BugReportExplanation {
  readonly setting: string;
  readonly value: string;
  readonly source: LayerName;
  /** Variable names for the environment, a role such as `user settings file` for files. */
  readonly origin?: string;
  readonly overridden: ReadonlyArray<{ readonly source: LayerName; readonly value: string; readonly note?: string }>;
}

/** The resolved configuration as a bug report carries it. */
export interface BugReportConfig {
  readonly enabled: boolean;
  /** The kill switch that turned everything off (a variable name), if one did. */
  readonly killedBy?: string;
  readonly tiers: Readonly<Record<Tier, boolean>>;
  readonly flush: Flush;
  readonly debug: boolean;
  /** Where each signal goes, without user info, query or fragment. */
  readonly endpoints: Readonly<Record<Signal, string>>;
  readonly protocol: Protocol;
  readonly exporters: Readonly<Record<Signal, ExporterKind>>;
  /** Names of the configured OTLP headers; their values (credentials, mostly) are never included. */
  readonly headerNames: readonly string[];
  /** False when the report was made outside the app (`optel bug-report`): its own defaults are unknown. */
  readonly appDefaultsKnown: boolean;
  readonly explain: readonly BugReportExplanation[];
}

// A file path names its user (the home directory) or their work (the project's folder), and the
// layer already says which file it was; so files are shown by role. `redact()` would also turn any
// path, `~/…` included, into `<path>`, which tells a maintainer less than the role does.
const FILE_ROLE: Partial<Record<LayerName, string>> = {
  admin: 'admin policy file',
  user: 'user settings file',
  project: 'project settings file',
};

// The environment layer's origin lists every variable it used; a line is clearer with only its own.
const OWN_VARIABLE: Readonly<Record<string, RegExp>> = {
  metrics: /_TELEMETRY_METRICS$/,
  events: /_TELEMETRY_EVENTS$/,
  traces: /_TELEMETRY_TRACES$/,
  flush: /_TELEMETRY_FLUSH$/,
  debug: /_TELEMETRY_DEBUG$/,
  'endpoint.metrics': /^OTEL_EXPORTER_OTLP_(METRICS_)?ENDPOINT$/,
  'endpoint.logs': /^OTEL_EXPORTER_OTLP_(LOGS_)?ENDPOINT$/,
  'endpoint.traces': /^OTEL_EXPORTER_OTLP_(TRACES_)?ENDPOINT$/,
  'exporter.metrics': /^OTEL_METRICS_EXPORTER$/,
  'exporter.logs': /^OTEL_LOGS_EXPORTER$/,
  'exporter.traces': /^OTEL_TRACES_EXPORTER$/,
  headers: /^OTEL_EXPORTER_OTLP_HEADERS$/,
  protocol: /^OTEL_EXPORTER_OTLP_PROTOCOL$/,
  timeoutMs: /^OTEL_EXPORTER_OTLP_TIMEOUT$/,
  serviceName: /^OTEL_SERVICE_NAME$/,
  resourceAttributes: /^OTEL_RESOURCE_ATTRIBUTES$/,
  metricIntervalMs: /^OTEL_METRIC_EXPORT_INTERVAL$/,
};

function origin(e: Explanation): string | undefined {
  if (e.origin === undefined) return undefined;
  const role = FILE_ROLE[e.source];
  if (role) return role;
  const own = OWN_VARIABLE[e.setting];
  if (e.source !== 'env' || !own) return e.origin;
  const names = e.origin.split(', ').filter((name) => own.test(name));
  return names.length ? names.join(', ') : e.origin;
}

function explanation(e: Explanation): BugReportExplanation {
  const isUrl = e.setting.startsWith('endpoint.');
  const show = (v: string) => (isUrl ? scrubUrl(v) : v);
  const overridden = e.overridden.map((o) => (o.note ? { source: o.source, value: show(o.value), note: o.note } : { source: o.source, value: show(o.value) }));
  const out: BugReportExplanation = { setting: e.setting, value: show(e.value), source: e.source, overridden };
  const where = origin(e);
  return where === undefined ? out : { ...out, origin: where };
}

/**
 * The configuration part of a bug report: effective values and the layer behind each, with endpoint
 * credentials, header values and file paths left out (the `explain` values of `headers` and
 * `resourceAttributes` already list keys only).
 */
export function configSection(config: ResolvedConfig, appDefaultsKnown: boolean): BugReportConfig {
  const endpoints = {} as Record<Signal, string>;
  for (const signal of ['metrics', 'logs', 'traces'] as const) endpoints[signal] = scrubUrl(config.export.endpoints[signal]);
  const section: BugReportConfig = {
    enabled: config.enabled,
    tiers: { ...config.tiers },
    flush: config.flush,
    debug: config.debug,
    endpoints,
    protocol: config.export.protocol,
    exporters: { ...config.export.exporters },
    headerNames: [...new Set([config.export.headers, ...Object.values(config.export.signalHeaders)].flatMap((h) => Object.keys(h)))].sort(),
    appDefaultsKnown,
    explain: config.explain.map(explanation),
  };
  return config.killedBy === undefined ? section : { ...section, killedBy: config.killedBy };
}
