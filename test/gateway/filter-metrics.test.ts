import { describe, expect, it } from 'vitest';
import { filterRequest } from '../../src/gateway/filter-request.js';
import type { OtlpMetric, OtlpMetricsRequest } from '../../src/otlp/types.js';
import { counter, countPoint, durationPoint, durations, index, kv, metrics, resource, values } from './fixtures.js';

const OTHER_INSTALLATION = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';

const filter = (request: OtlpMetricsRequest) => filterRequest('metrics', request, index);
const kept = (request: OtlpMetricsRequest): OtlpMetric[] => request.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));

describe('filtering metrics', () => {
  it('keeps what the SDK sends exactly as it came', () => {
    const request = metrics([
      counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy', success: true, 'exit.code': 0 }, 3)]),
      durations('shop.cli.invoked', [durationPoint({ 'cli.command': 'buy', success: true, 'exit.code': 0 })]),
      counter('shop.cart.viewed', [countPoint({ 'items.count': '1-10' })]),
    ]);
    const expected = structuredClone(request);
    const outcome = filter(request);
    expect(outcome).toMatchObject({ accepted: 3, rejected: 0, message: '' });
    expect(kept(outcome.request).map((m) => m.name)).toEqual(kept(expected).map((m) => m.name));
    expect(kept(outcome.request)[0]?.sum?.dataPoints).toEqual(kept(expected)[0]?.sum?.dataPoints);
    expect(kept(outcome.request)[1]?.histogram?.dataPoints).toEqual(kept(expected)[1]?.histogram?.dataPoints);
  });

  it('rejects and counts every point of a metric the catalog does not name', () => {
    const outcome = filter(metrics([
      counter('shop.secret.tracked', [countPoint({}), countPoint({ x: 1 })]),
      counter('shop.cart.viewed', [countPoint({})]),
    ]));
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected).toBe(2);
    expect(outcome.message).toContain('"shop.secret.tracked.count" (not in the catalog)');
    expect(kept(outcome.request).map((m) => m.name)).toEqual(['shop.cart.viewed.count']);
  });

  it('rejects the points of an event that is not on the metrics tier', () => {
    const outcome = filter(metrics([counter('shop.search.typed', [countPoint({})])]));
    expect(outcome).toMatchObject({ accepted: 0, rejected: 1 });
    expect(outcome.message).toContain('its event is not on the metrics tier');
  });

  it('rejects a duration histogram of an event without a duration', () => {
    const outcome = filter(metrics([durations('shop.cart.viewed', [durationPoint({})])]));
    expect(outcome).toMatchObject({ accepted: 0, rejected: 1 });
    expect(outcome.message).toContain('its event has no duration');
  });

  it.each([
    ['a gauge', { gauge: { dataPoints: [countPoint({})] } }],
    ['a non-monotonic sum', { sum: { dataPoints: [countPoint({})], aggregationTemporality: 1, isMonotonic: false } }],
    ['a sum without temporality', { sum: { dataPoints: [countPoint({})], aggregationTemporality: 0, isMonotonic: true } }],
    ['a histogram', { histogram: { dataPoints: [durationPoint({})], aggregationTemporality: 1 } }],
  ])('rejects %s named like a counter', (_, data) => {
    const metric = { name: 'shop.cart.viewed.count', description: '', unit: '{event}', metadata: [], ...data } as OtlpMetric;
    expect(filter(metrics([metric]))).toMatchObject({ accepted: 0, rejected: 1 });
  });

  it('rejects a counter in the wrong unit and a histogram that is not in seconds', () => {
    const count = { ...counter('shop.cart.viewed', [countPoint({})]), unit: 'ms' };
    const duration = { ...durations('shop.cli.invoked', [durationPoint({})]), unit: 'ms' };
    const outcome = filter(metrics([count, duration]));
    expect(outcome).toMatchObject({ accepted: 0, rejected: 2 });
    expect(outcome.message).toMatch(/is not a monotonic delta or cumulative sum in \{event\}.*is not an explicit-bucket/);
  });

  it('rejects single points without a value, with a negative count or with inconsistent buckets', () => {
    const noValue = countPoint({});
    delete noValue.asInt;
    const negative = countPoint({}, -2);
    const badBuckets = { ...durationPoint({}), bucketCounts: durationPoint({}).bucketCounts.slice(1) };
    const negativeSum = { ...durationPoint({}), sum: -1 };
    const outcome = filter(metrics([
      counter('shop.cart.viewed', [noValue, negative, countPoint({})]),
      durations('shop.cli.invoked', [badBuckets, negativeSum, durationPoint({})]),
    ]));
    expect(outcome).toMatchObject({ accepted: 2, rejected: 4 });
  });

  it('rejects points carrying numbers no recording makes: foreign bounds, fractional counts, sums, min and max that disagree with the buckets', () => {
    const point = (edit: (p: ReturnType<typeof durationPoint>) => void, counts = [0, 2, 1]) => {
      const p = durationPoint({}, counts);
      edit(p);
      return p;
    };
    const foreignBounds = point((p) => (p.explicitBounds = p.explicitBounds.map((b, i) => (i === 3 ? b + 1e-9 : b))));
    const bytesAsBounds = point((p) => (p.explicitBounds = [...'ann@example.com/h'].map((c, i) => i * 1000 + c.charCodeAt(0))));
    const countsDisagree = point((p) => (p.count = '999999'));
    const emptyWithSum = point((p) => ((p.count = '0'), (p.bucketCounts = p.bucketCounts.map(() => '0')), (p.sum = 123456.789), delete p.min, delete p.max));
    const minAboveMax = point((p) => ((p.min = 0.009), (p.max = 0.008)));
    const minOutside = point((p) => (p.min = 0.001));
    const maxOutside = point((p) => (p.max = 0.5));
    const sumOutside = point((p) => (p.sum = 7));
    const fractional = countPoint({});
    delete fractional.asInt;
    fractional.asDouble = 0.1234567891234;
    const whole = countPoint({});
    delete whole.asInt;
    whole.asDouble = 3;
    const outcome = filter(metrics([
      counter('shop.cart.viewed', [fractional, whole]),
      durations('shop.cli.invoked', [foreignBounds, bytesAsBounds, countsDisagree, emptyWithSum, minAboveMax, minOutside, maxOutside, sumOutside, durationPoint({}, [0, 2, 1])]),
    ]));
    expect(outcome).toMatchObject({ accepted: 2, rejected: 9 });
    const reasons: [ReturnType<typeof durationPoint>, string][] = [
      [foreignBounds, 'bounds other than the SDK'], [countsDisagree, 'do not add up'], [emptyWithSum, 'but no values'], [minAboveMax, 'min is above its max'],
      [minOutside, 'outside its lowest or highest bucket'], [maxOutside, 'outside its lowest or highest bucket'], [sumOutside, 'sum lies outside'],
    ];
    for (const [p, why] of reasons) expect(filter(metrics([durations('shop.cli.invoked', [p])])).message).toContain(why);
    // A value on a bound is in the bucket below it, as OpenTelemetry buckets it.
    const onBound = point((p) => ((p.min = 0.01), (p.max = 0.025), (p.sum = 0.01 + 0.01 + 0.025)), [0, 2, 1]);
    expect(filter(metrics([durations('shop.cli.invoked', [onBound])]))).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('merges histograms into a point it would itself accept, even when their sums sit at the edge of the rounding it allows', () => {
    const atEdge = (count: number, junk: string) => {
      const p = durationPoint({ 'cli.command': 'buy', junk }, [0, 0, 0, 0, count]);
      Object.assign(p, { min: 0.1, max: 0.1, sum: count * 0.1 * (1 - 1e-9) });
      return p;
    };
    const once = filter(metrics([durations('shop.cli.invoked', [atEdge(1, 'a'), atEdge(2, 'b')])]));
    expect(once).toMatchObject({ accepted: 1, rejected: 0 });
    const again = filter(structuredClone(once.request));
    expect(again).toMatchObject({ accepted: 1, rejected: 0, message: '' });
  });

  it('removes unknown attributes and events-tier attributes from points, and says so', () => {
    const outcome = filter(metrics([
      counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy', 'user.email': 'ann@example.com', note: 'hello', project: 'a'.repeat(32) })]),
    ]));
    expect(outcome).toMatchObject({ accepted: 1, rejected: 0 });
    const point = kept(outcome.request)[0]?.sum?.dataPoints[0];
    expect(values(point?.attributes ?? [])).toEqual({ 'cli.command': 'buy' });
    expect(outcome.message).toContain('"user.email" of shop.cli.invoked (not in the catalog)');
    expect(outcome.message).toContain('not allowed on the metrics tier');
    expect(outcome.message).not.toContain('ann@example.com');
  });

  it('removes values outside the closed sets and of the wrong type', () => {
    const point = countPoint({});
    point.attributes = [
      ...kv({ 'cli.command': 'rm -rf', success: 'yes', 'exit.code': 999, 'items.count': '3' }),
      { key: 'error.type', value: { arrayValue: { values: [{ stringValue: 'x' }] } } },
    ];
    const outcome = filter(metrics([counter('shop.cli.invoked', [point])]));
    expect(kept(outcome.request)[0]?.sum?.dataPoints[0]?.attributes).toEqual([]);
    expect(outcome.message).toContain('removed:');
  });

  it('merges points that removing an attribute made the same series', () => {
    const outcome = filter(metrics([
      counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy', user: 'ann' }, 2), countPoint({ 'cli.command': 'buy', user: 'bob' }, 3)]),
      durations('shop.cli.invoked', [durationPoint({ user: 'ann' }, [1, 0, 0]), durationPoint({ user: 'bob' }, [0, 2, 0])]),
    ]));
    const [count, duration] = kept(outcome.request);
    expect(count?.sum?.dataPoints).toHaveLength(1);
    expect(count?.sum?.dataPoints[0]?.asInt).toBe('5');
    expect(duration?.histogram?.dataPoints).toHaveLength(1);
    expect(duration?.histogram?.dataPoints[0]).toMatchObject({ count: '3', min: 0.004, max: 0.0075 });
    expect(duration?.histogram?.dataPoints[0]?.bucketCounts.slice(0, 3)).toEqual(['1', '2', '0']);
  });

  it('merges points that a value replaced by its fallback or an int re-typed made the same series', () => {
    const looseInt = countPoint({ 'exit.code': 1 }, 6);
    looseInt.attributes = [{ key: 'exit.code', value: { doubleValue: 1 } }];
    const outcome = filter(metrics([
      counter('shop.cli.invoked', [
        countPoint({ success: false, 'error.type': 'ENEWERROR' }, 3),
        countPoint({ success: false, 'error.type': 'AnotherNewError' }, 4),
        countPoint({ 'exit.code': 1 }, 5),
        looseInt,
      ]),
    ]));
    const points = kept(outcome.request)[0]?.sum?.dataPoints ?? [];
    expect(points.map((p) => [values(p.attributes), p.asInt])).toEqual([
      [{ success: false, 'error.type': '_OTHER' }, '7'],
      [{ 'exit.code': '1' }, '11'],
    ]);
    expect(outcome).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('merges the points of resources and scopes that filtering made the same', () => {
    const scoped = (worker: string, value: number) => ({
      scope: { name: 'shop', version: '2.1.0', attributes: kv({ worker }), droppedAttributesCount: 0 },
      metrics: [counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy' }, value)])],
      schemaUrl: '',
    });
    const request: OtlpMetricsRequest = {
      resourceMetrics: [
        { resource: resource({ 'process.pid': 100 }), schemaUrl: '', scopeMetrics: [scoped('a', 1), scoped('b', 2)] },
        { resource: resource({ 'process.pid': 200 }), schemaUrl: '', scopeMetrics: [scoped('a', 4)] },
        { resource: resource({ 'process.pid': 300 }, OTHER_INSTALLATION), schemaUrl: '', scopeMetrics: [scoped('a', 8)] },
      ],
    };
    const outcome = filter(request);
    const out = outcome.request.resourceMetrics;
    expect(out).toHaveLength(2);
    expect(out.map((r) => r.scopeMetrics.length)).toEqual([1, 1]);
    expect(out.map((r) => r.scopeMetrics[0]?.metrics.map((m) => m.sum?.dataPoints.map((p) => p.asInt)))).toEqual([[['7']], [['8']]]);
    expect(outcome).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('keeps apart metrics of one name whose temporalities differ', () => {
    const cumulative = counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy' }, 2)]);
    if (cumulative.sum) cumulative.sum.aggregationTemporality = 2;
    const outcome = filter(metrics([counter('shop.cli.invoked', [countPoint({ 'cli.command': 'buy' }, 1)]), cumulative]));
    expect(kept(outcome.request).map((m) => m.sum?.dataPoints.map((p) => p.asInt))).toEqual([['1'], ['2']]);
    expect(outcome.accepted).toBe(2);
  });

  it('drops a point whose merge would overflow, instead of sending a negative or infinite total', () => {
    const big = countPoint({ user: 'ann' });
    big.asInt = '9223372036854775807';
    const doubles = [countPoint({ user: 'ann' }), countPoint({ user: 'bob' })];
    for (const p of doubles) {
      delete p.asInt;
      p.asDouble = 1.7e308;
    }
    const huge = durationPoint({ user: 'ann' }, [1, 0, 0]);
    huge.count = '18446744073709551615';
    huge.bucketCounts = ['18446744073709551615', ...huge.bucketCounts.slice(1)];
    huge.sum = Number(huge.count) * 0.004;
    const outcome = filter(metrics([
      counter('shop.cli.invoked', [big, countPoint({ user: 'bob' })]),
      counter('shop.cart.viewed', doubles),
      durations('shop.cli.invoked', [huge, durationPoint({ user: 'bob' }, [1, 0, 0])]),
    ]));
    const [ints, floats, histogram] = kept(outcome.request);
    expect(ints?.sum?.dataPoints.map((p) => p.asInt)).toEqual(['9223372036854775807']);
    expect(floats?.sum?.dataPoints.map((p) => p.asDouble)).toEqual([1.7e308]);
    expect(histogram?.histogram?.dataPoints.map((p) => p.count)).toEqual(['18446744073709551615']);
    expect(outcome.rejected).toBe(3);
    expect(outcome.message).toContain('out of range');
  });

  it('clears undefined flag bits, and bucket bounds that come without counts', () => {
    const point = countPoint({});
    point.flags = 0x4142_4301;
    const bare = durationPoint({}, []);
    bare.bucketCounts = [];
    const outcome = filter(metrics([counter('shop.cart.viewed', [point]), durations('shop.cli.invoked', [bare])]));
    const [count, duration] = kept(outcome.request);
    expect(count?.sum?.dataPoints[0]?.flags).toBe(1);
    expect(duration?.histogram?.dataPoints[0]?.explicitBounds).toEqual([]);
    expect(outcome.message).toMatch(/undefined flag bits.*bucket bounds without counts|bucket bounds without counts.*undefined flag bits/);
  });

  it('drops exemplars and metadata, and puts the catalog description in place of the one sent', () => {
    const point = countPoint({});
    point.exemplars = [{ filteredAttributes: kv({ 'client.address': '10.0.0.1' }), timeUnixNano: '1', asInt: '1', spanId: '', traceId: '' }];
    const metric = { ...counter('shop.cart.viewed', [point]), description: 'sent by ann@example.com', metadata: kv({ owner: 'ann' }) };
    const outcome = filter(metrics([metric]));
    const out = kept(outcome.request)[0];
    expect(out?.description).toBe('The cart was shown.');
    expect(out?.metadata).toEqual([]);
    expect(out?.sum?.dataPoints[0]?.exemplars).toEqual([]);
  });

  it('leaves out resources and scopes that have nothing left', () => {
    const outcome = filter(metrics([counter('shop.secret.tracked', [countPoint({})])]));
    expect(outcome.request.resourceMetrics).toEqual([]);
  });
});
