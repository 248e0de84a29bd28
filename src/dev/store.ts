import {
  flattenLogs,
  flattenMetrics,
  flattenSpans,
  type MetricPointRow,
  type MetricRow,
} from '../otlp/flatten.js';
import type { OtlpSignal } from '../otlp/signals.js';
import type { OtlpLogsRequest, OtlpMetricsRequest, OtlpRequestMap, OtlpTracesRequest } from '../otlp/types.js';
import { ATTR_EVENT_NAME } from '../semconv/names.js';
import { CumulativeDeltas, streamKey } from './cumulative.js';
import { EventAggregate, type SeriesShape } from './event-aggregate.js';
import type { ExponentialTotals } from './exponential-delta.js';
import { eventOfMetric } from './event-name.js';
import { Recent } from './recent.js';
import { Resources } from './resources.js';
import type { DevSnapshot, DevTier, LogEntry, RejectionEntry, SpanEntry, TierSnapshot } from './snapshot.js';
import { logEntry, nanosToMs, spanEntry } from './entries.js';
import { clip, MAX_NAME } from './clip.js';

/** Limits and clock of a store; every default is sized for a laptop-side dev session. */
export interface DevStoreOptions {
  /** Log records and spans kept for display, each (default 200). */
  maxItems?: number;
  /** Distinct events tracked (default 200); data for further names is counted as dropped. */
  maxEvents?: number;
  /** Width of one "counts over time" bucket in ms (default 10 s). */
  bucketMs?: number;
  /** Buckets kept per event (default 360: an hour of 10 s buckets). */
  keepBuckets?: number;
  /** The clock (default `Date.now`), injectable for tests. */
  now?: () => number;
}

/** What the dev server received, aggregated for the dashboard and the terminal summary. */
export interface DevStore {
  /** Adds one accepted export request (already decoded, invalid items already removed). */
  add<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S], info?: { bytes?: number }): void;
  /** Notes a refused request (4xx), or items refused inside an accepted one (status 200). */
  reject(entry: { path: string; status: number; reason: string; items?: number }): void;
  /** The whole state, JSON-ready. */
  snapshot(): DevSnapshot;
  /** Forgets everything received (the dashboard's "Clear"). */
  clear(): void;
  /** Bumps on every change: lets callers skip work when nothing arrived. */
  readonly version: number;
}

/** Default `maxItems`: recent log records and recent spans kept, each. */
export const DEFAULT_MAX_ITEMS = 200;

/** Creates an empty store. Memory is bounded by the options whatever senders send. */
export function createDevStore(options: DevStoreOptions = {}): DevStore {
  const now = options.now ?? Date.now;
  const maxItems = Math.max(0, options.maxItems ?? DEFAULT_MAX_ITEMS);
  const maxEvents = Math.max(1, options.maxEvents ?? 200);
  const shape: SeriesShape = { bucketMs: options.bucketMs ?? 10_000, keep: options.keepBuckets ?? 360 };
  const startedAt = now();

  let events = new Map<string, EventAggregate>();
  let droppedEvents = 0;
  const resources = new Resources();
  const deltas = new CumulativeDeltas();
  const logs = new Recent<LogEntry>(maxItems);
  const spans = new Recent<SpanEntry>(maxItems);
  const rejections = new Recent<RejectionEntry>(50);
  let tiers = emptyTiers();
  let totals = { requests: 0, rejectedRequests: 0, rejectedItems: 0, bytes: 0 };
  let version = 0;
  let cached: { version: number; snapshot: DevSnapshot } | undefined;

  function eventFor(full: string): EventAggregate | undefined {
    const name = clip(full, MAX_NAME);
    let agg = events.get(name);
    if (!agg) {
      if (events.size >= maxEvents) {
        droppedEvents++;
        return undefined;
      }
      agg = new EventAggregate(name, shape);
      events.set(name, agg);
    }
    return agg;
  }

  function arrived(tier: DevTier, items: number, at: number): void {
    if (items === 0) return;
    const t = tiers[tier];
    t.requests++;
    t.items += items;
    t.lastAt = at;
  }

  function addMetrics(request: OtlpMetricsRequest, at: number): void {
    let points = 0;
    for (const row of flattenMetrics(request)) {
      // A metric whose every point was refused (or that had none) arrived with nothing to show: no row of zeros.
      if (row.points.length === 0) continue;
      resources.see(row.resource, at);
      points += row.points.length;
      const agg = eventFor(eventOfMetric(row.name).event);
      if (!agg) continue;
      if (row.description && !agg.description) agg.description = clip(row.description);
      for (const p of row.points) addPoint(agg, row, p, pointTime(p.timeUnixNano, at));
    }
    arrived('metrics', points, at);
  }

  function addPoint(agg: EventAggregate, row: MetricRow, p: MetricPointRow, at: number): void {
    const cumulative = row.temporality === 'cumulative';
    const key = () => streamKey(row.resource, `${row.scope}\u0000${row.scopeVersion}\u0000${row.name}`, p.attributes);
    if (row.kind === 'sum' && row.monotonic) {
      const value = p.value ?? 0;
      agg.addCount(at, p.attributes, cumulative ? deltas.sum(key(), p.startTimeUnixNano, value) : value);
    } else if (row.kind === 'sum' || row.kind === 'gauge') {
      const kind = row.kind === 'gauge' ? 'gauge' : row.temporality === 'delta' ? 'change' : 'level';
      if (p.value !== undefined) agg.addValue(at, key(), p.attributes, p.value, kind);
    } else if (row.kind === 'histogram' || row.kind === 'exponentialHistogram' || row.kind === 'summary') {
      const exponential = row.kind === 'exponentialHistogram';
      let point = p;
      if (cumulative && exponential) point = { ...p, ...deltas.exponential(key(), p.startTimeUnixNano, exponentialTotals(p)) };
      else if (cumulative) {
        point = { ...p, ...deltas.histogram(key(), p.startTimeUnixNano, { count: p.count ?? 0, sum: p.sum ?? 0, bucketCounts: p.bucketCounts ?? [] }) };
      }
      agg.addHistogram(at, p.attributes, row.unit, point, exponential);
    }
  }

  function addLogs(request: OtlpLogsRequest, at: number): void {
    const rows = flattenLogs(request);
    for (const row of rows) {
      resources.see(row.resource, at);
      const time = pointTime(row.timeUnixNano, pointTime(row.observedTimeUnixNano, at));
      const { [ATTR_EVENT_NAME]: _legacyName, ...attributes } = row.attributes;
      if (row.eventName) eventFor(row.eventName)?.addRecord(time, attributes);
      logs.push(logEntry(row, time, attributes));
    }
    arrived('events', rows.length, at);
  }

  function addSpans(request: OtlpTracesRequest, at: number): void {
    const rows = flattenSpans(request);
    for (const row of rows) {
      resources.see(row.resource, at);
      const entry = spanEntry(row, pointTime(row.startTimeUnixNano, at));
      eventFor(row.name)?.addSpan(entry.at, row.attributes, entry.durationMs / 1000);
      spans.push(entry);
    }
    arrived('traces', rows.length, at);
  }

  return {
    add(signal, request, info = {}) {
      const at = now();
      totals.requests++;
      totals.bytes += info.bytes ?? 0;
      if (signal === 'metrics') addMetrics(request as OtlpMetricsRequest, at);
      else if (signal === 'logs') addLogs(request as OtlpLogsRequest, at);
      else addSpans(request as OtlpTracesRequest, at);
      version++;
    },
    reject({ path, status, reason, items = 0 }) {
      if (status >= 400) totals.rejectedRequests++;
      totals.rejectedItems += items;
      rejections.push({ at: now(), path: path.slice(0, 200), status, reason: reason.slice(0, 500) });
      version++;
    },
    snapshot() {
      if (cached?.version === version) return { ...cached.snapshot, now: now() };
      const snapshot: DevSnapshot = {
        now: now(),
        startedAt,
        bucketMs: shape.bucketMs,
        totals: { ...totals },
        tiers: { metrics: { ...tiers.metrics }, events: { ...tiers.events }, traces: { ...tiers.traces } },
        events: [...events.values()]
          .map((e) => e.snapshot())
          .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
        resources: resources.snapshot(),
        installations: resources.installationCount,
        logs: logs.list(),
        spans: spans.list(),
        rejections: rejections.list(),
        limits: { maxItems, maxEvents, droppedEvents },
      };
      cached = { version, snapshot };
      return snapshot;
    },
    clear() {
      events = new Map();
      droppedEvents = 0;
      resources.clear();
      // Cumulative streams keep their last values: after a Clear, their next export counts only what is new.
      logs.clear();
      spans.clear();
      rejections.clear();
      tiers = emptyTiers();
      totals = { requests: 0, rejectedRequests: 0, rejectedItems: 0, bytes: 0 };
      version++;
    },
    get version() {
      return version;
    },
  };
}

function emptyTiers(): Record<DevTier, TierSnapshot> {
  return {
    metrics: { requests: 0, items: 0, lastAt: null },
    events: { requests: 0, items: 0, lastAt: null },
    traces: { requests: 0, items: 0, lastAt: null },
  };
}

/** An exponential histogram point's parts, every one present. */
function exponentialTotals(p: MetricPointRow): ExponentialTotals {
  const none = { offset: 0, bucketCounts: [] };
  return { count: p.count ?? 0, sum: p.sum ?? 0, scale: p.scale ?? 0, zeroCount: p.zeroCount ?? 0, positive: p.positive ?? none, negative: p.negative ?? none };
}

/** A timestamp in epoch ms; unset (0) or clearly skewed into the future falls back to arrival time. */
function pointTime(nanos: string, fallback: number): number {
  const ms = nanosToMs(nanos);
  return ms > 0 && ms <= fallback + 60_000 ? ms : fallback;
}

