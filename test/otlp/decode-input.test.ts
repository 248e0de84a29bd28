import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRequest, OtlpDecodeError } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { lengthField, nestedLogAttribute } from '../support/protobuf-bytes.js';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The decode failure a call produces, so tests can assert on status and reason. */
function decodeFailure(run: () => unknown): OtlpDecodeError {
  try {
    run();
  } catch (err) {
    if (err instanceof OtlpDecodeError) return err;
    throw err;
  }
  throw new Error('expected an OtlpDecodeError, but decoding succeeded');
}

describe('decodeRequest refuses what it cannot trust', () => {
  const aMetricsRequest = () =>
    encodeRequest('metrics', { resourceMetrics: [{ scopeMetrics: [], schemaUrl: 'https://example.com/schema' }] }, 'protobuf');

  it('answers 400 for garbage bytes sent as protobuf', () => {
    const garbage = utf8('this is not protobuf, just text');
    expect(decodeFailure(() => decodeRequest('metrics', garbage, { contentType: PROTOBUF })).status).toBe(400);
  });

  it('answers 400 for a truncated protobuf body', () => {
    const body = aMetricsRequest();
    const truncated = body.subarray(0, body.length - 3);
    const err = decodeFailure(() => decodeRequest('metrics', truncated, { contentType: PROTOBUF }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('ExportMetricsServiceRequest');
  });

  it('answers 415 for a content type that is neither protobuf nor JSON, or none at all', () => {
    const body = aMetricsRequest();
    expect(decodeFailure(() => decodeRequest('metrics', body, { contentType: 'text/plain' })).status).toBe(415);
    expect(decodeFailure(() => decodeRequest('metrics', body, {})).status).toBe(415);
  });

  it('answers 415 for a content encoding other than gzip', () => {
    const err = decodeFailure(() =>
      decodeRequest('metrics', aMetricsRequest(), { contentType: PROTOBUF, contentEncoding: 'br' }),
    );
    expect(err.status).toBe(415);
    expect(err.message).toContain('br');
  });

  it('answers 400 for a body that claims gzip but is not', () => {
    const err = decodeFailure(() =>
      decodeRequest('metrics', aMetricsRequest(), { contentType: PROTOBUF, contentEncoding: 'gzip' }),
    );
    expect(err.status).toBe(400);
  });

  it('answers 413 for a gzip bomb without inflating it all', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(128 * 1024);
    const started = performance.now();
    const err = decodeFailure(() =>
      decodeRequest('metrics', bomb, { contentType: PROTOBUF, contentEncoding: 'gzip', maxBytes: 1024 * 1024 }),
    );
    expect(err.status).toBe(413);
    // Inflating all 64 MiB takes far longer than stopping after the first one.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('answers 413 for an uncompressed body over the limit', () => {
    const err = decodeFailure(() => decodeRequest('metrics', aMetricsRequest(), { contentType: PROTOBUF, maxBytes: 4 }));
    expect(err.status).toBe(413);
  });

  it('answers 400 for JSON nested 10,000 levels deep, without overflowing the stack', () => {
    const open = '{"kvlistValue":{"values":[{"key":"k","value":';
    const value = `${open.repeat(10_000)}{"stringValue":"x"}${'}]}}'.repeat(10_000)}`;
    const deep = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"a","value":${value}}]}]}]}]}`;
    const err = decodeFailure(() => decodeRequest('logs', utf8(deep), { contentType: JSON_TYPE }));
    expect(err.status).toBe(400);
    expect(err.message).toBe('JSON nests deeper than 64 levels');
  });

  it('answers 400, not a stack overflow, when a huge maxDepth lets the walk go 50,000 levels down', () => {
    const open = '{"arrayValue":{"values":[';
    const value = `${open.repeat(50_000)}{"stringValue":"x"}${']}}'.repeat(50_000)}`;
    const deep = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${value}}]}]}]}`;
    const err = decodeFailure(() => decodeRequest('logs', utf8(deep), { contentType: JSON_TYPE, maxDepth: 1e9 }));
    expect(err.status).toBe(400);
    expect(err.message).toBe('JSON nests too deep to decode');
  });

  it('answers 413 for a body that decodes into more messages than allowed, protobuf or JSON', () => {
    // Empty log records: two bytes of protobuf, three of JSON, an object of a dozen fields each.
    const records = (n: number) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: n }, () => ({})) }] }] });
    const protobuf = lengthField(1, lengthField(2, ...Array.from({ length: 1000 }, () => lengthField(2))));
    const json = utf8(JSON.stringify(records(1000)));
    for (const [body, contentType] of [[protobuf, PROTOBUF], [json, JSON_TYPE]] as const) {
      expect(decodeRequest('logs', body, { contentType }).resourceLogs[0]?.scopeLogs[0]?.logRecords).toHaveLength(1000);
      const err = decodeFailure(() => decodeRequest('logs', body, { contentType, maxMessages: 999 }));
      expect([err.status, err.message]).toEqual([413, 'body holds more than 999 OTLP messages']);
    }
  });

  it('answers 400 for protobuf nested 10,000 levels deep', () => {
    const err = decodeFailure(() => decodeRequest('logs', nestedLogAttribute(10_000), { contentType: PROTOBUF }));
    expect(err.status).toBe(400);
  });

  it('ignores brackets inside JSON strings when measuring depth', () => {
    const name = '[{'.repeat(100);
    const body = utf8(`{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":${JSON.stringify(name)}}]}]}]}`);
    const request = decodeRequest('metrics', body, { contentType: JSON_TYPE, maxDepth: 8 });
    expect(request.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.name).toBe(name);
  });

  it('answers 400 for text that is not JSON', () => {
    expect(decodeFailure(() => decodeRequest('logs', utf8('{"resourceLogs": ['), { contentType: JSON_TYPE })).status).toBe(400);
    expect(decodeFailure(() => decodeRequest('logs', new Uint8Array([0x7b, 0xff, 0x7d]), { contentType: JSON_TYPE })).status).toBe(400);
  });

  it('answers 400 for JSON that is not shaped like the request, naming where', () => {
    const decodeJson = (text: string) => () => decodeRequest('metrics', utf8(text), { contentType: JSON_TYPE });
    expect(decodeFailure(decodeJson('[]')).status).toBe(400);
    expect(decodeFailure(decodeJson('{"resourceMetrics":"many"}')).message).toBe('resourceMetrics must be an array');
    expect(
      decodeFailure(decodeJson('{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":5}]}]}]}')).message,
    ).toBe('resourceMetrics[0].scopeMetrics[0].metrics[0].name must be a string');
    expect(
      decodeFailure(decodeJson('{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{},"sum":{}}]}]}]}')).message,
    ).toContain('oneof "data"');
  });
  it('keeps one member when a protobuf body sets two members of a oneof', () => {
    const twice = encodeRequest(
      'metrics',
      { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asDouble: 1, asInt: '2' }] } }] }] }] } as never,
      'protobuf',
    );
    const point = decodeRequest('metrics', twice, { contentType: PROTOBUF }).resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]
      ?.gauge?.dataPoints[0];
    expect([point?.asDouble, point?.asInt].filter((v) => v !== undefined)).toHaveLength(1);
  });
});

describe('decodeRequest accepts the liberties OTLP/JSON allows', () => {
  const body = {
    resourceSpans: [
      {
        futureField: { ignored: true },
        resource: { attributes: [{ key: 'big', value: { intValue: 9007199254740991 } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5B8EFFF798038103D269B633813FC60C',
                spanId: 'ABEiM0RVZnc=',
                name: 'x',
                kind: 'SPAN_KIND_SERVER',
                startTimeUnixNano: 1_700_000_000_000,
                endTimeUnixNano: '01700000000000000001',
                status: { code: 'STATUS_CODE_ERROR' },
                attributes: [{ key: 'n', value: { doubleValue: 'NaN' } }],
              },
            ],
          },
        ],
      },
    ],
  };
  const request = decodeRequest('traces', utf8(JSON.stringify(body)), { contentType: 'application/json; charset=utf-8' });
  const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0];

  it('takes int64 values as numbers or strings and writes them back as canonical decimal strings', () => {
    expect(span?.startTimeUnixNano).toBe('1700000000000');
    expect(span?.endTimeUnixNano).toBe('1700000000000000001');
    expect(request.resourceSpans[0]?.resource?.attributes[0]?.value?.intValue).toBe('9007199254740991');
  });

  it('answers 400 for an int value given as a JSON number beyond 2^53 rather than forward it rounded', () => {
    const text = '"attributes":[{"key":"n","value":{"intValue":9007199254740993}}]';
    const json = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0011223344556677",${text}}]}]}]}`;
    const err = decodeFailure(() => decodeRequest('traces', utf8(json), { contentType: JSON_TYPE }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('intValue');
    expect(err.message).toContain('64-bit integer values beyond 2^53 must be JSON strings');
  });

  it('takes a nanosecond timestamp given as a JSON number, as clients write them, rounded as the parser read it', () => {
    const json = '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1717171717123456789}]}]}]}';
    const logs = decodeRequest('logs', utf8(json), { contentType: JSON_TYPE });
    expect(logs.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.timeUnixNano).toBe(BigInt(1717171717123456789).toString());
  });

  it('takes enums by name and stores their numbers', () => {
    expect(span?.kind).toBe(2);
    expect(span?.status).toEqual({ message: '', code: 2 });
  });

  it('takes hex ids in any case, and base64 ids from generic protobuf JSON mappers, as lowercase hex', () => {
    expect(span?.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(span?.spanId).toBe('0011223344556677');
  });

  it('fills in absent fields with their defaults and ignores unknown ones', () => {
    expect(span?.parentSpanId).toBe('');
    expect(span?.events).toEqual([]);
    expect(request.resourceSpans[0]).not.toHaveProperty('futureField');
    expect(request.resourceSpans[0]?.schemaUrl).toBe('');
  });

  it('takes special doubles spelled as strings', () => {
    expect(span?.attributes[0]?.value?.doubleValue).toBeNaN();
  });
});
