import type { OtlpKeyValue, OtlpLogsRequest, OtlpMetricsRequest, OtlpTracesRequest } from '../../src/otlp/types.js';

/** Test data in the OTLP/JSON shape, as small as a real exporter would send. */

const NOW_NS = '1795450000000000000';

/** Attributes in OTLP key/value form. */
export function kv(record: Record<string, string | number | boolean>): OtlpKeyValue[] {
  return Object.entries(record).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
  }));
}

/** The resource optel's todo example sends. */
export function resource(installation = '11111111-1111-4111-8111-111111111111', version = '1.4.2') {
  return {
    attributes: kv({ 'service.name': 'todo', 'service.version': version, 'app.installation.id': installation, 'os.type': 'linux' }),
    droppedAttributesCount: 0,
    entityRefs: [],
  };
}

const scope = { name: 'optel', version: '', attributes: [], droppedAttributesCount: 0 };

/** One counter point and one duration point for `event`, delta temporality (what optel sends). */
export function metricsRequest(opts: {
  event?: string;
  count?: number;
  attributes?: Record<string, string | number | boolean>;
  buckets?: number[];
  bounds?: number[];
  sum?: number;
  temporality?: 1 | 2;
  startNs?: string;
  installation?: string;
} = {}): OtlpMetricsRequest {
  const event = opts.event ?? 'todo.cli.invoked';
  const attributes = kv(opts.attributes ?? { 'cli.command': 'add', success: true });
  const bounds = opts.bounds ?? [0.005, 0.01, 0.025, 0.05, 0.1];
  const buckets = opts.buckets ?? [opts.count ?? 1, 0, 0, 0, 0, 0];
  const count = buckets.reduce((a, b) => a + b, 0);
  const base = { attributes, startTimeUnixNano: opts.startNs ?? NOW_NS, timeUnixNano: NOW_NS, flags: 0 };
  return {
    resourceMetrics: [{
      resource: resource(opts.installation),
      schemaUrl: '',
      scopeMetrics: [{
        scope,
        schemaUrl: '',
        metrics: [
          {
            name: `${event}.count`, description: 'A todo command ran.', unit: '{event}', metadata: [],
            sum: { aggregationTemporality: opts.temporality ?? 1, isMonotonic: true, dataPoints: [{ ...base, asInt: String(opts.count ?? 1), exemplars: [] }] },
          },
          {
            name: `${event}.duration`, description: 'A todo command ran.', unit: 's', metadata: [],
            histogram: {
              aggregationTemporality: opts.temporality ?? 1,
              dataPoints: [{ ...base, count: String(count), sum: opts.sum ?? 0.002 * count, bucketCounts: buckets.map(String), explicitBounds: bounds, exemplars: [] }],
            },
          },
        ],
      }],
    }],
  };
}

/** Log records (events tier), one per event name given. */
export function logsRequest(events: string[], attributes: Record<string, string | number | boolean> = { 'cli.command': 'list', success: true }): OtlpLogsRequest {
  return {
    resourceLogs: [{
      resource: resource(),
      schemaUrl: '',
      scopeLogs: [{
        scope,
        schemaUrl: '',
        logRecords: events.map((eventName) => ({
          timeUnixNano: NOW_NS, observedTimeUnixNano: NOW_NS, severityNumber: 9, severityText: '',
          attributes: kv({ ...attributes, 'event.name': eventName }), droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName,
        })),
      }],
    }],
  };
}

/** Spans: each `[name, durationMs, traceId?]`. */
export function tracesRequest(spans: [string, number, string?][]): OtlpTracesRequest {
  return {
    resourceSpans: [{
      resource: resource(),
      schemaUrl: '',
      scopeSpans: [{
        scope,
        schemaUrl: '',
        spans: spans.map(([name, ms, traceId], i) => ({
          traceId: traceId ?? '5b8efff798038103d269b633813fc60c', spanId: `eee19b7ec3c1b17${i % 10}`, traceState: '', parentSpanId: '', flags: 0,
          name, kind: 1, startTimeUnixNano: NOW_NS, endTimeUnixNano: String(BigInt(NOW_NS) + BigInt(Math.round(ms * 1e6))),
          attributes: kv({ 'cli.command': 'add' }), droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0,
          status: { code: 1, message: '' },
        })),
      }],
    }],
  };
}
