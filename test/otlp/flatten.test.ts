import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../../src/otlp/decode.js';
import { flattenLogs, flattenMetrics, flattenSpans } from '../../src/otlp/flatten.js';
import type { OtlpSignal } from '../../src/otlp/signals.js';

/** Hand-written OTLP/JSON, decoded the way a receiver would. */
function fromJson<S extends OtlpSignal>(signal: S, body: unknown) {
  return decodeRequest(signal, new TextEncoder().encode(JSON.stringify(body)), { contentType: 'application/json' });
}

const resource = {
  attributes: [
    { key: 'service.name', value: { stringValue: 'svc' } },
    { key: 'host.cpus', value: { intValue: '8' } },
    { key: 'feature.on', value: { boolValue: true } },
  ],
};

describe('flattenMetrics', () => {
  const rows = flattenMetrics(
    fromJson('metrics', {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              scope: { name: 'lib', version: '2.0.0' },
              metrics: [
                {
                  name: 'exp',
                  unit: 's',
                  exponentialHistogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        count: '6',
                        sum: 12.5,
                        scale: 3,
                        zeroCount: '1',
                        positive: { offset: -2, bucketCounts: ['2', '3'] },
                        min: 0,
                        max: 4,
                      },
                    ],
                  },
                },
                {
                  name: 'sum.of.ints',
                  sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ asInt: '7' }] },
                },
                {
                  name: 'quantiles',
                  summary: { dataPoints: [{ count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] },
                },
              ],
            },
          ],
        },
      ],
    }),
  );

  it('folds resource and scope into every row, with attribute values unwrapped', () => {
    expect(rows[0]).toMatchObject({
      resource: { 'service.name': 'svc', 'host.cpus': 8, 'feature.on': true },
      scope: 'lib',
      scopeVersion: '2.0.0',
    });
  });

  it('reads exponential histograms with their buckets as numbers', () => {
    expect(rows[0]).toMatchObject({ name: 'exp', unit: 's', kind: 'exponentialHistogram', temporality: 'cumulative' });
    expect(rows[0]?.points[0]).toMatchObject({
      count: 6,
      sum: 12.5,
      min: 0,
      max: 4,
      scale: 3,
      zeroCount: 1,
      positive: { offset: -2, bucketCounts: [2, 3] },
    });
    expect(rows[0]?.points[0]).not.toHaveProperty('negative');
  });

  it('reads integer sums as numbers and marks them monotonic', () => {
    expect(rows[1]).toMatchObject({ kind: 'sum', temporality: 'delta', monotonic: true, points: [{ value: 7 }] });
  });

  it('reads summaries with their quantiles and no temporality', () => {
    expect(rows[2]).toMatchObject({
      kind: 'summary',
      temporality: 'unspecified',
      points: [{ count: 2, sum: 3, quantiles: [{ quantile: 0.5, value: 1 }] }],
    });
  });
});

describe('flattenLogs', () => {
  const rows = flattenLogs(
    fromJson('logs', {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  eventName: 'app.start',
                  timeUnixNano: '5',
                  attributes: [
                    { key: 'event.name', value: { stringValue: 'ignored.when.eventName.is.set' } },
                    { key: 'blob', value: { bytesValue: 'AAE=' } },
                    { key: 'map', value: { kvlistValue: { values: [{ key: 'a', value: { intValue: '1' } }] } } },
                    { key: 'empty', value: {} },
                  ],
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                },
                { body: { arrayValue: { values: [{ stringValue: 'x' }, { doubleValue: 1.5 }] } } },
              ],
            },
          ],
        },
      ],
    }),
  );

  it('prefers the eventName field over the event.name attribute', () => {
    expect(rows[0]?.eventName).toBe('app.start');
  });

  it('turns bytes into base64 and key/value lists into JSON text, and drops empty values', () => {
    expect(rows[0]?.attributes).toEqual({
      'event.name': 'ignored.when.eventName.is.set',
      blob: 'AAE=',
      map: '{"a":1}',
    });
  });

  it('keeps trace context when there is some, and leaves absent fields out', () => {
    expect(rows[0]).toMatchObject({ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' });
    expect(rows[1]).toEqual({
      resource: {},
      scope: '',
      timeUnixNano: '0',
      observedTimeUnixNano: '0',
      body: ['x', 1.5],
      attributes: {},
    });
  });
});

describe('flattenSpans', () => {
  const [span] = flattenSpans(
    fromJson('traces', {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              scope: { name: 'tracer' },
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  parentSpanId: 'aaa19b7ec3c1b174',
                  name: 'GET /',
                  kind: 2,
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '2',
                },
              ],
            },
          ],
        },
      ],
    }),
  );

  it('reads ids, parent and timing, and omits a status that was never set', () => {
    expect(span).toEqual({
      resource: { 'service.name': 'svc', 'host.cpus': 8, 'feature.on': true },
      scope: 'tracer',
      name: 'GET /',
      kind: 2,
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'aaa19b7ec3c1b174',
      startTimeUnixNano: '1',
      endTimeUnixNano: '2',
      attributes: {},
      events: [],
    });
  });
});
