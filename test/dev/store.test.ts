import { describe, expect, it } from 'vitest';
import { createDevStore } from '../../src/dev/store.js';
import type { OtlpMetricsRequest } from '../../src/otlp/types.js';
import { kv, logsRequest, metricsRequest, resource, tracesRequest } from './fixtures.js';

const T0 = 1_795_450_000_000;

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** One gauge or up-down counter (`sum`, cumulative unless `delta`) metric with a point per `[queue, value]`, from `installation`. */
function valuesRequest(kind: 'gauge' | 'sum', points: [string, number][], opts: { installation?: string; delta?: boolean; atNs?: string } = {}): OtlpMetricsRequest {
  const dataPoints = points.map(([queue, v]) => ({
    attributes: kv({ queue }), startTimeUnixNano: '1795440000000000000', timeUnixNano: opts.atNs ?? '1795450000000000000', flags: 0, asInt: String(v), exemplars: [],
  }));
  const data = kind === 'gauge' ? { gauge: { dataPoints } } : { sum: { aggregationTemporality: opts.delta ? 1 : 2, isMonotonic: false, dataPoints } };
  return {
    resourceMetrics: [{
      resource: resource(opts.installation),
      schemaUrl: '',
      scopeMetrics: [{ scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', metrics: [{ name: 'jobs.queue.depth', description: '', unit: '{job}', metadata: [], ...data }] }],
    }],
  };
}

describe('the dev store', () => {
  it('groups a counter and its duration histogram under one event, with exact counts', () => {
    const store = createDevStore({ now: clock().now });
    store.add('metrics', metricsRequest({ count: 2, buckets: [1, 1, 0, 0, 0, 0] }));
    store.add('metrics', metricsRequest({ count: 1, attributes: { 'cli.command': 'fail', success: false, 'error.type': 'SimulatedFailure' } }));
    const [event] = store.snapshot().events;
    expect(event).toMatchObject({ name: 'todo.cli.invoked', description: 'A todo command ran.', tiers: ['metrics'], count: 3, failures: 1 });
    expect(event?.duration).toMatchObject({ unit: 's', count: 3, buckets: [2, 1, 0, 0, 0, 0] });
    expect(event?.attributes.find((a) => a.key === 'cli.command')?.values).toEqual([
      { value: 'add', count: 2 },
      { value: 'fail', count: 1 },
    ]);
  });

  it('counts a cumulative counter once per increase, not once per export', () => {
    const store = createDevStore({ now: clock().now });
    for (const total of [1, 3, 4]) store.add('metrics', metricsRequest({ count: total, temporality: 2, buckets: [total, 0, 0, 0, 0, 0] }));
    // A new start time is a restart: its whole value counts again.
    store.add('metrics', metricsRequest({ count: 2, temporality: 2, startNs: '1795450001000000000', buckets: [2, 0, 0, 0, 0, 0] }));
    const [event] = store.snapshot().events;
    expect(event?.count).toBe(6);
    expect(event?.duration?.count).toBe(6);
  });

  it('keeps cumulative streams of two scopes apart', () => {
    const store = createDevStore({ now: clock().now });
    for (const [a, b] of [[10, 3], [12, 4], [15, 5]]) {
      const request = metricsRequest({ count: a, temporality: 2 });
      const other = metricsRequest({ count: b, temporality: 2 }).resourceMetrics[0]!.scopeMetrics[0]!;
      request.resourceMetrics[0]!.scopeMetrics.push({ ...other, scope: { ...other.scope!, name: 'another' } });
      store.add('metrics', request);
    }
    expect(store.snapshot().events[0]?.count).toBe(20);
  });

  it('counts only what is new from a cumulative sender after a Clear', () => {
    const store = createDevStore({ now: clock().now });
    store.add('metrics', metricsRequest({ count: 10, temporality: 2 }));
    store.clear();
    store.add('metrics', metricsRequest({ count: 12, temporality: 2 }));
    expect(store.snapshot().events[0]?.count).toBe(2);
  });

  it('adds up the streams of an up-down counter, each at its last value, and breaks them down by attribute', () => {
    const store = createDevStore({ now: clock().now });
    store.add('metrics', valuesRequest('sum', [['a', 5], ['b', 3]]));
    store.add('metrics', valuesRequest('sum', [['a', 4]], { installation: '22222222-2222-4222-8222-222222222222' }));
    store.add('metrics', valuesRequest('sum', [['b', 1]]));
    const [event] = store.snapshot().events;
    expect(event).toMatchObject({ name: 'jobs.queue.depth', tiers: ['metrics'], count: 0, value: 10 });
    expect(event?.attributes.find((a) => a.key === 'queue')?.values).toEqual([
      { value: 'a', count: 9 },
      { value: 'b', count: 1 },
    ]);
  });

  it('adds the changes of a delta up-down counter', () => {
    const store = createDevStore({ now: clock().now });
    store.add('metrics', valuesRequest('sum', [['a', 3], ['b', 2]], { delta: true }));
    store.add('metrics', valuesRequest('sum', [['a', -1]], { delta: true }));
    expect(store.snapshot().events[0]?.value).toBe(4);
  });

  it("shows a gauge's newest reading, and each attribute value's newest reading in its breakdown", () => {
    const store = createDevStore({ now: clock().now });
    store.add('metrics', valuesRequest('gauge', [['a', 20]], { atNs: '1795450000000000000' }));
    store.add('metrics', valuesRequest('gauge', [['b', 22]], { atNs: '1795450001000000000' }));
    // An older reading of a arrives late: it changes nothing.
    store.add('metrics', valuesRequest('gauge', [['a', 7]], { atNs: '1795449999000000000' }));
    const [event] = store.snapshot().events;
    expect(event?.value).toBe(22);
    expect(event?.attributes.find((a) => a.key === 'queue')?.values).toEqual([
      { value: 'b', count: 22 },
      { value: 'a', count: 20 },
    ]);
  });

  it('ignores a counter point that is not finite, so the event keeps counting', () => {
    const store = createDevStore({ now: clock().now });
    const infinite = metricsRequest({ count: 1 });
    const point = infinite.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum!.dataPoints[0]!;
    delete point.asInt;
    point.asDouble = Infinity;
    store.add('metrics', infinite);
    store.add('metrics', metricsRequest({ count: 2 }));
    expect(store.snapshot().events[0]?.count).toBe(2);
  });

  it('keeps no string at the length a sender chose: names, ids, keys and descriptions are cut', () => {
    const store = createDevStore({ now: clock().now });
    const long = 'x'.repeat(100_000);
    const request = metricsRequest({ event: `todo.${long}`, attributes: { [long]: long }, installation: long });
    const metric = request.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
    metric.description = long;
    request.resourceMetrics[0]!.resource!.attributes.push({ key: long, value: { stringValue: long } }, { key: 'service.name', value: { stringValue: long } });
    for (let i = 0; i < 3; i++) store.add('metrics', request);
    expect(JSON.stringify(store.snapshot()).length).toBeLessThan(10_000);
  });

  it('tallies log records and spans per tier, and counts each occurrence once', () => {
    const store = createDevStore({ now: clock().now });
    store.add('metrics', metricsRequest({ count: 2 }));
    store.add('logs', logsRequest(['todo.cli.invoked', 'todo.cli.invoked', 'todo.list.viewed']));
    store.add('traces', tracesRequest([['todo.cli.invoked', 3]]));
    const snap = store.snapshot();
    expect(snap.events.find((e) => e.name === 'todo.cli.invoked')).toMatchObject({
      tiers: ['metrics', 'events', 'traces'],
      count: 2,
      counts: { metrics: 2, events: 2, traces: 1 },
    });
    expect(snap.events.find((e) => e.name === 'todo.list.viewed')).toMatchObject({ tiers: ['events'], count: 1 });
    expect(snap.tiers.metrics).toMatchObject({ requests: 1, items: 2 });
    expect(snap.tiers.events).toMatchObject({ requests: 1, items: 3 });
    expect(snap.tiers.traces).toMatchObject({ requests: 1, items: 1 });
    expect(snap.logs[0]).toMatchObject({ event: 'todo.list.viewed', severity: 'INFO', service: 'todo', attributes: { 'cli.command': 'list' } });
    expect(snap.logs[0]?.attributes).not.toHaveProperty('event.name');
    expect(snap.spans[0]).toMatchObject({ name: 'todo.cli.invoked', status: 'ok', durationMs: 3 });
  });

  it('builds the latency histogram from spans when only the traces tier arrived', () => {
    const store = createDevStore({ now: clock().now });
    store.add('traces', tracesRequest([['job.run', 2], ['job.run', 40], ['job.run', 300]]));
    const [event] = store.snapshot().events;
    expect(event?.duration).toMatchObject({ count: 3, min: 0.002, max: 0.3 });
    expect(event?.duration?.p50).toBeGreaterThan(0.025);
    expect(event?.duration?.p50).toBeLessThanOrEqual(0.05);
  });

  it('buckets counts over time by the data point timestamp', () => {
    const store = createDevStore({ now: clock(T0 + 30_000).now, bucketMs: 10_000 });
    store.add('metrics', metricsRequest({ count: 4 }));
    expect(store.snapshot().events[0]?.series).toEqual([[Math.floor(T0 / 10_000), 4]]);
  });

  it('counts distinct installations per app and overall', () => {
    const store = createDevStore({ now: clock().now });
    store.add('metrics', metricsRequest({ installation: 'a' }));
    store.add('metrics', metricsRequest({ installation: 'b' }));
    store.add('metrics', metricsRequest({ installation: 'a' }));
    const snap = store.snapshot();
    expect(snap.installations).toBe(2);
    expect(snap.resources).toEqual([
      expect.objectContaining({ service: 'todo', version: '1.4.2', installations: 2, attributes: { 'os.type': 'linux' } }),
    ]);
  });

  it('keeps at most maxItems log records and spans, newest first', () => {
    const store = createDevStore({ now: clock().now, maxItems: 3 });
    for (let i = 0; i < 10; i++) store.add('logs', logsRequest([`e${i}`]));
    expect(store.snapshot().logs.map((l) => l.event)).toEqual(['e9', 'e8', 'e7']);
    expect(store.snapshot().events.reduce((a, e) => a + e.count, 0)).toBe(10);
  });

  it('stops tracking new event names past maxEvents and says how many items it dropped', () => {
    const store = createDevStore({ now: clock().now, maxEvents: 2 });
    store.add('logs', logsRequest(['a', 'b', 'c', 'd']));
    const snap = store.snapshot();
    expect(snap.events.map((e) => e.name).sort()).toEqual(['a', 'b']);
    expect(snap.limits.droppedEvents).toBe(2);
  });

  it('caps attribute values per key and lumps the rest as other', () => {
    const store = createDevStore({ now: clock().now });
    for (let i = 0; i < 50; i++) store.add('logs', logsRequest(['e'], { text: `value ${i}` }));
    const text = store.snapshot().events[0]?.attributes.find((a) => a.key === 'text');
    expect(text?.values.length).toBe(30);
    expect(text?.other).toBe(20);
  });

  it('forgets everything on clear, and bumps its version on every change', () => {
    const store = createDevStore({ now: clock().now });
    const v0 = store.version;
    store.add('metrics', metricsRequest());
    store.reject({ path: '/v1/metrics', status: 400, reason: 'garbage' });
    expect(store.version).toBe(v0 + 2);
    expect(store.snapshot().totals).toMatchObject({ requests: 1, rejectedRequests: 1 });
    store.clear();
    const snap = store.snapshot();
    expect(snap.events).toEqual([]);
    expect(snap.rejections).toEqual([]);
    expect(snap.totals.requests).toBe(0);
  });
});
