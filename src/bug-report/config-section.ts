import { tierDecision, type Explanation, type ResolvedConfig } from '../config/resolve.js';
import type { ExporterKind, Flush, LayerName, Protocol, Signal } from '../config/settings.js';
import { TIERS, type Tier } from '../semconv/attributes.js';
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
  /**
   * Where each signal goes: scheme, port and the OTLP path suffix; the host only when it is loopback
   * or the app's own default, other hosts and path segments as `<host>` and `<path>` (see `endpointShown`).
   */
  readonly endpoints: Readonly<Record<Signal, string>>;
  readonly protocol: Protocol;
  readonly exporters: Readonly<Record<Signal, ExporterKind>>;
  /** Names of the configured OTLP headers; their values (credentials, mostly) are never included. */
  readonly headerNames: readonly string[];
  /** False when the report was made outside the app (`optel bug-report`): its own defaults are unknown. */
  readonly appDefaultsKnown: boolean;
  /** Each setting's line; a tier's names what decided it, as `telemetry status` does (the kill switch, an exporter set to `none`). */
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


function origin(e: Explanation): string | undefined {
  if (e.origin === undefined) return undefined;
  return FILE_ROLE[e.source] ?? e.origin;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const OTLP_SUFFIX = /\/v1\/(?:metrics|logs|traces)\/?$/;

/**
 * An endpoint as a bug report shows it. The app's own default is public (it is in the app) and shown
 * without credentials; one a user, an admin or a project set may name an internal host and carry a
 * tenant key in its path, so it keeps what a maintainer debugging delivery needs — scheme, port,
 * whether it is loopback, the OTLP suffix, whether there is more path — and masks the rest.
 */
export function endpointShown(value: string, source: LayerName): string {
  if (source === 'default') return scrubUrl(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return '<invalid url>';
  }
  const host = LOOPBACK.test(url.hostname) ? url.host : `<host>${url.port ? `:${url.port}` : ''}`;
  const suffix = OTLP_SUFFIX.exec(url.pathname)?.[0] ?? '';
  const rest = url.pathname.slice(0, url.pathname.length - suffix.length);
  return `${url.protocol}//${host}${rest === '' || rest === '/' ? suffix || rest : `/<path>${suffix}`}`;
}

/**
 * A tier's line says what decided it, as `telemetry status` does: under a kill switch (or an exporter
 * set to `none`) the tier is off by that, not on by the layer whose consent it overrode, which is
 * listed as overridden. Other lines are as resolved.
 */
function decided(config: ResolvedConfig, e: Explanation): Explanation {
  if (!(TIERS as readonly string[]).includes(e.setting)) return e;
  const tier = e.setting as Tier;
  const by = tierDecision(config.explain, tier);
  if (by === e) return e;
  const line = { setting: e.setting, value: config.tiers[tier] ? 'on' : 'off', source: by.source, overridden: [{ source: e.source, value: e.value }, ...e.overridden] };
  return by.origin === undefined ? line : { ...line, origin: by.origin };
}

function explanation(e: Explanation): BugReportExplanation {
  const isUrl = e.setting.startsWith('endpoint.');
  const show = (v: string, source: LayerName) => (isUrl ? endpointShown(v, source) : v);
  const overridden = e.overridden.map((o) => (o.note ? { source: o.source, value: show(o.value, o.source), note: o.note } : { source: o.source, value: show(o.value, o.source) }));
  const out: BugReportExplanation = { setting: e.setting, value: show(e.value, e.source), source: e.source, overridden };
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
  for (const signal of ['metrics', 'logs', 'traces'] as const) {
    const source = config.explain.find((e) => e.setting === `endpoint.${signal}`)?.source ?? 'env';
    endpoints[signal] = endpointShown(config.export.endpoints[signal], source);
  }
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
    explain: config.explain.map((e) => explanation(decided(config, e))),
  };
  return config.killedBy === undefined ? section : { ...section, killedBy: config.killedBy };
}
