import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpLogsRequest, OtlpMetricsRequest, OtlpRequestMap, OtlpResource, OtlpTracesRequest } from '../otlp/types.js';
import type { CatalogIndex } from '../privacy/validator.js';
import { filterLogs } from './filter-logs.js';
import { filterMetrics } from './filter-metrics.js';
import { installationOf } from './filter-resource.js';
import { filterSpans } from './filter-spans.js';
import { createReasons } from './reasons.js';

/** What the catalog left of one export request, and what it says about the rest. */
export interface FilterOutcome<S extends OtlpSignal> {
  /** What may go upstream (resources, scopes and metrics left empty are gone). */
  readonly request: OtlpRequestMap[S];
  /** Data points, log records or spans kept. */
  readonly accepted: number;
  /** Data points, log records or spans rejected: OTLP partial success's `rejected_<signal>`. */
  readonly rejected: number;
  /** Partial success's `error_message`: why items were rejected and what was removed ('' if nothing). */
  readonly message: string;
  /** Whether the catalog left the request as it was received: nothing rejected, removed or changed. */
  readonly unchanged: boolean;
}

/** How partial success names a signal's items. */
export const ITEM_NOUNS: Readonly<Record<OtlpSignal, string>> = {
  metrics: 'data points',
  logs: 'log records',
  traces: 'spans',
};

/**
 * Applies the catalog to a decoded export request: each data point, log record and span is kept or
 * rejected, each attribute kept or removed, resources reduced to the allowlist — by the same
 * validator the SDK records with. Never throws on anything `decodeRequest` returns. The request
 * is edited in place.
 */
export function filterRequest<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S], index: CatalogIndex): FilterOutcome<S> {
  const reasons = createReasons(ITEM_NOUNS[signal]);
  const filtered =
    signal === 'metrics'
      ? filterMetrics(request as OtlpMetricsRequest, index, reasons)
      : signal === 'logs'
        ? filterLogs(request as OtlpLogsRequest, index, reasons)
        : filterSpans(request as OtlpTracesRequest, index, reasons);
  return {
    request: filtered.request as OtlpRequestMap[S],
    accepted: filtered.accepted,
    rejected: reasons.rejected,
    message: reasons.message(),
    unchanged: !reasons.edited,
  };
}

/** The resources of a decoded request, whatever its signal. */
function resourcesOf(signal: OtlpSignal, request: OtlpRequestMap[OtlpSignal]): (OtlpResource | undefined)[] {
  if (signal === 'metrics') return (request as OtlpMetricsRequest).resourceMetrics.map((r) => r.resource);
  if (signal === 'logs') return (request as OtlpLogsRequest).resourceLogs.map((r) => r.resource);
  return (request as OtlpTracesRequest).resourceSpans.map((r) => r.resource);
}

/** Distinct installations one request may charge; more (a relay, or a forger) are charged as one. */
const MAX_INSTALLATIONS_PER_REQUEST = 16;

/**
 * The installations a request speaks for, each once: what the per-installation rate limit charges.
 * A resource without a valid `app.installation.id`, and any past the 16th, count as '' (one shared
 * bucket), so a request can neither dodge the limit nor fill the limiter with made-up keys.
 */
export function installationsOf(signal: OtlpSignal, request: OtlpRequestMap[OtlpSignal]): string[] {
  const ids = new Set<string>();
  for (const resource of resourcesOf(signal, request)) {
    const id = installationOf(resource);
    ids.add(id !== undefined && ids.size < MAX_INSTALLATIONS_PER_REQUEST ? id : '');
  }
  if (ids.size === 0) ids.add('');
  return [...ids];
}
