import { describe, expect, it } from 'vitest';
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { CountRollup, MAX_ATTRIBUTE_SETS } from '../../src/export/count-rollup.js';

class DeltaReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A rollup wired to a real SDK counter, and a collect() that returns its points as [attributes, value]. */
function setup() {
  const reader = new DeltaReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
  const rollup = new CountRollup();
  meter.createObservableCounter('x.count').addCallback((result) => rollup.observe(result));
  const collect = async () => {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics[0]?.metrics[0] as SumMetricData | undefined;
    if (metric) {
      expect(metric.dataPointType).toBe(DataPointType.SUM);
      expect(metric.isMonotonic).toBe(true);
      expect(metric.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    }
    return (metric?.dataPoints ?? []).map((p) => [p.attributes, p.value] as const);
  };
  return { rollup, collect };
}

describe('CountRollup', () => {
  it('reports per-collection deltas through the SDK, and only for the sets that moved', async () => {
    const { rollup, collect } = setup();
    for (let i = 0; i < 5; i++) rollup.add(1, { command: 'build', success: true });
    rollup.add(3, { command: 'test', success: false });
    expect(await collect()).toEqual([
      [{ command: 'build', success: true }, 5],
      [{ command: 'test', success: false }, 3],
    ]);
    rollup.add(2, { command: 'build', success: true });
    expect(await collect()).toEqual([[{ command: 'build', success: true }, 2]]);
    expect(await collect()).toEqual([]);
  });

  it('counts one set once whatever the key order, and keeps true apart from "true"', async () => {
    const { rollup, collect } = setup();
    rollup.add(1, { a: 'x', b: true });
    rollup.add(1, { b: true, a: 'x' });
    rollup.add(1, { a: 'x', b: 'true' });
    rollup.add(1, {});
    rollup.add(1, { a: 'x' });
    const points = await collect();
    expect(points).toHaveLength(4);
    expect(points).toContainEqual([{ a: 'x', b: true }, 2]);
    expect(points).toContainEqual([{ a: 'x', b: 'true' }, 1]);
    expect(points).toContainEqual([{}, 1]);
    expect(points).toContainEqual([{ a: 'x' }, 1]);
  });

  it('folds sets past the cardinality limit into the overflow set without losing counts', async () => {
    const { rollup, collect } = setup();
    const sets = MAX_ATTRIBUTE_SETS + 500;
    for (let i = 0; i < sets; i++) rollup.add(1, { id: i });
    rollup.add(1, { id: sets - 1 });
    const points = await collect();
    expect(points).toHaveLength(MAX_ATTRIBUTE_SETS);
    expect(points.reduce((sum, [, value]) => sum + value, 0)).toBe(sets + 1);
    expect(points).toContainEqual([{ 'otel.metric.overflow': true }, 502]);
  });

  it('does not share the caller\'s attribute object', async () => {
    const { rollup, collect } = setup();
    const attributes: Record<string, string> = { a: 'x' };
    rollup.add(1, attributes);
    attributes.a = 'changed';
    expect(await collect()).toEqual([[{ a: 'x' }, 1]]);
  });
});
