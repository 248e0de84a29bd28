import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse } from '../../src/otlp/decode.js';
import { encodeRequest, encodeResponse } from '../../src/otlp/encode.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpFormat, OtlpLogsRequest, OtlpMetricsRequest, OtlpRequestMap } from '../../src/otlp/types.js';
import { type OtlpReceiver, startReceiver } from '../support/otlp-receiver.js';
import { sendLogs, sendMetrics, sendSpans } from './official-exporters.js';

const CONTENT_TYPE: Record<OtlpFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };
const FORMATS: OtlpFormat[] = ['protobuf', 'json'];

function roundTrip<S extends OtlpSignal>(signal: S, request: OtlpRequestMap[S], format: OtlpFormat): OtlpRequestMap[S] {
  return decodeRequest(signal, encodeRequest(signal, request, format), { contentType: CONTENT_TYPE[format] });
}

describe('encodeRequest re-encodes what the official exporters sent', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    await sendMetrics(receiver.url, { formats: ['protobuf'] });
    await sendLogs(receiver.url, { formats: ['json'] });
    await sendSpans(receiver.url, { formats: ['protobuf'] });
  });
  afterAll(async () => {
    await receiver.close();
  });

  const combos = OTLP_SIGNALS.flatMap((signal) => FORMATS.map((format) => ({ signal, format })));
  it.each(combos)('so that decoding a $format re-encode of $signal gives back the same request', ({ signal, format }) => {
    const received = receiver.requests.filter((r) => r.signal === signal);
    expect(received.length).toBeGreaterThan(0);
    for (const { body } of received) expect(roundTrip(signal, body, format)).toEqual(body);
  });

  it('so that a protobuf re-encode decodes exactly like the JSON one', () => {
    for (const { signal, body } of receiver.requests) {
      expect(roundTrip(signal, body, 'protobuf')).toEqual(roundTrip(signal, body, 'json'));
    }
  });
});

describe('encodeRequest keeps edge values intact', () => {
  const metrics: OtlpMetricsRequest = decodeRequest(
    'metrics',
    new TextEncoder().encode(
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'edges',
                    gauge: {
                      dataPoints: [
                        { asInt: '-9223372036854775808', timeUnixNano: '18446744073709551615' },
                        { asInt: '0' },
                        { asDouble: 'Infinity' },
                        { asDouble: '-Infinity' },
                        { asDouble: 'NaN' },
                        { asDouble: '-0' },
                      ],
                    },
                  },
                  {
                    name: 'hist',
                    histogram: {
                      dataPoints: [{ count: '18446744073709551615', sum: 0, bucketCounts: ['9007199254740993'] }],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    ),
    { contentType: 'application/json' },
  );

  const logs: OtlpLogsRequest = {
    resourceLogs: [
      {
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: '0',
                observedTimeUnixNano: '1',
                severityNumber: 0,
                severityText: '',
                body: { kvlistValue: { values: [{ key: 'empty' }, { key: 's', value: { stringValue: '' } }] } },
                attributes: [
                  { key: 'bytes', value: { bytesValue: 'AAEC/w==' } },
                  { key: 'nothing', value: {} },
                  { key: 'false', value: { boolValue: false } },
                  { key: 'zero', value: { intValue: '0' } },
                  { key: 'nested', value: { arrayValue: { values: [{ arrayValue: { values: [] } }] } } },
                ],
                droppedAttributesCount: 0,
                flags: 1,
                traceId: '',
                spanId: '00f067aa0ba902b7',
                eventName: '0',
              },
            ],
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };

  it.each(FORMATS)('through %s: 64-bit extremes, special doubles, -0 and present zero values', (format) => {
    expect(roundTrip('metrics', metrics, format)).toEqual(metrics);
    const points = roundTrip('metrics', metrics, format).resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.gauge?.dataPoints;
    expect(points?.[0]).toMatchObject({ asInt: '-9223372036854775808', timeUnixNano: '18446744073709551615' });
    expect(points?.[1]?.asInt).toBe('0');
    expect(Object.is(points?.[5]?.asDouble, -0)).toBe(true);
  });

  it.each(FORMATS)('through %s: empty, zero and false AnyValues, bytes, and a "0" string', (format) => {
    expect(roundTrip('logs', logs, format)).toEqual(logs);
  });

  it('leaves default-valued fields out of the encoding, as protobuf does', () => {
    const json = new TextDecoder().decode(encodeRequest('logs', logs, 'json'));
    expect(json).not.toContain('traceId');
    expect(json).not.toContain('droppedAttributesCount');
    expect(json).toContain('"eventName":"0"');
    expect(json).toContain('"intValue":"0"');
  });
});

describe('encodeResponse', () => {
  it('answers a full success with an empty message: no bytes in protobuf, {} in JSON', () => {
    expect(encodeResponse('metrics', undefined, 'protobuf')).toHaveLength(0);
    expect(encodeResponse('logs', { rejected: 0 }, 'protobuf')).toHaveLength(0);
    expect(new TextDecoder().decode(encodeResponse('traces', undefined, 'json'))).toBe('{}');
  });

  it.each(FORMATS)('reports a partial success per signal in %s', (format) => {
    const fields = { metrics: 'rejectedDataPoints', logs: 'rejectedLogRecords', traces: 'rejectedSpans' } as const;
    for (const signal of OTLP_SIGNALS) {
      const body = encodeResponse(signal, { rejected: 3, errorMessage: 'dropped by privacy rules' }, format);
      expect(decodeResponse(signal, body, format)).toEqual({
        partialSuccess: { [fields[signal]]: '3', errorMessage: 'dropped by privacy rules' },
      });
    }
  });

  it('can carry a warning with nothing rejected', () => {
    const body = encodeResponse('logs', { rejected: 0, errorMessage: 'slow down' }, 'json');
    expect(JSON.parse(new TextDecoder().decode(body))).toEqual({ partialSuccess: { errorMessage: 'slow down' } });
  });
});
