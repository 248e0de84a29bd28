import type { AttributeRecord } from '../otlp/flatten.js';
import type { Tier } from '../semconv/attributes.js';
import type { AttributeBreakdown } from './breakdown.js';
import type { HistogramSnapshot } from './histogram.js';
import type { SeriesPoint } from './time-series.js';

export type { AttributeBreakdown } from './breakdown.js';
export type { HistogramSnapshot } from './histogram.js';
export type { SeriesPoint } from './time-series.js';

/** The three tiers an event travels in; `events` are log records, `traces` spans. */
export type DevTier = Tier;

/** Every tier, in the order the dashboard shows them. */
export const DEV_TIERS: readonly DevTier[] = ['metrics', 'events', 'traces'];

/** How much of one tier arrived. */
export interface TierSnapshot {
  /** Export requests that carried this tier. */
  requests: number;
  /** Data points, log records or spans. */
  items: number;
  /** Epoch ms of the latest arrival, null before the first. */
  lastAt: number | null;
}

/** Everything known about one event (a counter + histogram pair, its log records and spans). */
export interface EventSnapshot {
  name: string;
  /** The metric description, when a sender gave one. */
  description: string;
  /** Tiers this event arrived in. */
  tiers: DevTier[];
  /** Occurrences: the counter's total when the metrics tier arrived, else records, else spans. */
  count: number;
  /** Occurrences per tier: counter total (metrics), log records (events), spans (traces). */
  counts: Record<DevTier, number>;
  /** Occurrences with `success=false` (or an `error.type` and no `success`), by the same source as `count`. */
  failures: number;
  /** Epoch ms of the newest occurrence. */
  lastAt: number;
  /** Occurrences per time bucket (see `DevSnapshot.bucketMs`), by the same source as `count`. */
  series: SeriesPoint[];
  /**
   * Value → count per attribute key, by the same source as `count` (plus keys only records carry);
   * for a gauge or up-down counter alone, value → its `value` over the streams with that value.
   */
  attributes: AttributeBreakdown[];
  /** The merged `.duration` histogram, or one built from span durations when only traces arrived. */
  duration?: HistogramSnapshot;
  /** A gauge's newest reading, or an up-down counter's total over its streams (each at its last value). */
  value?: number;
}

/** One sending app and version. */
export interface ResourceSnapshot {
  service: string;
  version: string;
  /** Distinct `app.installation.id` values seen for this app and version. */
  installations: number;
  lastAt: number;
  /** The latest resource's attributes, installation id left out. */
  attributes: AttributeRecord;
}

/** One received log record (events tier). */
export interface LogEntry {
  at: number;
  event: string;
  severity: string;
  body?: string;
  attributes: AttributeRecord;
  service: string;
  traceId?: string;
  spanId?: string;
}

/** One received span (traces tier). */
export interface SpanEntry {
  at: number;
  name: string;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
  attributes: AttributeRecord;
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

/** An export the server refused (or partly refused), and why. */
export interface RejectionEntry {
  at: number;
  path: string;
  status: number;
  reason: string;
}

/** Where `--save` writes, and how it went. */
export interface SaveSnapshot {
  file: string;
  lines: number;
  errors: number;
}

/** The whole dashboard state: what `/api/state` answers and `/events` pushes. */
export interface DevSnapshot {
  /** Server clock (epoch ms) when taken: the dashboard aligns its charts to it. */
  now: number;
  startedAt: number;
  /** Width of one `series` bucket. */
  bucketMs: number;
  totals: {
    requests: number;
    rejectedRequests: number;
    /** Items refused inside accepted requests (partial success). */
    rejectedItems: number;
    /** Request bytes as received (compressed when gzip). */
    bytes: number;
  };
  tiers: Record<DevTier, TierSnapshot>;
  /** Most occurrences first. */
  events: EventSnapshot[];
  resources: ResourceSnapshot[];
  /** Distinct `app.installation.id` values across every app. */
  installations: number;
  /** Newest first, at most `limits.maxItems`. */
  logs: LogEntry[];
  spans: SpanEntry[];
  rejections: RejectionEntry[];
  limits: { maxItems: number; maxEvents: number; droppedEvents: number };
  save?: SaveSnapshot;
}
