import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpFormat, OtlpMetricsRequest } from '../../src/otlp/types.js';
import { type OtlpReceiver, type ReceivedRequest, startReceiver } from '../support/otlp-receiver.js';
import { sendLogs, sendMetrics, sendSpans } from './official-exporters.js';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** Timestamps differ between two metric readers collecting the same data; blank them out. */
function withoutTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) => (key.endsWith('UnixNano') ? '<time>' : v));
}

/** Request bodies of one signal and format, in a stable order. */
function bodiesOf(receiver: OtlpReceiver, signal: OtlpSignal, format: OtlpFormat): unknown[] {
  const wanted = format === 'json' ? JSON_TYPE : PROTOBUF;
  return receiver.requests
    .filter((r: ReceivedRequest) => r.signal === signal && r.contentType.startsWith(wanted))
    .map((r) => r.body)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('decodeRequest, fed by the official OpenTelemetry exporters', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  describe.each([{ gzip: false }, { gzip: true }])('with gzip $gzip', ({ gzip }) => {
    it('turns a metrics export into the same request whether it came as protobuf or JSON', async () => {
      await sendMetrics(receiver.url, { formats: ['protobuf', 'json'], gzip });
      const [fromProtobuf] = bodiesOf(receiver, 'metrics', 'protobuf');
      const [fromJson] = bodiesOf(receiver, 'metrics', 'json');
      expect(receiver.rejected).toEqual([]);
      expect(receiver.requests.every((r) => r.encoding === (gzip ? 'gzip' : ''))).toBe(true);
      expect(fromProtobuf).toBeDefined();
      expect(withoutTimes(fromProtobuf)).toEqual(withoutTimes(fromJson));
    });

    it('turns log exports into the same requests whether they came as protobuf or JSON', async () => {
      await sendLogs(receiver.url, { formats: ['protobuf', 'json'], gzip });
      const fromProtobuf = bodiesOf(receiver, 'logs', 'protobuf');
      expect(fromProtobuf).toHaveLength(2);
      expect(fromProtobuf).toEqual(bodiesOf(receiver, 'logs', 'json'));
    });

    it('turns span exports into the same requests whether they came as protobuf or JSON', async () => {
      await sendSpans(receiver.url, { formats: ['protobuf', 'json'], gzip });
      const fromProtobuf = bodiesOf(receiver, 'traces', 'protobuf');
      expect(fromProtobuf).toHaveLength(2);
      expect(fromProtobuf).toEqual(bodiesOf(receiver, 'traces', 'json'));
    });
  });

  it.each(['protobuf', 'json'] as const)(
    'reads names, units, temporality, monotonicity and histogram buckets from a %s export',
    async (format) => {
      await sendMetrics(receiver.url, { formats: [format] });
      const byName = Object.fromEntries(receiver.metrics().map((row) => [row.name, row]));
      const resource = { 'service.name': 'optel-test', 'service.version': '1.2.3', 'process.pid': 4242 };

      expect(byName['cli.commands']).toMatchObject({
        resource,
        scope: 'optel.test',
        unit: '{command}',
        description: 'Commands run',
        kind: 'sum',
        temporality: 'delta',
        monotonic: true,
      });
      expect(byName['cli.commands']?.points.map((p) => [p.attributes, p.value])).toEqual([
        [{ command: 'init', ok: true }, 1],
        [{ command: 'build', ok: false }, 2],
      ]);
      // The SDK keeps up-down counters cumulative even under a delta preference.
      expect(byName['cli.active']).toMatchObject({ kind: 'sum', temporality: 'cumulative', monotonic: false });
      expect(byName['cli.active']?.points[0]?.value).toBe(2);
      expect(byName['cli.duration']).toMatchObject({ kind: 'histogram', unit: 'ms', temporality: 'delta' });
      expect(byName['cli.duration']?.points[0]).toMatchObject({
        attributes: { command: 'build' },
        count: 4,
        sum: 5555,
        min: 5,
        max: 5000,
        explicitBounds: [10, 100, 1000],
        bucketCounts: [1, 1, 1, 1],
      });
      expect(byName['cli.cache.size']).toMatchObject({ kind: 'gauge', unit: 'By', temporality: 'unspecified' });
      expect(byName['cli.cache.size']?.points[0]?.value).toBe(4096);
      // The raw request keeps the OTLP/JSON enum number.
      const raw = receiver.requests[0]?.body as OtlpMetricsRequest;
      expect(raw.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.sum?.aggregationTemporality).toBe(1);
    },
  );

  it.each(['protobuf', 'json'] as const)('reads eventName, body and typed attributes from a %s log export', async (format) => {
    await sendLogs(receiver.url, { formats: [format] });
    const logs = receiver.logs().sort((a, b) => a.timeUnixNano.localeCompare(b.timeUnixNano));

    expect(logs[0]).toMatchObject({
      scope: 'optel.test',
      eventName: 'cli.command',
      severityNumber: 9,
      severityText: 'INFO',
      body: 'ran init',
      attributes: { command: 'init', 'duration.ms': 12, ratio: 0.5, ok: true, tags: '["a","b"]' },
    });
    expect(logs[0]?.timeUnixNano).toMatch(/^\d{19}$/);
    // A record without eventName falls back to the older `event.name` attribute.
    expect(logs[1]).toMatchObject({ eventName: 'cli.legacy_event', body: { reason: 'slow', count: 2 } });
  });

  it.each(['protobuf', 'json'] as const)('reads span ids as lowercase hex from a %s trace export', async (format) => {
    await sendSpans(receiver.url, { formats: [format] });
    const parent = receiver.spans().find((s) => s.name === 'cli.run');
    const child = receiver.spans().find((s) => s.name === 'cli.compile');

    expect(parent?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parent?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(parent?.parentSpanId).toBeUndefined();
    expect(child?.traceId).toBe(parent?.traceId);
    expect(child?.parentSpanId).toBe(parent?.spanId);
    expect(parent).toMatchObject({
      attributes: { command: 'build', attempt: 1 },
      status: { code: 2, message: 'boom' },
      events: [{ name: 'cache.miss', attributes: { key: 'deps' } }],
    });
  });
});
