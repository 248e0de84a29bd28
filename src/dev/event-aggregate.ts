import type { AttributeRecord } from '../otlp/flatten.js';
import { Breakdown } from './breakdown.js';
import { type ExplicitPoint, type ExponentialPoint, MergedHistogram } from './histogram.js';
import { LatestValues, type ValueKind } from './latest-values.js';
import { DEV_TIERS, type DevTier, type EventSnapshot } from './snapshot.js';
import { CountSeries } from './time-series.js';

/** How the aggregate buckets time, and how much of it it keeps. */
export interface SeriesShape {
  bucketMs: number;
  keep: number;
}

/** Occurrences from one source: total, failures, a time series and an attribute breakdown. */
class Tally {
  total = 0;
  failures = 0;
  lastAt = 0;
  readonly series: CountSeries;
  readonly breakdown = new Breakdown();

  constructor(shape: SeriesShape) {
    this.series = new CountSeries(shape.bucketMs, shape.keep);
  }

  add(at: number, attributes: AttributeRecord, weight: number): void {
    // Not finite: one such point would turn the event's count into Infinity (or NaN) for good.
    if (!(weight > 0) || weight === Infinity) return;
    this.total += weight;
    if (isFailure(attributes)) this.failures += weight;
    this.series.add(at, weight);
    this.breakdown.add(attributes, weight);
    if (at > this.lastAt) this.lastAt = at;
  }
}

/**
 * One event's aggregate. Each tier is tallied separately and the snapshot reads the best one:
 * the counter (exact and cheap for senders) over the histogram's counts over log records over
 * spans, so an event that arrives in three tiers is still counted once.
 */
export class EventAggregate {
  description = '';
  private readonly counter: Tally;
  private readonly histogramCounts: Tally;
  private readonly records: Tally;
  private readonly spans: Tally;
  private duration: MergedHistogram | undefined;
  private spanDuration: MergedHistogram | undefined;
  private values: LatestValues | undefined;

  constructor(
    readonly name: string,
    shape: SeriesShape,
  ) {
    this.counter = new Tally(shape);
    this.histogramCounts = new Tally(shape);
    this.records = new Tally(shape);
    this.spans = new Tally(shape);
  }

  /** A counter point's increase. */
  addCount(at: number, attributes: AttributeRecord, n: number): void {
    this.counter.add(at, attributes, n);
  }

  /** A histogram point (already a delta). */
  addHistogram(at: number, attributes: AttributeRecord, unit: string, point: ExplicitPoint | ExponentialPoint, exponential: boolean): void {
    this.duration ??= new MergedHistogram(unit);
    if (exponential) this.duration.addExponential(point as ExponentialPoint);
    else this.duration.addExplicit(point as ExplicitPoint);
    this.histogramCounts.add(at, attributes, point.count ?? 0);
  }

  /** A gauge or up-down counter point of one stream. */
  addValue(at: number, stream: string, attributes: AttributeRecord, value: number, kind: ValueKind): void {
    this.values ??= new LatestValues();
    this.values.record(at, stream, attributes, value, kind);
  }

  /** One log record of this event. */
  addRecord(at: number, attributes: AttributeRecord): void {
    this.records.add(at, attributes, 1);
  }

  /** One span of this event, with its duration in seconds. */
  addSpan(at: number, attributes: AttributeRecord, seconds: number): void {
    this.spans.add(at, attributes, 1);
    this.spanDuration ??= new MergedHistogram('s');
    this.spanDuration.addValue(seconds);
  }

  /** What the dashboard shows for this event. */
  snapshot(): EventSnapshot {
    const byTier: Record<DevTier, Tally> = {
      metrics: this.counter.total > 0 ? this.counter : this.histogramCounts,
      events: this.records,
      traces: this.spans,
    };
    const tiers = DEV_TIERS.filter((t) => byTier[t].total > 0);
    const primary = byTier[tiers[0] ?? 'metrics'];
    // A gauge or up-down counter alone has no occurrences to count: its breakdown is of its values.
    const value = this.values?.value();
    const attributes = tiers.length === 0 && this.values ? this.values.breakdown() : primary.breakdown.snapshot();
    // Record-only keys (hashed ids, redacted text) never reach the metrics tier: show them too.
    if (primary !== this.records) {
      const known = new Set(attributes.map((a) => a.key));
      for (const extra of this.records.breakdown.snapshot()) if (!known.has(extra.key)) attributes.push(extra);
    }
    const duration = this.duration ?? this.spanDuration;
    return {
      name: this.name,
      description: this.description,
      tiers: value !== undefined && !tiers.includes('metrics') ? ['metrics', ...tiers] : tiers,
      count: primary.total,
      counts: { metrics: byTier.metrics.total, events: this.records.total, traces: this.spans.total },
      failures: primary.failures,
      lastAt: Math.max(this.counter.lastAt, this.histogramCounts.lastAt, this.records.lastAt, this.spans.lastAt, this.values?.lastAt() ?? 0),
      series: primary.series.points(),
      attributes,
      ...(duration ? { duration: duration.snapshot() } : {}),
      ...(value !== undefined ? { value } : {}),
    };
  }
}

/** optel marks failures with `success=false`; other senders often only set `error.type`. */
function isFailure(attributes: AttributeRecord): boolean {
  const success = attributes['success'];
  if (success !== undefined) return success === false || success === 'false';
  return attributes['error.type'] !== undefined;
}
