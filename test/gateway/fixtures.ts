import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { encodeRequest } from '../../src/otlp/encode.js';
import type { OtlpSignal } from '../../src/otlp/signals.js';
import type {
  OtlpFormat, OtlpHistogramDataPoint, OtlpKeyValue, OtlpLogRecord, OtlpLogsRequest, OtlpMetric, OtlpMetricsRequest,
  OtlpNumberDataPoint, OtlpRequestMap, OtlpResource, OtlpSpan, OtlpTracesRequest,
} from '../../src/otlp/types.js';
import { compileCatalog } from '../../src/privacy/validator.js';
import { attr, defineCatalog, outcome } from '../../src/semconv/index.js';
import { DURATION_BUCKETS_SECONDS } from '../../src/semconv/names.js';

// Test data in the normalized OTLP shape, shaped like what optel's SDK sends, plus a small HTTP
// client that reports status, headers and body exactly as they came back.

/** A catalog with every tier combination the gateway has to tell apart. */
export const catalog = defineCatalog({
  app: 'shop',
  events: {
    'shop.cli.invoked': {
      description: 'A command ran.',
      duration: true,
      attributes: {
        'cli.command': attr.enum(['buy', 'list']),
        ...outcome(),
        'exit.code': attr.int({ min: 0, max: 255 }),
        'items.count': attr.bucket([0, 1, 10]),
        note: attr.text({ maxLength: 40 }),
        project: attr.hashed(),
      },
    },
    'shop.cart.viewed': { description: 'The cart was shown.', attributes: { 'items.count': attr.bucket([0, 1, 10]) } },
    'shop.search.typed': { description: 'A search was typed.', tiers: ['events'], attributes: { query: attr.text({ maxLength: 20 }) } },
  },
});

/** The compiled catalog. */
export const index = compileCatalog(catalog);

/** A random installation id, as the SDK makes them. */
export const INSTALLATION = '6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f';
const START = '1795449940000000000';
const END = '1795450000000000000';

/** Attributes in OTLP key/value form (integers become intValue, other numbers doubleValue). */
export function kv(record: Record<string, string | number | boolean>): OtlpKeyValue[] {
  return Object.entries(record).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
  }));
}

/** The resource the SDK sends, plus `extra`. */
export function resource(extra: Record<string, string | number | boolean> = {}, installation = INSTALLATION): OtlpResource {
  return {
    attributes: kv({
      'service.name': 'shop', 'service.version': '2.1.0', 'app.installation.id': installation, 'os.type': 'linux',
      'host.arch': 'amd64', 'telemetry.sdk.name': 'optel', ...extra,
    }),
    droppedAttributesCount: 0,
    entityRefs: [],
  };
}

const scope = () => ({ name: 'optel', version: '', attributes: [], droppedAttributesCount: 0 });

/** A counter point. */
export function countPoint(attributes: Record<string, string | number | boolean>, value = 1): OtlpNumberDataPoint {
  return { attributes: kv(attributes), startTimeUnixNano: START, timeUnixNano: END, asInt: String(value), exemplars: [], flags: 0 };
}

/** A duration point with the SDK's bounds, `counts` in its first buckets, and the count, sum, min and max they make. */
export function durationPoint(attributes: Record<string, string | number | boolean>, counts = [1]): OtlpHistogramDataPoint {
  const bucketCounts = DURATION_BUCKETS_SECONDS.map((_, i) => counts[i] ?? 0).concat(counts[DURATION_BUCKETS_SECONDS.length] ?? 0);
  // A value inside bucket i: (bound[i-1], bound[i]].
  const inside = (i: number) => (i === 0 ? 0.004 : (DURATION_BUCKETS_SECONDS[i - 1] as number) * 1.5);
  const used = bucketCounts.flatMap((c, i) => (c > 0 ? [i] : []));
  const count = bucketCounts.reduce((a, b) => a + b, 0);
  return {
    attributes: kv(attributes), startTimeUnixNano: START, timeUnixNano: END, count: String(count),
    sum: bucketCounts.reduce((sum, c, i) => sum + c * inside(i), 0),
    bucketCounts: bucketCounts.map(String), explicitBounds: [...DURATION_BUCKETS_SECONDS], exemplars: [], flags: 0,
    ...(count > 0 ? { min: inside(used[0] as number), max: inside(used[used.length - 1] as number) } : {}),
  };
}

/** The counter metric `<event>.count`. */
export function counter(event: string, points: OtlpNumberDataPoint[]): OtlpMetric {
  return { name: `${event}.count`, description: 'anything', unit: '{event}', metadata: [], sum: { dataPoints: points, aggregationTemporality: 1, isMonotonic: true } };
}

/** The histogram metric `<event>.duration`. */
export function durations(event: string, points: OtlpHistogramDataPoint[]): OtlpMetric {
  return { name: `${event}.duration`, description: 'anything', unit: 's', metadata: [], histogram: { dataPoints: points, aggregationTemporality: 1 } };
}

/** A metrics export of one resource and scope. */
export function metrics(list: OtlpMetric[], res: OtlpResource = resource()): OtlpMetricsRequest {
  return { resourceMetrics: [{ resource: res, schemaUrl: '', scopeMetrics: [{ scope: scope(), metrics: list, schemaUrl: '' }] }] };
}

/** A log record for `event` as the SDK emits it (eventName and the event.name attribute). */
export function logRecord(event: string, attributes: Record<string, string | number | boolean> = {}): OtlpLogRecord {
  return {
    timeUnixNano: END, observedTimeUnixNano: END, severityNumber: 0, severityText: '', attributes: [...kv(attributes), ...kv({ 'event.name': event })],
    droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName: event,
  };
}

/** A logs export of one resource and scope. */
export function logs(records: OtlpLogRecord[], res: OtlpResource = resource()): OtlpLogsRequest {
  return { resourceLogs: [{ resource: res, schemaUrl: '', scopeLogs: [{ scope: scope(), logRecords: records, schemaUrl: '' }] }] };
}

/** A span named after `event`. */
export function span(event: string, attributes: Record<string, string | number | boolean> = {}): OtlpSpan {
  return {
    traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceState: '', parentSpanId: '', flags: 1, name: event, kind: 1,
    startTimeUnixNano: START, endTimeUnixNano: END, attributes: kv(attributes), droppedAttributesCount: 0, events: [], droppedEventsCount: 0,
    links: [], droppedLinksCount: 0, status: { message: '', code: 0 },
  };
}

/** A traces export of one resource and scope. */
export function traces(spans: OtlpSpan[], res: OtlpResource = resource()): OtlpTracesRequest {
  return { resourceSpans: [{ resource: res, schemaUrl: '', scopeSpans: [{ scope: scope(), spans, schemaUrl: '' }] }] };
}

/** Attribute values of a key/value list as a record. */
export function values(pairs: readonly OtlpKeyValue[]): Record<string, unknown> {
  return Object.fromEntries(pairs.map((p) => [p.key, p.value?.stringValue ?? p.value?.boolValue ?? p.value?.intValue ?? p.value?.doubleValue]));
}

/** What came back from one HTTP request. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends one HTTP request with exactly these headers and body. */
export function send(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${options.path ?? '/v1/metrics'}`, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const CONTENT_TYPES: Record<OtlpFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** Posts an OTLP export to `/v1/<signal>`, encoded in `format` (gzip when asked). */
export function post<S extends OtlpSignal>(
  url: string,
  signal: S,
  body: OtlpRequestMap[S],
  options: { format?: OtlpFormat; gzip?: boolean; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const format = options.format ?? 'protobuf';
  let bytes = encodeRequest(signal, body, format);
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[format], ...options.headers };
  if (options.gzip) {
    bytes = gzipSync(bytes);
    headers['content-encoding'] = 'gzip';
  }
  return send(url, { path: `/v1/${signal}`, headers, body: bytes });
}
