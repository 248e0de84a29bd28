import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeSizedRequest, OtlpDecodeError } from '../../src/otlp/decode.js';
import { encodeRequest } from '../../src/otlp/encode.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../../src/otlp/signals.js';
import type { OtlpLogsRequest, OtlpMetricsRequest } from '../../src/otlp/types.js';
import { chooser, randomRequest, rng } from '../gateway/random-otlp.js';
import { officialDecode, officialEncode } from '../support/official-codec.js';
import {
  doubleField,
  fixed32Field,
  fixed64Field,
  lengthField,
  logsRequestWith,
  nestedLogAttribute,
  paddedVarint,
  tag,
  varint,
  varintField,
  writeVariant,
} from '../support/protobuf-bytes.js';
import { requestPlan } from '../../src/otlp/field-plan.js';

const PROTOBUF = { contentType: 'application/x-protobuf' };

const decodeLogs = (body: Uint8Array) => decodeRequest('logs', body, PROTOBUF);
/** Whether a decoded value holds a NaN anywhere. */
const holdsNaN = (value: unknown): boolean =>
  typeof value === 'number' ? Number.isNaN(value) : typeof value === 'object' && value !== null && Object.values(value).some(holdsNaN);
/** Whether the decoder vouches that a body holds exactly what it decoded (and hands the body back for forwarding). */
const exact = (body: Uint8Array, signal: OtlpSignal = 'logs') => {
  const { exactBody } = decodeSizedRequest(signal, body, PROTOBUF);
  if (exactBody !== undefined) expect(exactBody).toBe(body);
  return exactBody !== undefined;
};
const firstRecord = (request: OtlpLogsRequest) => request.resourceLogs[0]?.scopeLogs[0]?.logRecords[0];

/** The status a body gets: 200 when it decodes, the decode error's otherwise (any other error fails the test). */
function status(body: Uint8Array, signal: OtlpSignal = 'logs'): number {
  try {
    decodeRequest(signal, body, PROTOBUF);
    return 200;
  } catch (err) {
    if (err instanceof OtlpDecodeError) return err.status;
    throw err;
  }
}

// LogRecord fields: 1 time_unix_nano (fixed64), 2 severity_number (enum), 3 severity_text,
// 5 body (AnyValue), 6 attributes, 7 dropped_attributes_count (uint32), 8 flags (fixed32).
const severityText = (text: string) => lengthField(3, Buffer.from(text));
const stringValue = (text: string) => lengthField(1, Buffer.from(text));
const intValue = (value: number) => varintField(3, value);

describe("the codec's protobuf decoder", () => {
  it.each(OTLP_SIGNALS)('reads random %s requests as the generated code does', (signal) => {
    const c = chooser(rng(0xdec0de + signal.length));
    for (let i = 0; i < 300; i++) {
      const body = officialEncode(signal, randomRequest(signal, c));
      const ours = decodeRequest(signal, body, PROTOBUF);
      const reference = officialDecode(signal, body);
      if (JSON.stringify(ours) !== JSON.stringify(reference)) expect({ i, ours }).toEqual({ i, ours: reference });
      expect(ours).toEqual(reference);
      // The generated code writes each field once: its bytes are exact unless a NaN (whose payload could carry data) is in them.
      expect(exact(body, signal)).toBe(!holdsNaN(ours));
    }
  });

  it('skips unknown groups nested up to 100 levels', () => {
    const groups = (n: number) => Buffer.concat([...Array.from({ length: n }, () => tag(99, 3)), ...Array.from({ length: n }, () => tag(99, 4))]);
    expect(status(groups(100))).toBe(200);
  });

  it('skips unknown fields of every wire type, at every level', () => {
    const unknown = Buffer.concat([
      varintField(99, 2n ** 63n),
      fixed64Field(98, 1n),
      lengthField(97, Buffer.from('future')),
      fixed32Field(96, 7),
      tag(95, 3),
      varintField(1, 1),
      tag(94, 3),
      tag(94, 4),
      tag(95, 4),
    ]);
    const record = (extra: Buffer) => Buffer.concat([extra, severityText('WARN'), extra, varintField(2, 13), extra]);
    const plain = decodeLogs(logsRequestWith(record(Buffer.alloc(0))));
    const withUnknown = Buffer.concat([unknown, lengthField(1, unknown, lengthField(2, unknown, lengthField(2, record(unknown)))), unknown]);
    expect(decodeLogs(withUnknown)).toEqual(plain);
    expect(firstRecord(plain)).toMatchObject({ severityText: 'WARN', severityNumber: 13 });
    // Skipped bytes are bytes the decoded request does not show: such a body is never forwarded as it is.
    expect(exact(logsRequestWith(record(Buffer.alloc(0))))).toBe(true);
    expect(exact(withUnknown)).toBe(false);
    expect(exact(Buffer.concat([logsRequestWith(record(Buffer.alloc(0))), varintField(99, 1)]))).toBe(false);
  });

  it('reads repeated numbers whether packed or one per tag, in the order sent', () => {
    // HistogramDataPoint: 6 bucket_counts (fixed64), 7 explicit_bounds (double).
    const packedCounts = Buffer.alloc(16);
    packedCounts.writeBigUInt64LE(3n, 0);
    packedCounts.writeBigUInt64LE(2n ** 64n - 1n, 8);
    const packedBounds = Buffer.alloc(8);
    packedBounds.writeDoubleLE(2.5);
    const point = Buffer.concat([
      fixed64Field(6, 1n),
      lengthField(6, packedCounts),
      fixed64Field(6, 7n),
      doubleField(7, 0.5),
      lengthField(7, packedBounds),
    ]);
    // ExponentialHistogramDataPoint.Buckets: 2 bucket_counts (uint64, varint).
    const buckets = Buffer.concat([varintField(2, 4), lengthField(2, varint(5), varint(2n ** 40n)), varintField(2, 6)]);
    const histogram = lengthField(2, lengthField(1, Buffer.from('h')), lengthField(9, lengthField(1, point)));
    const exponential = lengthField(2, lengthField(1, Buffer.from('e')), lengthField(10, lengthField(1, lengthField(8, buckets))));
    const body = lengthField(1, lengthField(2, histogram, exponential));
    const decoded = decodeRequest('metrics', body, PROTOBUF) as OtlpMetricsRequest;
    const metrics = decoded.resourceMetrics[0]?.scopeMetrics[0]?.metrics ?? [];
    expect(metrics[0]?.histogram?.dataPoints[0]).toMatchObject({ bucketCounts: ['1', '3', '18446744073709551615', '7'], explicitBounds: [0.5, 2.5] });
    expect(metrics[1]?.exponentialHistogram?.dataPoints[0]?.positive?.bucketCounts).toEqual(['4', '5', '1099511627776', '6']);
    expect(decoded).toEqual(officialDecode('metrics', body));
    // Packed or not, every reader reads the same list: still exact.
    expect(exact(body, 'metrics')).toBe(true);
  });

  it('keeps the last value of a singular field and the last member of a oneof sent', () => {
    const attribute = lengthField(6, lengthField(1, Buffer.from('k')), lengthField(2, stringValue('first'), intValue(42)));
    const record = firstRecord(decodeLogs(logsRequestWith(Buffer.concat([severityText('one'), severityText('two'), attribute]))));
    expect(record?.severityText).toBe('two');
    expect(record?.attributes[0]?.value).toEqual({ intValue: '42' });
    // Readers disagree on what a field or oneof sent twice means (a sub-message twice is merged by
    // Go and C++): not exact, so the gateway sends its own encoding of what it read, never these bytes.
    expect(exact(logsRequestWith(Buffer.concat([severityText('one'), severityText('two')])))).toBe(false);
    expect(exact(logsRequestWith(lengthField(6, lengthField(1, Buffer.from('k')), lengthField(2, stringValue('first'), intValue(42)))))).toBe(false);
    expect(exact(logsRequestWith(Buffer.concat([lengthField(5, stringValue('a')), lengthField(5, intValue(1))])))).toBe(false);
    expect(exact(logsRequestWith(Buffer.concat([severityText('one'), lengthField(6, lengthField(1, Buffer.from('k')), lengthField(2, intValue(42)))])))).toBe(true);
  });

  it('skips a known field sent with another wire type, as an unknown one', () => {
    const record = firstRecord(decodeLogs(logsRequestWith(Buffer.concat([varintField(3, 5), fixed32Field(2, 9), severityText('kept')]))));
    expect(record).toMatchObject({ severityText: 'kept', severityNumber: 0 });
    expect(exact(logsRequestWith(Buffer.concat([varintField(3, 5), severityText('kept')])))).toBe(false);
  });

  it('does not vouch for a body holding a NaN, whose payload bits could carry data the value does not show', () => {
    // AnyValue 4 double_value, in a log attribute.
    const withDouble = (bits: bigint) => logsRequestWith(lengthField(6, lengthField(1, Buffer.from('k')), lengthField(2, fixed64Field(4, bits))));
    const nan = 0x7ff8_0000_dead_beefn;
    expect(Number.isNaN(firstRecord(decodeLogs(withDouble(nan)))?.attributes[0]?.value?.doubleValue)).toBe(true);
    expect(exact(withDouble(nan))).toBe(false);
    expect(exact(withDouble(0x3ff0_0000_0000_0000n))).toBe(true);
  });

  it('does not vouch for a varint written otherwise than protoc writes it, or past its type', () => {
    // protobufjs skips a fixed ten bytes after a 32-bit varint of six to nine: from a severity number
    // padded to six bytes it goes on four bytes further than Go and optel, and here it finds a log
    // body (an email address) in what they read as two timestamps.
    const record = Buffer.concat([
      tag(2, 0), paddedVarint(9, 6),
      tag(1, 1), Buffer.from([0x11, 0x22, 0x33, 0x2a, 0x0c, 0x0a, 0x0a, 0x3e]),
      tag(11, 1), Buffer.from('ann@x.io'),
    ]);
    const body = logsRequestWith(record);
    expect(firstRecord(decodeLogs(body))).toMatchObject({ severityNumber: 9 });
    expect(firstRecord(decodeLogs(body))?.body).toBeUndefined();
    expect(firstRecord(officialDecode('logs', body))?.body?.stringValue).toContain('ann@x.io');
    expect(exact(body)).toBe(false);
    // Padded tags and lengths, and a tenth byte over 1 (Go refuses the body), the same.
    expect(exact(logsRequestWith(Buffer.concat([paddedVarint((3 << 3) | 2, 2), varint(1), Buffer.from('x')])))).toBe(false);
    expect(exact(logsRequestWith(Buffer.concat([tag(3, 2), paddedVarint(1, 3), Buffer.from('x')])))).toBe(false);
    expect(exact(logsRequestWith(Buffer.concat([tag(2, 0), Buffer.from([0x89, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e])])))).toBe(false);
    // Values past their type: readers keep different bits (protobufjs reads a bool of 2^32 as false, Go as true).
    const monotonic = (value: bigint) => lengthField(1, lengthField(2, lengthField(2, lengthField(7, varintField(3, value)))));
    expect(officialDecode('metrics', monotonic(2n ** 32n)).resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.sum?.isMonotonic).toBe(false);
    expect(exact(monotonic(2n ** 32n), 'metrics')).toBe(false);
    expect(exact(monotonic(2n), 'metrics')).toBe(false);
    expect(exact(monotonic(1n), 'metrics')).toBe(true);
    expect(exact(logsRequestWith(varintField(7, 2n ** 32n)))).toBe(false); // uint32 dropped_attributes_count
    expect(exact(logsRequestWith(varintField(2, 2n ** 40n)))).toBe(false); // int32 severity_number
    // A negative int32 sign-extended to ten bytes (protoc) or written in five is the same to every reader.
    expect(exact(logsRequestWith(varintField(2, -3)))).toBe(true);
    expect(exact(logsRequestWith(varintField(2, 2 ** 32 - 3)))).toBe(true);
  });

  it.each([false, true])('reads every exact body as the generated code reads its re-encoding, however it is written (padded varints: %s)', (pad) => {
    const c = chooser(rng(pad ? 11 : 12));
    let exactBodies = 0;
    for (let i = 0; i < 1_500; i++) {
      const signal = c.pick(OTLP_SIGNALS);
      const request = decodeRequest(signal, officialEncode(signal, randomRequest(signal, c)), PROTOBUF);
      if (holdsNaN(request)) continue;
      const body = writeVariant(requestPlan(signal), request as unknown as Record<string, unknown>, c, pad);
      const { request: ours, exactBody } = decodeSizedRequest(signal, body, PROTOBUF);
      expect(ours).toEqual(request);
      if (exactBody === undefined) continue;
      exactBodies++;
      const theirs = JSON.stringify(officialDecode(signal, body));
      if (theirs !== JSON.stringify(officialDecode(signal, encodeRequest(signal, ours, 'protobuf')))) expect({ i, body: Buffer.from(body).toString('base64') }).toBe('read alike');
    }
    expect(exactBodies).toBeGreaterThan(pad ? 100 : 1_000);
  });

  it('never vouches for JSON, which is re-encoded whatever it holds', () => {
    expect(decodeSizedRequest('logs', Buffer.from('{"resourceLogs":[]}'), { contentType: 'application/json' }).exactBody).toBeUndefined();
  });

  it('reads negative int32s written in ten bytes, wide bools, and unsigned 32-bit values', () => {
    // 2 severity_number (enum, as int32), 7 dropped_attributes_count (uint32), 8 flags (fixed32);
    // Sum: 3 is_monotonic (bool).
    const body = logsRequestWith(Buffer.concat([varintField(2, -3), varintField(7, 2 ** 32 - 1), fixed32Field(8, 0xffffffff)]));
    expect(varintField(2, -3)).toHaveLength(11);
    expect(firstRecord(decodeLogs(body))).toMatchObject({ severityNumber: -3, droppedAttributesCount: 4294967295, flags: 4294967295 });
    expect(decodeLogs(body)).toEqual(officialDecode('logs', body));
    const sum = (monotonic: bigint) =>
      (decodeRequest('metrics', lengthField(1, lengthField(2, lengthField(2, lengthField(7, varintField(3, monotonic))))), PROTOBUF) as OtlpMetricsRequest)
        .resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.sum?.isMonotonic;
    expect(sum(2n ** 40n)).toBe(true);
    expect(sum(0n)).toBe(false);
  });

  it('decodes an empty body as an empty request', () => {
    expect(decodeLogs(new Uint8Array(0))).toEqual({ resourceLogs: [] });
  });
});

describe('decoding malformed protobuf', () => {
  it('answers 400 for a string that is not UTF-8, as proto3 requires', () => {
    const withText = (text: Buffer) => logsRequestWith(lengthField(3, text));
    expect(firstRecord(decodeLogs(withText(Buffer.from('fine, and \u{1F600}'))))?.severityText).toBe('fine, and \u{1F600}');
    expect(status(withText(Buffer.from([0x61, 0xff, 0x62])))).toBe(400);
    // A real U+FFFD is fine, and the cache of short strings never lets a bad one through as a good one's twin.
    expect(status(withText(Buffer.from('\uFFFD')))).toBe(200);
    expect(status(withText(Buffer.from([0xef, 0xbf])))).toBe(400);
  });

  it('answers 400 for a value running past the end of the body or of its message', () => {
    const body = logsRequestWith(severityText('abcdef'));
    expect(status(body.subarray(0, body.length - 2))).toBe(400);
    // A scope that claims more bytes than its resource holds, though the body has them.
    const scope = Buffer.concat([tag(2, 2), varint(10)]);
    const misnested = Buffer.concat([tag(1, 2), varint(scope.length), scope, Buffer.alloc(10)]);
    expect(status(misnested)).toBe(400);
  });

  it('answers 400 for what no protobuf encoder writes', () => {
    const cases = {
      'wire type 6': Buffer.concat([tag(99, 6), Buffer.from([0])]),
      'wire type 7': tag(99, 7),
      'field number 0': varintField(0, 1),
      'a stray end-group tag': tag(99, 4),
      'a group never closed': Buffer.concat([tag(99, 3), varintField(1, 1)]),
      'a group closed by another': Buffer.concat([tag(99, 3), tag(98, 4)]),
      'a varint of eleven bytes': Buffer.concat([tag(99, 0), Buffer.alloc(10, 0x80), Buffer.from([1])]),
      'a fixed64 cut short': Buffer.concat([tag(99, 1), Buffer.alloc(7)]),
      'a length over 32 bits': Buffer.concat([tag(99, 2), varint(2 ** 32 + 3), Buffer.alloc(3)]),
      'a tag in six bytes': Buffer.concat([Buffer.from([0x88, 0x80, 0x80, 0x80, 0x80, 0x00]), varint(1)]),
      'groups nested past 100 levels': Buffer.concat([...Array.from({ length: 101 }, () => tag(99, 3)), ...Array.from({ length: 101 }, () => tag(99, 4))]),
      'groups nested 200,000 deep': Buffer.concat(Array.from({ length: 200_000 }, () => tag(99, 3))),
    };
    for (const [what, bytes] of Object.entries(cases)) expect({ what, status: status(bytes) }).toEqual({ what, status: 400 });
    const point = lengthField(6, Buffer.alloc(12)); // packed fixed64: 12 bytes is not a whole number of values
    expect(status(lengthField(1, lengthField(2, lengthField(2, lengthField(9, lengthField(1, point))))), 'metrics')).toBe(400);
  });

  it('answers 400 past 100 levels of message nesting, like protoc', () => {
    expect(status(nestedLogAttribute(40))).toBe(200);
    expect(status(nestedLogAttribute(60))).toBe(400);
    expect(status(nestedLogAttribute(10_000))).toBe(400);
  });

  it('answers every truncation and every mutation of real requests with a decode or a 400, nothing else', () => {
    const c = chooser(rng(0xbad));
    for (const signal of OTLP_SIGNALS) {
      for (let n = 0; n < 20; n++) {
        const body = Buffer.from(encodeRequest(signal, randomRequest(signal, c), 'protobuf'));
        for (let cut = 0; cut < body.length; cut += 1 + c.int(4)) expect([200, 400]).toContain(status(body.subarray(0, cut), signal));
        for (let m = 0; m < 50; m++) {
          const mutated = Buffer.from(body);
          for (let k = 0; k <= c.int(3); k++) mutated[c.int(mutated.length)] = c.int(256);
          expect([200, 400]).toContain(status(mutated, signal));
        }
      }
    }
  });
});
