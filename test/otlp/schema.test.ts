import { describe, expect, it } from 'vitest';
import { decodeRequest, OtlpDecodeError } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { allMessagePlans } from '../../src/otlp/field-plan.js';
import { int64ToDecimal, uint64ToDecimal } from '../../src/otlp/scalars.js';
import { OTLP_ENUMS } from '../../src/otlp/schema.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpKeyValue, OtlpRequestMap, OtlpResource, OtlpScope } from '../../src/otlp/types.js';
import { officialDecode } from '../support/official-codec.js';
import { otlpProto } from '../support/proto-root.js';

const PROTOBUF = 'application/x-protobuf';

describe('the OTLP schema table', () => {
  it('matches the generated classes field for field (checked when they load)', () => {
    expect(() => otlpProto()).not.toThrow();
  });

  it('covers every message OpenTelemetry generates, but the file-format wrappers', () => {
    const generated: string[] = [];
    const walk = (node: Record<string, unknown>, path: string[]) => {
      for (const [name, child] of Object.entries(node)) {
        if (typeof child === 'function' && typeof (child as { decode?: unknown }).decode === 'function') {
          generated.push([...path, name].join('.'));
          walk(child as unknown as Record<string, unknown>, [...path, name]);
        } else if (typeof child === 'object' && child !== null && /^[a-z]/.test(name)) {
          walk(child as Record<string, unknown>, [...path, name]);
        }
      }
    };
    walk(otlpProto().lookup('common') as Record<string, unknown>, ['common']);
    for (const pkg of ['resource', 'metrics', 'logs', 'trace', 'collector']) {
      walk(otlpProto().lookup(pkg) as Record<string, unknown>, [pkg]);
    }
    const wrappers = ['metrics.v1.MetricsData', 'logs.v1.LogsData', 'trace.v1.TracesData'];
    expect(allMessagePlans().map((p) => p.path).sort()).toEqual(generated.filter((p) => !wrappers.includes(p)).sort());
  });

  // The generated decoder is an independent reading of the same bytes: it knows each field's real
  // protobuf type. JSON input is checked against the table's kinds (every signed value is negative,
  // and every unsigned one is above 2^63, so neither would pass as the other).
  it.each(OTLP_SIGNALS)('decodes every %s field as the generated code reads it', (signal) => {
    const request = kitchenSink(signal);
    const body = encodeRequest(signal, request, 'protobuf');
    const ours = decodeRequest(signal, body, { contentType: PROTOBUF });
    expect(ours).toEqual(request);
    const json = encodeRequest(signal, request, 'json');
    expect(decodeRequest(signal, json, { contentType: 'application/json' })).toEqual(request);

    expect(ours).toEqual(officialDecode(signal, body));
  });
});

describe('enum names in OTLP/JSON', () => {
  it('are the generated enums, value for value', () => {
    for (const [path, names] of Object.entries(OTLP_ENUMS)) {
      expect({ path, values: Object.fromEntries(names.map((name, value) => [name, value])) }).toEqual({ path, values: otlpProto().lookup(path) });
    }
    const named = allMessagePlans().flatMap((p) => p.fields.map((f) => f.enumPath).filter((e) => e !== undefined));
    expect(Object.keys(OTLP_ENUMS).sort()).toEqual([...new Set(named)].sort());
  });

  it('answers 400 for enum names that are not the enum’s own', () => {
    const span = (kind: string) =>
      new TextEncoder().encode(
        JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x', kind }] }] }] }),
      );
    const decodeKind = (kind: string) =>
      decodeRequest('traces', span(kind), { contentType: 'application/json' }).resourceSpans[0]?.scopeSpans[0]?.spans[0]
        ?.kind;
    expect(decodeKind('SPAN_KIND_CLIENT')).toBe(3);
    for (const name of ['constructor', 'toString', '__proto__', '0', 'hasOwnProperty']) {
      expect(() => decodeKind(name)).toThrow(OtlpDecodeError);
    }
  });
});

describe('64-bit integers', () => {
  const cases = [
    0n,
    1n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 53n - 1n,
    2n ** 53n,
    2n ** 53n + 1n,
    1_700_000_000_123_456_789n,
    10n ** 15n,
    10n ** 16n,
    10n ** 17n - 1n,
    2n ** 63n - 1n,
    2n ** 63n,
    2n ** 64n - 1n,
  ];
  let x = 0x2545f4914f6cdd1dn;
  for (let i = 0; i < 2000; i++) {
    // xorshift64: spread over every magnitude
    x ^= (x << 13n) & (2n ** 64n - 1n);
    x ^= x >> 7n;
    x ^= (x << 17n) & (2n ** 64n - 1n);
    cases.push(x >> BigInt(i % 64));
  }
  const halves = (v: bigint): [number, number] => [Number(v & 0xffffffffn), Number(v >> 32n)];

  it('turn into exact decimal strings, unsigned and signed, without BigInt', () => {
    for (const v of cases) {
      const [low, high] = halves(v);
      // Twice: the second call may be answered from the cache.
      for (let i = 0; i < 2; i++) {
        expect(uint64ToDecimal(low, high)).toBe(v.toString());
        expect(int64ToDecimal(low, high)).toBe(BigInt.asIntN(64, v).toString());
      }
    }
  });
});

/** A request of a signal with every field set to something other than its default. */
function kitchenSink<S extends OtlpSignal>(signal: S): OtlpRequestMap[S] {
  const attributes: OtlpKeyValue[] = [
    { key: 's', value: { stringValue: 'héllo ✓' } },
    { key: 'b', value: { boolValue: true } },
    { key: 'i', value: { intValue: '-9223372036854775808' } },
    { key: 'd', value: { doubleValue: -1.5 } },
    { key: 'a', value: { arrayValue: { values: [{ intValue: '9223372036854775807' }, {}] } } },
    { key: 'k', value: { kvlistValue: { values: [{ key: 'nested', value: { doubleValue: Number.NaN } }] } } },
    { key: 'y', value: { bytesValue: 'AAEC/w==' } },
    { key: 'none' },
  ];
  const resource: OtlpResource = {
    attributes,
    droppedAttributesCount: 1,
    entityRefs: [{ schemaUrl: 'https://e', type: 'service', idKeys: ['service.name'], descriptionKeys: ['a', 'b'] }],
  };
  const scope: OtlpScope = { name: 'lib', version: '1.2.3', attributes, droppedAttributesCount: 2 };
  // Unsigned 64-bit values above 2^63.
  const u1 = '18446744073709551615';
  const u2 = '9223372036854775808';
  const times = { startTimeUnixNano: u2, timeUnixNano: u1 };
  const traceId = '5b8efff798038103d269b633813fc60c';
  const spanId = 'eee19b7ec3c1b174';
  const exemplars = [
    { filteredAttributes: attributes, timeUnixNano: u1, asInt: '-3', spanId, traceId },
    { filteredAttributes: [], timeUnixNano: u2, asDouble: 2.5, spanId, traceId },
  ];
  const buckets = (offset: number) => ({ offset, bucketCounts: [u2, '9007199254740993', u1] });
  const requests: OtlpRequestMap = {
    metrics: {
      resourceMetrics: [
        {
          resource,
          schemaUrl: 'https://r',
          scopeMetrics: [
            {
              scope,
              schemaUrl: 'https://s',
              metrics: [
                {
                  name: 'g',
                  description: 'gauge',
                  unit: 'By',
                  metadata: attributes,
                  gauge: { dataPoints: [{ attributes, ...times, asInt: '-7', exemplars, flags: 1 }] },
                },
                {
                  name: 's',
                  description: 'sum',
                  unit: '1',
                  metadata: [],
                  sum: {
                    dataPoints: [{ attributes, ...times, asDouble: -0, exemplars, flags: 1 }],
                    aggregationTemporality: 1,
                    isMonotonic: true,
                  },
                },
                {
                  name: 'h',
                  description: 'histogram',
                  unit: 'ms',
                  metadata: [],
                  histogram: {
                    dataPoints: [
                      {
                        attributes,
                        ...times,
                        count: u1,
                        sum: 12.5,
                        bucketCounts: [u1, '0', '4294967296'],
                        explicitBounds: [-1, 0.5, Number.POSITIVE_INFINITY],
                        exemplars,
                        flags: 1,
                        min: -3,
                        max: 1e300,
                      },
                    ],
                    aggregationTemporality: 2,
                  },
                },
                {
                  name: 'e',
                  description: 'exponential',
                  unit: 's',
                  metadata: [],
                  exponentialHistogram: {
                    dataPoints: [
                      {
                        attributes,
                        ...times,
                        count: u1,
                        sum: 1,
                        scale: -3,
                        zeroCount: u2,
                        positive: buckets(-2),
                        negative: buckets(7),
                        flags: 1,
                        exemplars,
                        min: 0,
                        max: 9,
                        zeroThreshold: 1e-9,
                      },
                    ],
                    aggregationTemporality: 1,
                  },
                },
                {
                  name: 'q',
                  description: 'summary',
                  unit: '',
                  metadata: [],
                  summary: {
                    dataPoints: [
                      {
                        attributes,
                        ...times,
                        count: u2,
                        sum: 6,
                        quantileValues: [
                          { quantile: 0.5, value: 2 },
                          { quantile: 1, value: 3 },
                        ],
                        flags: 1,
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    },
    logs: {
      resourceLogs: [
        {
          resource,
          schemaUrl: 'https://r',
          scopeLogs: [
            {
              scope,
              schemaUrl: 'https://s',
              logRecords: [
                {
                  timeUnixNano: u1,
                  observedTimeUnixNano: u2,
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { kvlistValue: { values: attributes } },
                  attributes,
                  droppedAttributesCount: 3,
                  flags: 257,
                  traceId,
                  spanId,
                  eventName: 'app.crash',
                },
              ],
            },
          ],
        },
      ],
    },
    traces: {
      resourceSpans: [
        {
          resource,
          schemaUrl: 'https://r',
          scopeSpans: [
            {
              scope,
              schemaUrl: 'https://s',
              spans: [
                {
                  traceId,
                  spanId,
                  traceState: 'k=v',
                  parentSpanId: '0011223344556677',
                  flags: 0x301,
                  name: 'GET /',
                  kind: 2,
                  startTimeUnixNano: u2,
                  endTimeUnixNano: u1,
                  attributes,
                  droppedAttributesCount: 1,
                  events: [{ timeUnixNano: u1, name: 'ev', attributes, droppedAttributesCount: 2 }],
                  droppedEventsCount: 3,
                  links: [{ traceId, spanId, traceState: 'a=b', attributes, droppedAttributesCount: 4, flags: 256 }],
                  droppedLinksCount: 5,
                  status: { message: 'boom', code: 2 },
                },
              ],
            },
          ],
        },
      ],
    },
  };
  return requests[signal];
}
