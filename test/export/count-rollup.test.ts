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

/** A rollup on a real SDK counter, and a collect() that drains it first and returns the points. */
function setup() {
  const reader = new DeltaReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('test');
  const rollup = new CountRollup(meter.createCounter('x.count'));
  const collect = async () => {
    rollup.drain();
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics[0]?.metrics[0] as SumMetricData | undefined;
    if (metric) {
      expect(metric.dataPointType).toBe(DataPointType.SUM);
      expect(metric.isMonotonic).toBe(true);
      expect(metric.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    }
    return metric?.dataPoints ?? [];
  };
  const values = async () => (await collect()).map((p) => [p.attributes, p.value] as const);
  return { rollup, collect, values };
}

describe('CountRollup', () => {
  it('hands each interval its own totals, and nothing for an interval without calls', async () => {
    const { rollup, values } = setup();
    for (let i = 0; i < 5; i++) rollup.add(1, { command: 'build', success: true });
    rollup.add(3, { command: 'test', success: false });
    expect(await values()).toEqual([
      [{ command: 'build', success: true }, 5],
      [{ command: 'test', success: false }, 3],
    ]);
    rollup.add(2, { command: 'build', success: true });
    expect(await values()).toEqual([[{ command: 'build', success: true }, 2]]);
    expect(await values()).toEqual([]);
  });

  it('keeps the start times counter.add gives: a new series from its first call, a continuing one from the last collection', async () => {
    const { rollup, collect } = setup();
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    const width = (p: { startTime: [number, number]; endTime: [number, number] }) => ms(p.endTime) - ms(p.startTime);
    rollup.add(1, { a: 'old' });
    await collect();
    rollup.add(1, { a: 'new' });
    await new Promise((r) => setTimeout(r, 10));
    rollup.add(1, { a: 'new' });
    rollup.add(1, { a: 'old' });
    const points = await collect();
    expect(points).toHaveLength(2);
    for (const point of points) expect(width(point)).toBeGreaterThanOrEqual(9);
  });

  it('counts one set once whatever the key order, and keeps true apart from "true"', async () => {
    const { rollup, values } = setup();
    rollup.add(1, { a: 'x', b: true });
    rollup.add(1, { b: true, a: 'x' });
    rollup.add(1, { a: 'x', b: 'true' });
    rollup.add(1, {});
    rollup.add(1, { a: 'x' });
    const points = await values();
    expect(points).toHaveLength(4);
    expect(points).toContainEqual([{ a: 'x', b: true }, 2]);
    expect(points).toContainEqual([{ a: 'x', b: 'true' }, 1]);
    expect(points).toContainEqual([{}, 1]);
    expect(points).toContainEqual([{ a: 'x' }, 1]);
  });

  it('past the limit passes calls straight to the counter, counts exact, and the limit holds per interval', async () => {
    const { rollup, values } = setup();
    const sets = MAX_ATTRIBUTE_SETS + 500;
    for (let i = 0; i < sets; i++) rollup.add(1, { id: i });
    rollup.add(1, { id: sets - 1 });
    const first = await values();
    expect(first.reduce((sum, [, value]) => sum + value, 0)).toBe(sets + 1);
    // A new interval starts empty: 1,500 new sets are 1,500 points, none folded into overflow.
    for (let i = 0; i < 1500; i++) rollup.add(1, { id: sets + i });
    const second = await values();
    expect(second).toHaveLength(1500);
    expect(second.some(([attributes]) => 'otel.metric.overflow' in attributes)).toBe(false);
  });

  it('reports summed calls under the attributes they were made with, whatever the caller does later', async () => {
    const { rollup, values } = setup();
    rollup.add(1, { a: 'x' });
    const later: Record<string, string> = { a: 'x' };
    rollup.add(1, later);
    later.a = 'changed';
    expect(await values()).toEqual([[{ a: 'x' }, 2]]);
  });
});
