import type { Tier } from '../semconv/attributes.js';
import { TIERS } from '../semconv/attributes.js';
import { SIGNAL_OF_TIER, type ExporterKind, type Flush, type Layer, type LayerName, type Protocol, type Settings, type Signal } from './settings.js';
import { envOrigin } from './env-layer.js';
import { cleanLabel } from '../privacy/clean-label.js';
import { MAX_RESOURCE_VALUE } from '../privacy/resource-labels.js';

/** Where each signal goes and how, once every layer has spoken. */
export interface ExportConfig {
  readonly endpoints: Readonly<Record<Signal, string>>;
  /** Headers for every signal, and each signal's own on top (from the highest layer that names them). */
  readonly headers: Readonly<Record<string, string>>;
  readonly signalHeaders: Readonly<Record<Signal, Readonly<Record<string, string>>>>;
  readonly protocol: Protocol;
  readonly timeoutMs: number;
  readonly exporters: Readonly<Record<Signal, ExporterKind>>;
  readonly serviceName: string | undefined;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly metricIntervalMs: number;
}

/** Which layer decided a setting, and what lower (or ignored) layers said. */
export interface Explanation {
  readonly setting: string;
  readonly value: string;
  readonly source: LayerName;
  readonly origin?: string;
  readonly overridden: ReadonlyArray<{ source: LayerName; value: string; note?: string }>;
}

/** The effective configuration: a pure function of the layers. */
export interface ResolvedConfig {
  readonly killedBy: string | undefined;
  readonly tiers: Readonly<Record<Tier, boolean>>;
  /** True when at least one tier records. */
  readonly enabled: boolean;
  readonly flush: Flush;
  readonly debug: boolean;
  readonly export: ExportConfig;
  readonly explain: readonly Explanation[];
}

/** Layer order, highest precedence first. */
export const PRECEDENCE: readonly LayerName[] = ['kill-switch', 'admin', 'env', 'user', 'project', 'default'];

const OTLP_DEFAULT_ENDPOINT = 'http://localhost:4318';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 60_000;
const SIGNAL_PATH: Readonly<Record<Signal, string>> = { metrics: 'v1/metrics', logs: 'v1/logs', traces: 'v1/traces' };

function show(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'object' && value !== null) return Object.keys(value).length ? `{${Object.keys(value).join(', ')}}` : '{}';
  return String(value);
}

/**
 * Resolves the layers (any order; sorted by `PRECEDENCE`). A project layer may only turn tiers off:
 * its other values are listed as ignored and never take effect, so a hostile repository can neither
 * enable collection nor redirect it.
 */
export function resolveConfig(layers: readonly Layer[], killedBy?: string): ResolvedConfig {
  const ordered = [...layers].sort((a, b) => PRECEDENCE.indexOf(a.name) - PRECEDENCE.indexOf(b.name));
  const explain: Explanation[] = [];

  const pick = <T>(setting: string, read: (s: Settings, layer: Layer) => T | undefined, fallback: T): T => {
    let winner: { layer: Layer | undefined; value: T } | undefined;
    const overridden: Array<{ source: LayerName; value: string; note?: string }> = [];
    for (const layer of ordered) {
      const value = read(layer.settings, layer);
      if (value === undefined) continue;
      if (layer.name === 'project' && !(TIERS.includes(setting as Tier) && value === false)) {
        overridden.push({ source: 'project', value: show(value), note: 'ignored: a project may only turn tiers off' });
      } else if (winner) overridden.push({ source: layer.name, value: show(value) });
      else winner = { layer, value };
    }
    const chosen = winner ?? { layer: undefined, value: fallback };
    const entry: Explanation = { setting, value: show(chosen.value), source: chosen.layer?.name ?? 'default', overridden };
    const origin = chosen.layer?.origin;
    explain.push(origin ? { ...entry, origin: chosen.layer?.name === 'env' ? envOrigin(setting, origin) : origin } : entry);
    return chosen.value;
  };

  const exporters = {} as Record<Signal, ExporterKind>;
  for (const signal of ['metrics', 'logs', 'traces'] as const) {
    exporters[signal] = pick(`exporter.${signal}`, (s) => s.exporters?.[signal], 'otlp' as ExporterKind);
  }
  for (const tier of TIERS) pick(tier, (s) => s[tier], false);
  if (killedBy !== undefined) {
    explain.unshift({ setting: 'telemetry', value: 'off', source: 'kill-switch', origin: killedBy, overridden: [] });
  }
  const tiers = {} as Record<Tier, boolean>;
  for (const tier of TIERS) tiers[tier] = tierDecision(explain, tier).value === 'on';
  const endpoints = {} as Record<Signal, string>;
  const signalHeaders = {} as Record<Signal, Record<string, string>>;
  // Where a setting comes from, by precedence (0 = highest); a project layer sets none of these.
  const rankOf = (read: (s: Settings) => unknown) => {
    const i = ordered.findIndex((l) => l.name !== 'project' && read(l.settings) !== undefined);
    return i === -1 ? Infinity : i;
  };
  const headersRank = rankOf((s) => s.headers);
  for (const signal of ['metrics', 'logs', 'traces'] as const) {
    const endpointOf = (s: Settings) => s.signalEndpoints?.[signal] ?? (s.endpoint && joinPath(s.endpoint, SIGNAL_PATH[signal]));
    endpoints[signal] = pick(`endpoint.${signal}`, endpointOf, joinPath(OTLP_DEFAULT_ENDPOINT, SIGNAL_PATH[signal]));
    // A signal's own headers count only from a layer at least as high as the ones that chose its
    // endpoint and the general headers: a user's credential must not go to an admin's collector,
    // nor replace the headers an admin set.
    const said = rankOf((s) => s.signalHeaders?.[signal]);
    signalHeaders[signal] = said <= Math.min(rankOf(endpointOf), headersRank) ? (ordered[said]?.settings.signalHeaders?.[signal] ?? {}) : {};
  }
  const config: ResolvedConfig = {
    killedBy,
    tiers,
    enabled: tiers.metrics || tiers.events || tiers.traces,
    flush: pick('flush', (s) => s.flush, 'hourly' as Flush),
    debug: pick('debug', (s) => s.debug, false),
    export: {
      endpoints,
      headers: pick('headers', (s) => s.headers, {}),
      signalHeaders,
      protocol: pick('protocol', (s) => s.protocol, 'http/protobuf' as Protocol),
      timeoutMs: pick('timeoutMs', (s) => s.timeoutMs, DEFAULT_TIMEOUT_MS),
      exporters,
      // Cleaned as each layer is read, so `explain` (and bug reports) show what is sent, never the raw text.
      serviceName: pick<string | undefined>('serviceName', (s) => serviceNameOf(s.serviceName), undefined),
      resourceAttributes: pick('resourceAttributes', (s) => s.resourceAttributes, {}),
      metricIntervalMs: pick('metricIntervalMs', (s) => s.metricIntervalMs, DEFAULT_INTERVAL_MS),
    },
    explain,
  };
  return config;
}

/**
 * The explanation that decides whether a tier records: the kill switch, else an exporter set to
 * `none` under a tier consent turned on, else that consent. `resolveConfig` reads tiers through it,
 * so what `telemetry status` and `telemetry on|off` blame is what decided.
 */
export function tierDecision(explain: readonly Explanation[], tier: Tier): Explanation {
  const find = (setting: string) => explain.find((e) => e.setting === setting);
  const consent = find(tier) ?? { setting: tier, value: 'off', source: 'default', overridden: [] };
  const exporter = find(`exporter.${SIGNAL_OF_TIER[tier]}`);
  return find('telemetry') ?? (consent.value === 'on' && exporter?.value === 'none' ? exporter : consent);
}

// Layers whose "off" holds for the runs they apply to only: this environment, this repository.
const RUN_SCOPED: ReadonlySet<LayerName> = new Set(['env', 'project']);

/**
 * Whether `config` is off in a way that also deletes what earlier runs kept: a kill switch, or every
 * tier off by a lasting decision (an admin policy, the user's choice, the app's defaults). A run
 * that a project file or its environment turned off records nothing and leaves the spool that runs
 * elsewhere filled with consent.
 */
export function offForGood(config: ResolvedConfig): boolean {
  if (config.enabled) return false;
  return config.killedBy !== undefined || TIERS.every((t) => !RUN_SCOPED.has(tierDecision(config.explain, t).source));
}

/**
 * What a process recorded against the user's stored "off": the tiers its environment (which
 * outranks the user's file) turned back on, and when that stored choice last changed (its file's
 * mtime). Spooled with the records, so no sender takes that older "off" for a withdrawal since.
 */
export interface Override {
  readonly tiers: readonly Tier[];
  readonly choiceAt: number;
}

/** Which spooled tiers may be delivered, for records spooled with `override` (see `deliverableTiers`). */
export type Deliverable = (override?: Override) => Readonly<Record<Tier, boolean>>;

/**
 * Which spooled tiers may still be delivered. Records carry the consent of the process that
 * recorded them; a sender (started by some other run, with its own environment) may only honour
 * later withdrawals that persist — an admin policy or the user's stored choice — or a kill switch.
 * A user's "off" that the recording process's environment overrode is no withdrawal since, as
 * long as the choice is unchanged; an admin's "off" always is (the environment never outranks it).
 */
export function deliverableTiers(layers: readonly Layer[], killedBy: string | undefined): Deliverable {
  const none: Record<Tier, boolean> = { metrics: false, events: false, traces: false };
  if (killedBy !== undefined) return () => none;
  const admin = layers.find((l) => l.name === 'admin');
  const users = layers.filter((l) => l.name === 'user');
  const decide = (override: Override | undefined): Record<Tier, boolean> => {
    const out = { ...none };
    for (const tier of TIERS) {
      const ruled = admin?.settings[tier];
      const user = users.find((l) => l.settings[tier] !== undefined);
      const overridden = user?.settings[tier] === false && override !== undefined && override.tiers.includes(tier) && user.stamp === override.choiceAt;
      out[tier] = ruled !== undefined ? ruled !== false : overridden || user?.settings[tier] !== false;
    }
    return out;
  };
  const stored = decide(undefined);
  return (override) => (override === undefined ? stored : decide(override));
}

/** What a process resolved to `tiers` records against the user's stored choice in `layers`, if anything (see `Override`). */
export function overrideOf(layers: readonly Layer[], tiers: Readonly<Record<Tier, boolean>>): Override | undefined {
  const stored = deliverableTiers(layers, undefined)();
  const user = layers.find((l) => l.name === 'user');
  const over = TIERS.filter((tier) => tiers[tier] && !stored[tier]);
  return over.length > 0 && user?.stamp !== undefined ? { tiers: over, choiceAt: user.stamp } : undefined;
}

/** Appends the signal path to a base endpoint's path, keeping any query (some collectors take a token there). */
function joinPath(base: string, path: string): string {
  try {
    const url = new URL(base);
    url.pathname = url.pathname.endsWith('/') ? url.pathname + path : `${url.pathname}/${path}`;
    return url.href;
  } catch {
    return base.endsWith('/') ? base + path : `${base}/${path}`;
  }
}

/**
 * `OTEL_SERVICE_NAME` (or a settings file's) as sent: redacted and capped like every other resource
 * value. It is a global variable users set for their own services, so it may carry anything.
 */
function serviceNameOf(name: string | undefined): string | undefined {
  return name === undefined ? undefined : cleanLabel(name, MAX_RESOURCE_VALUE) || undefined;
}
